/**
 * Playwright's web server: a fresh database (dropped on exit), one local trainer on a tiny preset whose Hugging
 * Face hub cache holds two small models (tiny Qwen3 and Llama, apps/trainer/scripts/hub-cache-fixture.ts), and
 * the production web server (apps/web must be built) pointed at both. Postgres when DATABASE_URL names one;
 * otherwise a temporary PGlite folder.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@bupo/db/testing";

const root = path.resolve(import.meta.dirname, "../..");
const port = Number(process.env.PORT ?? 3210);
const trainerPort = port + 1;
const token = randomBytes(24).toString("base64url");
const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "bupo-e2e-"));
let url: string;
let dropDb = async () => {};
if (process.env.DATABASE_URL?.startsWith("postgres")) {
  const db = await createTestDatabase();
  url = db.target.kind === "postgres" ? db.target.url : "";
  dropDb = db.drop;
} else {
  url = `pglite:${path.join(scratch, "db")}`;
}

const start = (cwd: string, args: string[], env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });

const hubCache = path.join(scratch, "hub");
const fixture = spawnSync(
  process.execPath,
  ["--import", "tsx", "scripts/hub-cache-fixture.ts", "--out", hubCache],
  { cwd: path.join(root, "apps/trainer"), stdio: "inherit" },
);
if (fixture.status !== 0) throw new Error("could not write the hub-cache fixture");

const trainer = start(path.join(root, "apps/trainer"), ["src/cli/main.ts", "serve"], {
  HF_HUB_CACHE: hubCache,
  TRAINER_PORT: String(trainerPort),
  TRAINER_TOKEN: token,
  WEB_URL: `http://127.0.0.1:${port}`,
  TRAINER_DATA_DIR: path.join(scratch, "trainer"),
  LOG_LEVEL: "warn",
});
const web = start(path.join(root, "apps/web"), ["server.ts"], {
  DATABASE_URL: url,
  BUPO_SEED_DEMO: "true",
  TRAINER_URLS: `http://127.0.0.1:${trainerPort}`,
  TRAINER_TOKEN: token,
  MONITOR_EVERY_SECONDS: "1",
  LOG_LEVEL: "warn",
});

let stopping = false;
async function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  for (const c of [web, trainer]) if (c.exitCode === null) c.kill(signal);
  await Promise.all(
    [web, trainer].map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)),
  );
  await dropDb().catch(() => {});
  await fs.rm(scratch, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
web.on("exit", () => void stop("SIGTERM"));
trainer.on("exit", () => void stop("SIGTERM"));
