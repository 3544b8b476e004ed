/**
 * Typed environment of the trainer — the only module that reads process.env. A trainer is a worker:
 * it has no database credentials, only its own listen address, the shared service token and a data folder.
 */
import { z } from "zod";

const TrainerEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  TRAINER_HOST: z.string().default("127.0.0.1"),
  TRAINER_PORT: z.coerce.number().int().min(0).max(65_535).default(4100),
  /** Shared secret that the web app presents on every call (required outside development). */
  TRAINER_TOKEN: z.string().min(16, "TRAINER_TOKEN must be at least 16 characters").optional(),
  /** This trainer's URL as the web app reaches it (its id); default http://TRAINER_HOST:TRAINER_PORT. */
  TRAINER_PUBLIC_URL: z.url().optional(),
  /** The web app to report to (Socket.IO namespace /trainer); unset = no reporting (CLI-style local use). */
  WEB_URL: z.url().optional(),
  /** Concurrent jobs this trainer accepts. */
  TRAINER_SLOTS: z.coerce.number().int().min(1).max(64).default(1),
  /** Checkpoints, metrics JSONL and buffered reports live here. */
  TRAINER_DATA_DIR: z.string().default("data/trainer"),
  /** Run folders (metrics JSONL, checkpoints); point every trainer at shared storage to allow resumes. */
  TRAINER_RUNS_DIR: z.string().optional(),
  TRAINER_BACKEND: z.enum(["auto", "tensorflow", "wasm", "cpu"]).default("auto"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
});

export type TrainerEnv = z.infer<typeof TrainerEnvSchema>;

// biome-ignore lint/style/noProcessEnv: the one place that reads the environment
export function readTrainerEnv(source: Record<string, string | undefined> = process.env): TrainerEnv {
  const parsed = TrainerEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid trainer environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
