// Builds the bupo_native addon with node-gyp (the root package's `install` script runs this on `npm ci`).
// Never fails the install: without OpenBLAS or a compiler it prints why and the trainer runs on plain WASM kernels.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const blas = require("./blas-paths.cjs");

const HINT =
  "apt-get install -y libopenblas-dev libopenblas0-pthread, then npm run build:native -w @bupo/trainer";

function skip(reason) {
  console.warn(
    `bupo native kernels not built: ${reason}. The trainer will use plain WASM kernels (${HINT}).`,
  );
  process.exit(0);
}

if (process.platform !== "linux") skip(`unsupported platform ${process.platform}`);
if (!blas.found) skip("OpenBLAS headers or library not found (cblas.h, libopenblas.so)");

function nodeGypCommand() {
  if (process.env.npm_config_node_gyp) return [process.execPath, process.env.npm_config_node_gyp];
  const bundled = path.join(
    path.dirname(process.execPath),
    "../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
  );
  if (fs.existsSync(bundled)) return [process.execPath, bundled];
  return ["node-gyp"];
}

const args = ["rebuild"];
// Offline builds: use the system's Node headers instead of downloading them from nodejs.org.
if (!process.env.npm_config_nodedir && fs.existsSync("/usr/include/node/node_api.h"))
  args.push("--nodedir=/usr");
const [cmd, ...pre] = nodeGypCommand();
const started = Date.now();
const result = spawnSync(cmd, [...pre, ...args], {
  cwd: __dirname,
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
});
if (result.status !== 0) {
  const tail = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
  skip(`node-gyp failed (${result.error?.message ?? `exit ${result.status}`})\n${tail}\n`);
}
console.log(`bupo native kernels built in ${Date.now() - started} ms (OpenBLAS from ${blas.libDir})`);
