/**
 * The model and dataset library: what each trainer can load from its file roots (models folders, the Hugging
 * Face hub cache, datasets folders, the built-in data), as the trainer reports it (`library.list`), and as the
 * web merges it across trainers plus the team's own training-run checkpoints (`library.models`). A run names a
 * library entry by its reference (`ref`), never by a path on the trainer machine.
 */
import { z } from "zod";
import { DATASET_ROOTS, FILE_ROOTS, relativePathField } from "./file-ref.ts";
import {
  CheckpointModelSchema,
  type ModelSourceSchema,
  type RunCheckpointModelSchema,
} from "./model-config.ts";
import { MODEL_FAMILIES } from "./model-presets.ts";
import { DATASET_FORMATS } from "./task-config.ts";

/** Bounds of one trainer's listing (the payload stays small whatever is on disk). */
export const MAX_LIBRARY_MODELS = 500;
export const MAX_LIBRARY_DATASETS = 500;
export const MAX_PREVIEW_ROWS = 10;
/** Characters kept of a previewed prompt or answer. */
export const MAX_PREVIEW_CHARS = 2000;

const text = (max: number) => z.string().max(max);
const count = z.int().min(0);

/** Shape facts read from config.json and the safetensors headers (absent when the folder could not tell). */
export const ModelFactsSchema = z.object({
  architecture: text(200),
  family: z.enum(MODEL_FAMILIES).optional(),
  layers: count.optional(),
  hiddenSize: count.optional(),
  heads: count.optional(),
  kvHeads: count.optional(),
  vocabSize: count.optional(),
  /** Parameter count summed over the safetensors headers' shapes (weights are not read). */
  parameters: z.number().min(0).optional(),
  /** Stored dtype(s), e.g. BF16, or "BF16+F32" when mixed. */
  dtype: text(40).optional(),
});
export type ModelFacts = z.infer<typeof ModelFactsSchema>;

/** Whether a job of each kind fits this trainer's memory (see the trainer's library/fit-estimate.ts). */
export const ModelFitSchema = z.object({
  analysis: z.boolean(),
  training: z.boolean(),
  /** Estimated peak bytes of each, and the bytes allowed, for the picker's tooltip. */
  analysisBytes: z.number().min(0),
  trainingBytes: z.number().min(0),
  allowedBytes: z.number().min(0),
});
export type ModelFit = z.infer<typeof ModelFitSchema>;

/** One model folder a trainer holds. */
export const TrainerModelSchema = z.object({
  /** `Org/Name` for the hub cache, the folder path for a models folder. */
  name: text(300),
  /** Hub revision (commit) of the snapshot, when from the hub cache. */
  revision: text(80).optional(),
  ref: CheckpointModelSchema,
  facts: ModelFactsSchema,
  /** Undefined when the trainer can load it; else why not (architecture, missing weights, …). */
  unsupported: text(500).optional(),
  sizeBytes: z.number().min(0),
  tokenizer: z.boolean(),
  chatTemplate: z.boolean(),
  fit: ModelFitSchema.optional(),
});
export type TrainerModel = z.infer<typeof TrainerModelSchema>;

export const DatasetRefSchema = z.object({
  root: z.enum(DATASET_ROOTS),
  path: relativePathField({ describe: "Dataset file relative to its root" }),
});
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

/** One dataset file a trainer holds. */
export const TrainerDatasetSchema = z.object({
  /** Display name: the built-in dataset's title or the file's path in its root. */
  name: text(300),
  ref: DatasetRefSchema,
  format: z.enum(DATASET_FORMATS),
  builtin: z.boolean(),
  /** Rows (parquet metadata; counted lines for jsonl), when known. */
  rows: count.optional(),
  sizeBytes: z.number().min(0),
  /** What the paper uses it for (built-ins): evaluation or training. */
  role: z.enum(["training", "evaluation"]).optional(),
});
export type TrainerDataset = z.infer<typeof TrainerDatasetSchema>;

/** `library.list` of one trainer. */
export const TrainerLibrarySchema = z.object({
  models: z.array(TrainerModelSchema).max(MAX_LIBRARY_MODELS),
  datasets: z.array(TrainerDatasetSchema).max(MAX_LIBRARY_DATASETS),
  scannedAt: z.iso.datetime(),
  /** Roots that could not be read (missing folder, permissions), by root id only. */
  unreadableRoots: z.array(z.enum(FILE_ROOTS)).max(FILE_ROOTS.length),
});
export type TrainerLibrary = z.infer<typeof TrainerLibrarySchema>;

// ---- web: merged across trainers --------------------------------------------------------------------------

/** A model of the team's library: trainer models (with the trainers that hold them) and team-run checkpoints. */
export type LibraryModel =
  | (Omit<TrainerModel, "fit"> & {
      kind: "trainer";
      /** Trainers holding the same reference, with each one's fit estimate. */
      trainers: { trainerId: string; fit?: ModelFit }[];
    })
  | {
      kind: "run-checkpoint";
      name: string;
      ref: z.infer<typeof RunCheckpointModelSchema>;
      facts: ModelFacts;
      /** The run's algorithm and model, for the picker's subtitle. */
      detail: string;
      unsupported?: undefined;
      trainers: { trainerId: string }[];
    };

export type LibraryDataset = TrainerDataset & { trainers: string[] };

/** A stable key of a model source (picker selection, dedupe across trainers). */
export function modelSourceKey(source: z.infer<typeof ModelSourceSchema>): string {
  if (source.source === "preset") return `preset:${source.family}:${source.preset}:${source.tieEmbeddings}`;
  if (source.source === "checkpoint") return `checkpoint:${source.root}:${source.path}`;
  return `run:${source.runId}:${source.step ?? "latest"}`;
}

export const DatasetPreviewInputSchema = z.object({ ref: DatasetRefSchema });

export const DatasetPreviewSchema = z.object({
  rows: z
    .array(z.object({ prompt: text(MAX_PREVIEW_CHARS), answer: text(MAX_PREVIEW_CHARS) }))
    .max(MAX_PREVIEW_ROWS),
  /** Rows in the file. */
  total: count,
});
export type DatasetPreview = z.infer<typeof DatasetPreviewSchema>;
