import path from "node:path";
import { BUILTIN_TASKS, MODEL_PRESETS } from "@bupo/shared";
import { initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv } from "../env.ts";
import { logitLensOfRun } from "../service/logit-lens-job.ts";
import { startTrainerService } from "../service/trainer-service.ts";
import { createJobRunner } from "../service/training-runner.ts";

/** `serve`: run the trainer as a service until SIGINT / SIGTERM, then shut down gracefully. */
export async function serveCommand(): Promise<void> {
  const env = readTrainerEnv();
  const backend = await initBackend({ prefer: env.TRAINER_BACKEND, native: nativeKernelOptions(env) });
  const runsDir = env.TRAINER_RUNS_DIR ?? path.join(env.TRAINER_DATA_DIR, "runs");
  const service = await startTrainerService(env, {
    runner: createJobRunner(runsDir),
    logitLens: (input) => logitLensOfRun(runsDir, input),
    describeBackend: () => ({
      backend: backend.backend,
      threads: backend.threads,
      nativeKernels: backend.nativeKernels,
      native: backend.native,
    }),
    modelPresets: [...MODEL_PRESETS],
    tasks: [...BUILTIN_TASKS],
    version: "0.1.0",
  });
  const stop = (signal: string) => {
    void service.shutdown(signal).then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}
