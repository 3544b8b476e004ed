/**
 * The first rows of a dataset file as prompt and answer text, read through the run files (inside the root,
 * failures generic): only the parsed rows of a valid dataset leave the trainer, each field bounded.
 */
import { stat } from "node:fs/promises";
import {
  type DatasetPreview,
  type DatasetRef,
  MAX_PREVIEW_CHARS,
  MAX_PREVIEW_ROWS,
} from "@bupo/shared/model-library";
import { loadDatasetFile } from "../data/load.ts";
import type { DatasetRow } from "../data/types.ts";
import type { RunFiles } from "../files/run-files.ts";
import { datasetFormatOf, rowCount } from "./find-datasets.ts";

const PREVIEW_ROWS = 5;

/** The problem of a prompt: the last user message of chat messages, or the text itself. */
function promptText(prompt: DatasetRow["prompt"]): string {
  if (typeof prompt === "string") return prompt;
  const user = [...prompt].reverse().find((m) => m.role === "user") ?? prompt[prompt.length - 1];
  return user?.content ?? "";
}

const bounded = (s: string) => (s.length > MAX_PREVIEW_CHARS ? `${s.slice(0, MAX_PREVIEW_CHARS - 1)}…` : s);

export async function previewDataset(files: RunFiles, ref: DatasetRef): Promise<DatasetPreview> {
  return files.load("dataset", ref, async (file) => {
    const format = datasetFormatOf(file);
    if (format === undefined) throw new Error("not a .parquet or .jsonl file");
    const rows = await loadDatasetFile(file, format, { maxRows: PREVIEW_ROWS });
    const { size } = await stat(file);
    return {
      rows: rows.slice(0, Math.min(PREVIEW_ROWS, MAX_PREVIEW_ROWS)).map((r) => ({
        prompt: bounded(promptText(r.prompt)),
        answer: bounded(r.groundTruth),
      })),
      total: (await rowCount(file, format, size)) ?? rows.length,
    };
  });
}
