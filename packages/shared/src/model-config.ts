/**
 * Model source (`config.model`): a fresh model built from a preset, or a trainer checkpoint.
 */
import { z } from "zod";
import { ModelFamilySchema, ModelPresetSchema, TIE_EMBEDDINGS } from "./model-presets.ts";
import { enumOf, objectError, stringField } from "./schema-helpers.ts";

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
      source: z.literal("checkpoint").describe("Load a trainer checkpoint"),
      path: stringField({ min: 1, max: 1024, describe: "Checkpoint folder on the trainer machine" }),
    },
    { error: objectError },
  )
  .describe("Model loaded from a checkpoint (family, dims and tokenizer come from the checkpoint)");

export const ModelSourceSchema = z
  .discriminatedUnion("source", [PresetModelSchema, CheckpointModelSchema], { error: objectError })
  .describe("Model: preset (family + size) or checkpoint path");
export type ModelSource = z.infer<typeof ModelSourceSchema>;
