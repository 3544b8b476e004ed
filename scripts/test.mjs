#!/usr/bin/env node
// `npm test`: lint → build → typecheck → every workspace's tests → Playwright, then one summary line.
// Uses DATABASE_URL's PostgreSQL when set (CI creates a fresh database); embedded PGlite otherwise.
// Only Node built-ins here. Pass --no-e2e to skip the browser tests.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const results = fs.mkdtempSync(path.join(os.tmpdir(), "bupo-test-"));
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  BUPO_TEST_DB_PREFIX: `bupo_test_${Date.now().toString(36)}_`, // this run's test databases
};
const skipE2e = process.argv.includes("--no-e2e");
const WORKSPACES = ["packages/shared", "prisma", "apps/trainer", "apps/web"];

function step(title, cmd, args, opts = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env, ...opts });
  console.log(
    `  ${title}: ${r.status === 0 ? "ok" : `failed (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return r.status === 0;
}

const failures = [];
const run = (title, cmd, args, opts) => step(title, cmd, args, opts) || failures.push(title);

console.log(
  `Database for tests: ${env.DATABASE_URL?.startsWith("postgres") ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite"}`,
);
run("lint (biome)", "npx", ["biome", "check", "."]);
if (!step("build", "npx", ["turbo", "run", "build", "--output-logs=errors-only"])) {
  console.error("Build failed; nothing else can run.");
  console.log("Summary: 0 passed, 1 failed");
  process.exit(1);
}
run("typecheck", "npx", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);

let passed = 0;
let failed = 0;
for (const ws of WORKSPACES) {
  const out = path.join(results, `${ws.replace("/", "-")}.json`);
  run(
    `tests: ${ws}`,
    "npx",
    ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${out}`],
    {
      cwd: path.join(root, ws),
    },
  );
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
}

if (!skipE2e) {
  const out = path.join(results, "e2e.json");
  run("end-to-end (Playwright, Chromium)", "npx", ["playwright", "test", "--reporter=list,json"], {
    cwd: path.join(root, "e2e"),
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
  });
  if (fs.existsSync(out)) {
    const s = JSON.parse(fs.readFileSync(out, "utf8")).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
  }
}

if (env.DATABASE_URL?.startsWith("postgres")) {
  spawnSync("npx", ["tsx", "scripts/drop-test-databases.ts", env.BUPO_TEST_DB_PREFIX], {
    cwd: path.join(root, "prisma"),
    stdio: "inherit",
    env,
  });
}

if (failures.length) console.error(`\nFailed steps: ${failures.join(", ")}`);
console.log(`\nSummary: ${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);
