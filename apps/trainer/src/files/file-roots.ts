/**
 * The folders a trainer may open files in, from its environment: each file root of a run config
 * (@bupo/shared/file-ref) maps to one or more folders, and run checkpoints live under the runs folder.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FileRootId } from "@bupo/shared/file-ref";
import type { TrainerEnv } from "../env.ts";

export interface FileRoots {
  /** Folders of each root, searched in order. An empty list = the root is not configured here. */
  readonly dirs: Readonly<Record<FileRootId, readonly string[]>>;
  /** `runsDir/<runId>/checkpoints/step-<N>`: the checkpoints of runs, named only by run id and step. */
  readonly runsDir: string;
}

/** The Hugging Face hub cache as huggingface_hub finds it: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache. */
export function hfHubCache(env: Pick<TrainerEnv, "HF_HUB_CACHE" | "HF_HOME">): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return path.join(env.HF_HOME, "hub");
  return path.join(os.homedir(), ".cache", "huggingface", "hub");
}

/** The product's built-in data shipped in the repo (apps/trainer/builtin: the paper's datasets). */
export const BUILTIN_DIR = fileURLToPath(new URL("../../builtin", import.meta.url));

export function fileRootsFromEnv(env: TrainerEnv): FileRoots {
  const dataDir = env.TRAINER_DATA_DIR;
  const list = (value: string | undefined, fallback: string[]) =>
    value === undefined ? fallback : value.split(path.delimiter).filter((dir) => dir.length > 0);
  return {
    dirs: {
      models: list(env.TRAINER_MODELS_DIRS, [path.join(dataDir, "models")]),
      "hf-cache": [hfHubCache(env)],
      datasets: list(env.TRAINER_DATASETS_DIRS, [path.join(dataDir, "datasets")]),
      builtin: list(env.TRAINER_BUILTIN_DIRS, [BUILTIN_DIR]),
    },
    runsDir: env.TRAINER_RUNS_DIR ?? path.join(dataDir, "runs"),
  };
}

/** Roots that open nothing (a run that names no file, or a caller that allows none). */
export const NO_FILE_ROOTS: FileRoots = {
  dirs: { models: [], "hf-cache": [], datasets: [], builtin: [] },
  runsDir: "",
};
