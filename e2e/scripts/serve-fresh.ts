/**
 * Playwright's web server: creates a fresh database (dropped on exit), then runs the production web server
 * (apps/web must be built) against it. Postgres when DATABASE_URL names one; otherwise a temporary PGlite folder.
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@bupo/db/testing";

const webDir = path.resolve(import.meta.dirname, "../../apps/web");
let url: string;
let cleanup: () => Promise<void>;
if (process.env.DATABASE_URL?.startsWith("postgres")) {
  const db = await createTestDatabase();
  url = db.target.kind === "postgres" ? db.target.url : "";
  cleanup = db.drop;
} else {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bupo-e2e-"));
  url = `pglite:${dir}`;
  cleanup = () => fs.rm(dir, { recursive: true, force: true });
}

const child = spawn("npx", ["tsx", "server.ts"], {
  cwd: webDir,
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: url, BUPO_SEED_DEMO: "true" },
});
const stop = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", async (code) => {
  await cleanup().catch(() => {});
  process.exit(code ?? 0);
});
