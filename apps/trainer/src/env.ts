/**
 * Typed environment of the trainer — the only module that reads process.env. A trainer is a worker:
 * it has no database credentials, only its own listen address, the shared service token and a data folder.
 */
import { z } from "zod";
import type { NativeKernelsOptions } from "./backend/native/register-native-kernels.ts";
import type { WebgpuOptions } from "./backend/webgpu/init-webgpu.ts";

const TrainerEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  TRAINER_HOST: z.string().default("127.0.0.1"),
  TRAINER_PORT: z.coerce.number().int().min(0).max(65_535).default(4100),
  /** Shared secret that the web app presents on every call; `serve` refuses to start without it. */
  TRAINER_TOKEN: z.string().min(16, "TRAINER_TOKEN must be at least 16 characters").optional(),
  /** This trainer's URL as the web app reaches it (its id); default http://TRAINER_HOST:TRAINER_PORT. */
  TRAINER_PUBLIC_URL: z.url().optional(),
  /** The web app to report to (Socket.IO namespace /trainer); unset = no reporting (CLI-style local use). */
  WEB_URL: z.url().optional(),
  /** Concurrent jobs this trainer accepts. */
  TRAINER_SLOTS: z.coerce.number().int().min(1).max(64).default(1),
  /** Memory an analysis job may use (MiB); a job estimated above it is refused. Default: available − 1 GiB. */
  TRAINER_MEMORY_LIMIT_MB: z.coerce.number().int().min(1).optional(),
  /** Checkpoints, metrics JSONL and buffered reports live here. */
  TRAINER_DATA_DIR: z.string().default("data/trainer"),
  /** Run folders (metrics JSONL, checkpoints); point every trainer at shared storage to allow resumes. */
  TRAINER_RUNS_DIR: z.string().optional(),
  /**
   * File roots a run config may name (src/files): model folders (default TRAINER_DATA_DIR/models), dataset
   * folders (default TRAINER_DATA_DIR/datasets) and the product's built-in data (default apps/trainer/builtin); each a list
   * separated by ":". The Hugging Face hub cache is HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub.
   */
  TRAINER_MODELS_DIRS: z.string().optional(),
  TRAINER_DATASETS_DIRS: z.string().optional(),
  TRAINER_BUILTIN_DIRS: z.string().optional(),
  HF_HUB_CACHE: z.string().optional(),
  HF_HOME: z.string().optional(),
  TRAINER_BACKEND: z.enum(["auto", "tensorflow", "webgpu", "wasm", "cpu"]).default("auto"),
  /** "1" lets an explicit `webgpu` backend run on a software adapter (lavapipe: tests, the GPU check's dry run). */
  BUPO_WEBGPU_ALLOW_SOFTWARE: z.enum(["0", "1"]).default("0"),
  /** OpenBLAS kernels on the wasm backend (apps/trainer/native): "on" when the addon is built, "off" = plain wasm. */
  BUPO_NATIVE_KERNELS: z.enum(["on", "off"]).default("on"),
  /** OpenBLAS threads (1 by default: see apps/trainer/README.md, native kernels). */
  BUPO_BLAS_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** Force OPENBLAS_CORETYPE (default: chosen from the CPU's flags), e.g. SkylakeX, Haswell. */
  BUPO_BLAS_CORETYPE: z
    .string()
    .regex(/^[A-Za-z0-9]+$/, "BUPO_BLAS_CORETYPE must be an OpenBLAS core name such as SkylakeX")
    .optional(),
  /** Path of the addon file (default: native/build/Release/bupo_native.node). */
  BUPO_NATIVE_ADDON: z.string().optional(),
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

/** The WebGPU options of `initBackend` from the environment (`auto` never takes a software adapter). */
export function webgpuOptions(env: TrainerEnv): WebgpuOptions {
  return { allowSoftware: env.BUPO_WEBGPU_ALLOW_SOFTWARE === "1" };
}

/** The native-kernel options of `initBackend` from the environment. */
export function nativeKernelOptions(env: TrainerEnv): NativeKernelsOptions {
  return {
    enabled: env.BUPO_NATIVE_KERNELS === "on",
    threads: env.BUPO_BLAS_THREADS,
    ...(env.BUPO_BLAS_CORETYPE === undefined ? {} : { coreType: env.BUPO_BLAS_CORETYPE }),
    ...(env.BUPO_NATIVE_ADDON === undefined ? {} : { addonPath: env.BUPO_NATIVE_ADDON }),
  };
}
