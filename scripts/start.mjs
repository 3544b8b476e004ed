#!/usr/bin/env node
// `npm start`: installs if needed, builds, then runs the web app (:3000) and one local trainer on the
// embedded defaults (PGlite in ./data/db, demo team seeded; on first start the local trainer computes its demo
// runs in the background). Ctrl-C stops both. Only Node built-ins here.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

// package.json's engines (an LTS): say how to get it rather than fail somewhere in the build.
const engines = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).engines.node;
const [needMajor, needMinor] = engines
  .match(/(\d+)\.(\d+)/)
  .slice(1)
  .map(Number);
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  console.error(
    [
      `BuPO Studio needs Node.js ${needMajor}.${needMinor} or newer (package.json engines "${engines}"); this is ${process.version}.`,
      `Install Node ${needMajor} LTS from https://nodejs.org or with your version manager (nvm install ${needMajor}),`,
      "or, on Linux, fetch it from the npm registry and put it first on PATH for this shell:",
      '  export PATH="$(scripts/node-lts.sh):$PATH"',
      "then run npm start again.",
    ].join("\n"),
  );
  process.exit(1);
}
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" };

function must(title, cmd, args) {
  console.log(`▶ ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`${title} failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}

// Native trainer kernels need OpenBLAS (apps/trainer/native). Install it where we can (root with apt); without it
// everything still works on plain wasm kernels, only slower.
const addon = path.join(root, "apps/trainer/native/build/Release/bupo_native.node");
const hasOpenBlas = () => spawnSync("dpkg", ["-s", "libopenblas-dev", "libopenblas0-pthread"]).status === 0;
if (
  !fs.existsSync(addon) &&
  !hasOpenBlas() &&
  process.getuid?.() === 0 &&
  fs.existsSync("/usr/bin/apt-get")
) {
  console.log("▶ apt-get install libopenblas-dev libopenblas0-pthread (native trainer kernels)");
  spawnSync("apt-get", ["install", "-y", "-qq", "libopenblas-dev", "libopenblas0-pthread"], {
    stdio: "inherit",
  });
}
if (!fs.existsSync(path.join(root, "node_modules", ".package-lock.json"))) must("npm ci", "npm", ["ci"]);
else if (!fs.existsSync(addon) && hasOpenBlas())
  must("build native kernels", "node", ["apps/trainer/native/build.cjs"]);
must("build", "npx", ["turbo", "run", "build", "--output-logs=errors-only"]);

env.DATABASE_URL ??= `pglite:${path.join(root, "data", "db")}`; // embedded default, kept across restarts
env.TRAINER_DATA_DIR ??= path.join(root, "data", "trainer");
env.TRAINER_TOKEN ??= randomBytes(24).toString("base64url"); // shared by this web and its local trainer
env.TRAINER_URLS ??= `http://127.0.0.1:${env.TRAINER_PORT ?? 4100}`;
env.WEB_URL ??= `http://127.0.0.1:${env.PORT ?? 3000}`; // where the local trainer reports
env.BUPO_DEMO_RUNS ??= "true"; // first start: the local trainer computes the demo team's runs in the background
// This Node with the tsx loader, not `npx tsx`: one process each, so a SIGTERM to us reaches the servers.
const children = [
  spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    cwd: path.join(root, "apps/trainer"),
    stdio: "inherit",
    env,
  }),
  spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: path.join(root, "apps/web"),
    stdio: "inherit",
    env: { ...env, NODE_ENV: "production", PORT: env.PORT ?? "3000" },
  }),
];

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on("exit", r)) : null))).then(
    () => process.exit(code),
  );
}
for (const c of children) c.on("exit", (code) => stopAll(code ?? 0));
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
