/** Load the rows of a dataset task config (`config.task` with `source: "dataset"`). */
import type { DatasetTask } from "@bupo/shared";
import type { RunFiles } from "../files/run-files.ts";
import { loadJsonlDataset } from "./jsonl.ts";
import { loadParquetDataset } from "./parquet.ts";
import { type Split, splitTrainHeldOut } from "./split.ts";
import type { DatasetRow, LoadOptions } from "./types.ts";

/** Read one file in the given format. */
export function loadDatasetFile(
  path: string,
  format: DatasetTask["format"],
  options: LoadOptions = {},
): Promise<DatasetRow[]> {
  return format === "parquet" ? loadParquetDataset(path, options) : loadJsonlDataset(path, options);
}

/**
 * Train and held-out rows of a dataset task: the separate `evalPath` when given, else a deterministic
 * `heldOutFraction` split of `path` seeded with the run seed. Files are opened inside the task's root.
 */
export async function loadDatasetTask(
  task: DatasetTask,
  seed: number,
  files: RunFiles,
): Promise<Split<DatasetRow>> {
  const options: LoadOptions = {
    promptKey: task.promptKey,
    answerKey: task.answerKey,
    maxRows: task.maxRows || undefined,
  };
  const load = (relative: string) =>
    files.load("dataset", { root: task.root, path: relative }, (file) =>
      loadDatasetFile(file, task.format, options),
    );
  const rows = await load(task.path);
  if (task.evalPath) return { train: rows, heldOut: await load(task.evalPath) };
  return splitTrainHeldOut(rows, { fraction: task.heldOutFraction, seed });
}
