#!/usr/bin/env node
// `npm test`: lint → build → typecheck → every workspace's tests → Playwright, then what skipped and why,
// and one closing line: `Summary: N passed, N failed, N skipped` (CI reads it).
// Uses DATABASE_URL's PostgreSQL when set (CI creates a fresh database); embedded PGlite otherwise.
// BUPO_REQUIRE=postgres,redis (the default under CI=true) makes a missing service a failure, not a skip.
// Only Node built-ins here. Pass --no-e2e to skip the browser tests.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const results = fs.mkdtempSync(path.join(os.tmpdir(), "bupo-test-"));
const ci = Boolean(process.env.CI) && process.env.CI !== "false";
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  BUPO_TEST_DB_PREFIX: `bupo_test_${Date.now().toString(36)}_`, // this run's test databases
  BUPO_REQUIRE: process.env.BUPO_REQUIRE ?? (ci ? "postgres,redis" : ""),
};
const skipE2e = process.argv.includes("--no-e2e");
const WORKSPACES = ["packages/shared", "prisma", "apps/trainer", "apps/web"];
const usesPostgres = env.DATABASE_URL?.startsWith("postgres") ?? false;

const counts = { passed: 0, failed: 0, skipped: 0 };
/** What skipped and why: "where › suite (reason in its title)" → number of tests. */
const skipped = new Map();
const failures = [];

function finish() {
  if (skipped.size) {
    console.log("\nSkipped (the suite's title says what it needs):");
    for (const [what, n] of skipped) console.log(`  ${what}: ${n} test${n === 1 ? "" : "s"}`);
  }
  if (failures.length) console.log(`\nFailed: ${failures.join("; ")}`);
  console.log(`\nSummary: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  process.exit(failures.length || counts.failed ? 1 : 0);
}

function step(title, cmd, args, opts = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env, ...opts });
  console.log(
    `  ${title}: ${r.status === 0 ? "ok" : `failed (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return r.status === 0;
}
const run = (title, cmd, args, opts) => step(title, cmd, args, opts) || failures.push(title);

function answers(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port || 6379), u.hostname, () => {
      s.end();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

/** Services BUPO_REQUIRE names must be there before anything runs: their suites may not skip. */
async function checkRequiredServices() {
  const required = env.BUPO_REQUIRE.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (required.length) console.log(`Required services (BUPO_REQUIRE): ${required.join(", ")}`);
  if (required.includes("postgres") && !usesPostgres) {
    failures.push("BUPO_REQUIRE names postgres, but DATABASE_URL is not a postgresql:// URL");
  }
  const redisUrl = env.REDIS_URL ?? "redis://127.0.0.1:6379";
  if (required.includes("redis") && !(await answers(redisUrl))) {
    failures.push(`BUPO_REQUIRE names redis, but nothing answers at ${redisUrl}`);
  }
}

/** Adds a vitest JSON report to the counts; files that failed outside any test count as one failure. */
function addVitest(report) {
  counts.passed += report.numPassedTests;
  counts.failed += report.numFailedTests;
  counts.skipped += report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults) {
    const where = path.relative(root, file.name);
    const failedTests = file.assertionResults.filter((t) => t.status === "failed").length;
    if (file.status === "failed" && failedTests === 0) {
      counts.failed += 1;
      failures.push(`${where}: ${file.message.split("\n")[0]}`);
    }
    for (const t of file.assertionResults) {
      if (t.status !== "skipped" && t.status !== "pending" && t.status !== "todo") continue;
      const suite = t.ancestorTitles.join(" › ");
      // A skipped suite is one line; a test skipped on its own names itself.
      const key = `${where} › ${suite || t.title}${suite && !isWholeSuiteSkipped(file, t) ? ` › ${t.title}` : ""}`;
      skipped.set(key, (skipped.get(key) ?? 0) + 1);
    }
  }
}

function isWholeSuiteSkipped(file, test) {
  const suite = test.ancestorTitles.join(" › ");
  return file.assertionResults
    .filter((t) => t.ancestorTitles.join(" › ") === suite)
    .every((t) => t.status === "skipped" || t.status === "pending" || t.status === "todo");
}

/** Adds a Playwright JSON report: skipped tests with their `test.skip(…, reason)` annotation. */
function addPlaywright(report) {
  const s = report.stats;
  counts.passed += s.expected + s.flaky;
  counts.failed += s.unexpected;
  counts.skipped += s.skipped;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        if (t.status !== "skipped") continue;
        const why = t.annotations.find((a) => a.type === "skip")?.description;
        const key = `e2e/specs/${spec.file} › ${[...titles, spec.title].join(" › ")}${why ? ` (${why})` : ""}`;
        skipped.set(key, (skipped.get(key) ?? 0) + 1);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const file of report.suites ?? []) walk(file, []); // top level: one suite per spec file
}

console.log(`Database for tests: ${usesPostgres ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite"}`);
await checkRequiredServices();
if (failures.length) {
  counts.failed += failures.length;
  finish();
}
run("lint (biome)", "npx", ["biome", "check", "."]);
if (!step("build", "npx", ["turbo", "run", "build", "--output-logs=errors-only"])) {
  failures.push("build (nothing else can run)");
  counts.failed += 1;
  finish();
}
run("typecheck", "npx", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);

for (const ws of WORKSPACES) {
  const out = path.join(results, `${ws.replace("/", "-")}.json`);
  const title = `tests: ${ws}`;
  const ok = step(
    title,
    "npx",
    ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${out}`],
    {
      cwd: path.join(root, ws),
    },
  );
  if (fs.existsSync(out)) addVitest(JSON.parse(fs.readFileSync(out, "utf8")));
  if (!ok) failures.push(title);
}

if (!skipE2e) {
  const out = path.join(results, "e2e.json");
  run("end-to-end (Playwright, Chromium)", "npx", ["playwright", "test", "--reporter=list,json"], {
    cwd: path.join(root, "e2e"),
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
  });
  if (fs.existsSync(out)) addPlaywright(JSON.parse(fs.readFileSync(out, "utf8")));
}

if (usesPostgres) {
  spawnSync("npx", ["tsx", "scripts/drop-test-databases.ts", env.BUPO_TEST_DB_PREFIX], {
    cwd: path.join(root, "prisma"),
    stdio: "inherit",
    env,
  });
}

finish();
