import { BUILTIN_TASKS, MODEL_PRESETS } from "@bupo/shared";
import { pino } from "pino";
import { memoryAllowance } from "../analysis/streamed/memory-plan.ts";
import { initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv, webgpuOptions } from "../env.ts";
import { fileRootsFromEnv } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import { tensorMemoryOf } from "../library/fit-estimate.ts";
import { ModelLibrary } from "../library/model-library.ts";
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
  const logger = pino({ level: env.LOG_LEVEL, base: { service: "trainer" } });
  const roots = fileRootsFromEnv(env);
  const files = new RunFiles(roots, logger);
  const library = new ModelLibrary(
    roots,
    files,
    () => ({
      allowance: memoryAllowance(env.TRAINER_MEMORY_LIMIT_MB),
      tensorMemoryBytes: tensorMemoryOf(backend.backend, backend.gpu?.memoryBytes),
    }),
    logger,
  );
  const service = await startTrainerService(env, {
    runner: createJobRunner(files),
    logitLens: (input) => logitLensOfRun(files, input),
    library,
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
  // Scanned at start (in the background: the service answers meanwhile, list() waits for this scan).
  void library.rescan().catch((e: unknown) => logger.warn({ err: String(e) }, "library scan failed"));
  const stop = (signal: string) => {
    void service.shutdown(signal).then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}
