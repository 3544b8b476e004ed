/**
 * Size presets, as functions of (family, vocabSize). The numbers live in packages/shared/src/model-presets.ts
 * (`presetDims`: sizes per shared/docs/compute-notes.md §6 and the family traits of the real checkpoints —
 * Qwen3 = q/k-norm, tied, θ 1e6; Qwen2 = q/k/v bias, tied, θ 1e6; Llama-3 = no bias, untied lm_head, θ 5e5,
 * eps 1e-5); this file only turns them into a parsed {@link ModelConfig}.
 */
import { type ModelPreset, presetDims } from "@bupo/shared/model-presets";
import { type ModelConfig, type ModelFamily, parseModelConfig } from "./config.ts";

export type ModelPresetName = ModelPreset;

/** Family-specific flags (everything that is not a size); the same for every preset of the family. */
export function familyDefaults(family: ModelFamily) {
  const { ropeTheta, rmsNormEps, tieWordEmbeddings, attentionBias, qkNorm } = presetDims(family, "tiny");
  return { ropeTheta, rmsNormEps, tieWordEmbeddings, attentionBias, qkNorm };
}

/** Builds a preset config (`maxPositionEmbeddings` 512 from the preset: toy tasks use T ≤ 128). */
export function modelPreset(
  name: ModelPresetName,
  family: ModelFamily,
  vocabSize: number,
  overrides: Partial<ModelConfig> = {},
): ModelConfig {
  return parseModelConfig({ family, vocabSize, ...presetDims(family, name), ...overrides });
}
