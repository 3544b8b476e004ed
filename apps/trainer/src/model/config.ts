/**
 * Model configuration: a decoder-only, pre-norm RMSNorm transformer (Qwen3 / Qwen2 / Llama-3 families).
 * Field names follow Hugging Face `config.json` in camelCase; see checkpoint/hf-config.ts for the mapping.
 * Families are configuration only: every flag below can be combined freely by the model code; only the
 * checkpoint writer insists on combinations that transformers can open.
 */
import { MODEL_FAMILIES } from "@bupo/shared/model-presets";
import { z } from "zod";

export const ModelFamilySchema = z.enum(MODEL_FAMILIES).describe("architecture family");
export type ModelFamily = z.infer<typeof ModelFamilySchema>;

/** Llama-3.1+ frequency-dependent RoPE scaling (`rope_scaling.rope_type = "llama3"`). */
export const Llama3RopeScalingSchema = z.object({
  type: z.literal("llama3"),
  factor: z.number().positive(),
  lowFreqFactor: z.number().positive(),
  highFreqFactor: z.number().positive(),
  originalMaxPositionEmbeddings: z.number().int().positive(),
});
export type Llama3RopeScaling = z.infer<typeof Llama3RopeScalingSchema>;

export const ModelConfigSchema = z
  .object({
    family: ModelFamilySchema,
    vocabSize: z.number().int().positive().describe("V: rows of the embedding and of lm_head"),
    hiddenSize: z.number().int().positive().describe("d: residual stream width"),
    numLayers: z.number().int().positive().describe("L: decoder layers"),
    numHeads: z.number().int().positive().describe("query heads"),
    numKvHeads: z.number().int().positive().describe("key/value heads (GQA); must divide numHeads"),
    headDim: z.number().int().positive().describe("per-head width (Qwen3 sets it explicitly; others d/H)"),
    intermediateSize: z.number().int().positive().describe("SwiGLU hidden width"),
    ropeTheta: z.number().positive().describe("RoPE base: 1e6 Qwen, 5e5 Llama-3"),
    ropeScaling: Llama3RopeScalingSchema.nullable().default(null).describe("Llama-3.1+ RoPE scaling or null"),
    rmsNormEps: z.number().positive().describe("epsilon inside every RMSNorm"),
    tieWordEmbeddings: z.boolean().describe("lm_head shares the embedding matrix (same variable)"),
    attentionBias: z.boolean().describe("bias on q/k/v projections (Qwen2); never on o_proj"),
    qkNorm: z.boolean().describe("per-head RMSNorm on q and k before RoPE (Qwen3)"),
    maxPositionEmbeddings: z.number().int().positive().describe("longest sequence the model is meant for"),
    initializerRange: z.number().positive().default(0.02).describe("std of the normal init"),
    bosTokenId: z.number().int().nonnegative().nullable().default(null),
    eosTokenId: z.number().int().nonnegative().nullable().default(null),
  })
  .refine((c) => c.numHeads % c.numKvHeads === 0, { message: "numKvHeads must divide numHeads" })
  .refine((c) => c.headDim % 2 === 0, { message: "headDim must be even (RoPE rotate-half)" });

/** Parsed model configuration (all defaults filled). */
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
/** Input form of {@link ModelConfig}: fields with defaults may be omitted. */
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;

/** Validates and fills defaults; throws a ZodError naming the offending fields. */
export function parseModelConfig(input: ModelConfigInput): ModelConfig {
  return ModelConfigSchema.parse(input);
}

/** Number of scalar parameters (tied lm_head counted once). */
export function countParameters(c: ModelConfig): number {
  const d = c.hiddenSize;
  const q = c.numHeads * c.headDim;
  const kv = c.numKvHeads * c.headDim;
  const attn =
    d * q + 2 * d * kv + q * d + (c.attentionBias ? q + 2 * kv : 0) + (c.qkNorm ? 2 * c.headDim : 0);
  const mlp = 3 * d * c.intermediateSize;
  const perLayer = attn + mlp + 2 * d;
  const embed = c.vocabSize * d;
  return embed + c.numLayers * perLayer + d + (c.tieWordEmbeddings ? 0 : embed);
}
