/**
 * Typed environment of the web app — the only module that reads process.env (enforced by biome's
 * noProcessEnv rule). Every variable is also listed in turbo.json's pass-through list.
 */
import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true" || v === "1"));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** postgresql://… for a server; unset or pglite:<folder> for the embedded database. */
  DATABASE_URL: z.string().optional(),
  /** Seed the demo user and team at start (default: on for the embedded database). */
  BUPO_SEED_DEMO: bool(false),
  /** With the demo seed, also queue the demo team's first runs once (`npm start` turns it on). */
  BUPO_DEMO_RUNS: bool(false),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Mark cookies Secure (serve over HTTPS). */
  SECURE_COOKIES: bool(false),
  /** Trainers this web dispatches to, comma-separated URLs (e.g. http://gpu1:4100,http://gpu2:4100). */
  TRAINER_URLS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url("TRAINER_URLS must be comma-separated http(s) URLs"))),
  /** Shared service token: web → trainer tRPC calls and trainer → web reports. */
  TRAINER_TOKEN: z.string().min(16, "TRAINER_TOKEN must be at least 16 characters").optional(),
  TRAINER_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().min(2).max(3600).default(20),
  /** Checkpoints live on storage every trainer can read: runs of a lost trainer resume elsewhere. */
  RESUME_ON_TRAINER_LOSS: bool(false),
  MONITOR_EVERY_SECONDS: z.coerce.number().min(1).max(600).default(3),
  /** Redis for Socket.IO fan-out across several web processes; single process when unset. */
  REDIS_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest tRPC request body accepted; larger ones get 413 before anything is parsed. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
});

export type Env = z.infer<typeof EnvSchema>;

function readEnv(): Env {
  // biome-ignore lint/style/noProcessEnv: this is the one place that reads the environment
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env = readEnv();
