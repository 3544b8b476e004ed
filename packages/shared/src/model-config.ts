/**
 * Model source (`config.model`): a fresh model built from a preset, a model folder under one of the trainer's
 * model roots, or a checkpoint of one of the team's runs (the web checks the run belongs to the team).
 */
import { z } from "zod";
import { fileRefText, MODEL_ROOTS, relativePathField } from "./file-ref.ts";
import { ModelFamilySchema, ModelPresetSchema, TIE_EMBEDDINGS } from "./model-presets.ts";
import { enumOf, fieldName, objectError, showInput } from "./schema-helpers.ts";

const MAX_STEP = 1_000_000;

const tieEmbeddings = enumOf(TIE_EMBEDDINGS)
  .default("auto")
  .describe("Share input embedding and unembedding W_U: auto = family default (Qwen tied, Llama untied)");

export const PresetModelSchema = z
  .object(
    {
      source: z.literal("preset").describe("Build a fresh model from a size preset"),
      family: ModelFamilySchema.default("qwen3"),
      preset: ModelPresetSchema.default("tiny"),
      tieEmbeddings,
    },
    { error: objectError },
  )
  .describe("Fresh model from a preset");

export const CheckpointModelSchema = z
  .object(
    {
      source: z.literal("checkpoint").describe("Load a model folder from one of the trainer's model roots"),
      root: enumOf(MODEL_ROOTS)
        .default("models")
        .describe(
          "Where the folder lives: models (the trainer's models folder) or hf-cache (Hugging Face hub cache)",
        ),
      path: relativePathField({
        describe: "Model folder relative to its root (Hugging Face layout: config.json + model.safetensors)",
      }),
    },
    { error: objectError },
  )
  .describe("Model folder on the trainer (family, dims and tokenizer come from the folder)");

/** Run ids as the web makes them (cuid): letters, digits, `_` and `-`. */
export const RunRefIdSchema = z
  .string({ error: (iss) => `${fieldName(iss.path)} must be a run id (got ${showInput(iss.input)})` })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, {
    error: (iss) => `${fieldName(iss.path)} must be a run id (got ${showInput(iss.input)})`,
  })
  .describe("Id of one of the team's training runs");

export const RunCheckpointModelSchema = z
  .object(
    {
      source: z.literal("run-checkpoint").describe("Start from a checkpoint of one of the team's runs"),
      runId: RunRefIdSchema,
      step: z
        .int({
          error: (iss) =>
            `${fieldName(iss.path)} must be a checkpoint step between 0 and ${MAX_STEP} (got ${showInput(iss.input)})`,
        })
        .min(0)
        .max(MAX_STEP)
        .optional()
        .describe("Checkpoint step (empty = the run's latest checkpoint, fixed when the run is created)"),
    },
    { error: objectError },
  )
  .describe("Checkpoint of one of the team's training runs");
export type RunCheckpointModel = z.infer<typeof RunCheckpointModelSchema>;

export const ModelSourceSchema = z
  .discriminatedUnion("source", [PresetModelSchema, CheckpointModelSchema, RunCheckpointModelSchema], {
    error: objectError,
  })
  .describe("Model: preset (family + size), a model folder on the trainer, or a checkpoint of a team run");
export type ModelSource = z.infer<typeof ModelSourceSchema>;

/** A model source as users wrote it, for messages (`models:qwen3-0.6b`, `run abc step 6`). */
export function modelSourceText(source: ModelSource): string {
  if (source.source === "preset") return `preset ${source.family}/${source.preset}`;
  if (source.source === "checkpoint") return fileRefText(source);
  return `run ${source.runId} ${source.step === undefined ? "latest checkpoint" : `step ${source.step}`}`;
}
