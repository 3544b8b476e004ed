/**
 * Dataset files under the trainer's dataset roots (its datasets folders and the built-in data): `.parquet` and
 * `.jsonl` files up to three folders deep, with their size and row count (parquet metadata; lines of a jsonl
 * file up to 64 MiB). Built-in files carry the paper's title and role.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { TrainerDataset } from "@bupo/shared/model-library";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { BUILTIN_DATASETS } from "./builtin-datasets.ts";

const MAX_DEPTH = 3;
const MAX_COUNTED_JSONL = 64 * 2 ** 20;

export function datasetFormatOf(file: string): "parquet" | "jsonl" | undefined {
  if (file.endsWith(".parquet")) return "parquet";
  if (file.endsWith(".jsonl")) return "jsonl";
  return undefined;
}

async function walk(rootDir: string, relative: string, depth: number, out: string[], limit: number) {
  const entries = await readdir(path.join(rootDir, relative), { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= limit || e.name.startsWith(".")) continue;
    const child = relative === "" ? e.name : `${relative}/${e.name}`;
    if (e.isDirectory() && depth + 1 < MAX_DEPTH) await walk(rootDir, child, depth + 1, out, limit);
    else if (e.isFile() && datasetFormatOf(e.name)) out.push(child);
  }
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  return last === 10 ? lines : lines + 1;
}

/** Rows of a dataset file, or undefined when the file does not tell (not a valid parquet, a big jsonl). */
export async function rowCount(
  file: string,
  format: "parquet" | "jsonl",
  size: number,
): Promise<number | undefined> {
  try {
    if (format === "parquet")
      return Number((await parquetMetadataAsync(await asyncBufferFromFile(file))).num_rows);
    return size <= MAX_COUNTED_JSONL ? await countLines(file) : undefined;
  } catch {
    return undefined;
  }
}

/** The dataset files of one root's folders (the first folder wins for a path found in several). */
export async function findDatasets(
  root: "datasets" | "builtin",
  dirs: readonly string[],
  limit: number,
): Promise<TrainerDataset[]> {
  const found = new Map<string, TrainerDataset>();
  for (const rootDir of dirs) {
    const relatives: string[] = [];
    await walk(rootDir, "", 0, relatives, limit);
    for (const relative of relatives) {
      const format = datasetFormatOf(relative);
      if (found.has(relative) || found.size >= limit || format === undefined) continue;
      const file = path.join(rootDir, relative);
      const size = (await stat(file)).size;
      const known = root === "builtin" ? BUILTIN_DATASETS[relative] : undefined;
      const rows = await rowCount(file, format, size);
      found.set(relative, {
        name: known?.title ?? relative,
        ref: { root, path: relative },
        format,
        builtin: root === "builtin",
        ...(rows === undefined ? {} : { rows }),
        sizeBytes: size,
        ...(known ? { role: known.role } : {}),
      });
    }
  }
  return [...found.values()];
}
