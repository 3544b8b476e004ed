import { BUILTIN_TASKS, MODEL_PRESETS } from "@bupo/shared";
import { pino } from "pino";
import { initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv, webgpuOptions } from "../env.ts";
import { fileRootsFromEnv } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import { logitLensOfRun } from "../service/logit-lens-job.ts";
import { startTrainerService } from "../service/trainer-service.ts";
import { createJobRunner } from "../service/training-runner.ts";

/** `serve`: run the trainer as a service until SIGINT / SIGTERM, then shut down gracefully. */
export async function serveCommand(): Promise<void> {
  const env = readTrainerEnv();
  const backend = await initBackend({
    prefer: env.TRAINER_BACKEND,
    native: nativeKernelOptions(env),
    webgpu: webgpuOptions(env),
  });
  const files = new RunFiles(
    fileRootsFromEnv(env),
    pino({ level: env.LOG_LEVEL, base: { service: "trainer" } }),
  );
  const service = await startTrainerService(env, {
    runner: createJobRunner(files),
    logitLens: (input) => logitLensOfRun(files, input),
    describeBackend: () => ({
      backend: backend.backend,
      threads: backend.threads,
      nativeKernels: backend.nativeKernels,
      ...(backend.gpu === undefined ? {} : { gpu: backend.gpu }),
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
