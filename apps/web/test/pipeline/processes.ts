/**
 * Real processes for pipeline tests: the production web server (apps/web/server.ts; needs `next build`) and
 * trainer services (`bupo-trainer serve`), each spawned with its own env and stopped by signal.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { requiredServices } from "@bupo/db/testing";

const webDir = path.resolve(import.meta.dirname, "../..");
const trainerDir = path.resolve(webDir, "../trainer");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface Proc {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function launch(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  url: string,
  name: string,
): Promise<Proc> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const onData = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const proc: Proc = {
    url,
    child,
    output: () => out,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve(proc);
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

export interface WebOptions {
  databaseUrl: string;
  trainerUrls: string[];
  token: string;
  port?: number;
  redisUrl?: string;
  heartbeatTimeoutSeconds?: number;
  resumeOnTrainerLoss?: boolean;
}

export async function startWeb(o: WebOptions): Promise<Proc> {
  if (!fs.existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
    throw new Error("apps/web is not built: run `npm run build -w @bupo/web` (npm test does) first");
  }
  const port = o.port ?? (await freePort());
  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: o.databaseUrl,
    TRAINER_URLS: o.trainerUrls.join(","),
    TRAINER_TOKEN: o.token,
    MONITOR_EVERY_SECONDS: "1",
    TRAINER_HEARTBEAT_TIMEOUT_SECONDS: String(o.heartbeatTimeoutSeconds ?? 6),
    RESUME_ON_TRAINER_LOSS: String(o.resumeOnTrainerLoss ?? false),
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
  };
  return launch(webDir, ["server.ts"], env, /BuPO Studio web ready/, `http://127.0.0.1:${port}`, "web");
}

export interface TrainerOptions {
  webUrl: string;
  token: string;
  dataDir: string;
  /** Shared run folders (checkpoints) — lets another trainer resume a lost run. */
  runsDir?: string;
  port?: number;
  slots?: number;
  /** More environment (e.g. the file roots TRAINER_DATASETS_DIRS / TRAINER_MODELS_DIRS). */
  env?: Record<string, string>;
}

export async function startTrainer(o: TrainerOptions): Promise<Proc> {
  const port = o.port ?? (await freePort());
  const env = {
    TRAINER_PORT: String(port),
    TRAINER_TOKEN: o.token,
    WEB_URL: o.webUrl,
    TRAINER_DATA_DIR: o.dataDir,
    TRAINER_SLOTS: String(o.slots ?? 1),
    TRAINER_BACKEND: "wasm",
    ...(o.runsDir ? { TRAINER_RUNS_DIR: o.runsDir } : {}),
    ...o.env,
  };
  return launch(
    trainerDir,
    ["src/cli/main.ts", "serve"],
    env,
    /trainer listening/,
    `http://127.0.0.1:${port}`,
    "trainer",
  );
}

/**
 * Whether test databases are PostgreSQL endpoints that web and trainer processes can share: DATABASE_URL's
 * server, or else the embedded PGlite that @bupo/db/testing serves on a loopback port — which the pipeline
 * vitest project asks for (BUPO_TEST_DB_SHARED=1). So pipeline suites run with or without a server.
 */
export const hasPostgres =
  (process.env.DATABASE_URL?.startsWith("postgres") ?? false) || process.env.BUPO_TEST_DB_SHARED === "1";

/** The PostgreSQL URL of a test database opened by the pipeline project (a server or the served PGlite). */
export function postgresUrl(target: { kind: string; url?: string }): string {
  if (target.kind !== "postgres" || !target.url)
    throw new Error(
      "not a shared test database: open it under the pipeline vitest project (BUPO_TEST_DB_SHARED=1)",
    );
  return target.url;
}

/** The Redis for Socket.IO fan-out tests. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Whether Redis answers at REDIS_URL, for suites that skip without it. When the run requires Redis
 * (BUPO_REQUIRE=redis, as CI does), its absence throws instead, so such a suite fails rather than skips.
 */
export async function redisAvailable(): Promise<boolean> {
  const u = new URL(REDIS_URL);
  const up = await new Promise<boolean>((resolve) => {
    const s = net.connect(Number(u.port || 6379), u.hostname, () => {
      s.end();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
  if (!up && requiredServices().includes("redis")) {
    throw new Error(`BUPO_REQUIRE names redis, but nothing answers at ${REDIS_URL}`);
  }
  return up;
}
