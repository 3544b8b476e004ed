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
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Mark cookies Secure (serve over HTTPS). */
  SECURE_COOKIES: bool(false),
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
