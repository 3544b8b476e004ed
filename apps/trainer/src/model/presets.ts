/**
 * Size presets, as functions of (family, vocabSize). Sizes follow shared/docs/compute-notes.md §6:
 * tiny ≈ 1M params (demos / CI), small ≈ 4M (largest "useful in 15 minutes" on wasm), medium ≈ 6M (d256 L6).
 * Family defaults mirror the real checkpoints: Qwen3 = q/k-norm, tied, θ 1e6; Qwen2 = q/k/v bias, tied, θ 1e6;
 * Llama-3 = no bias, untied lm_head, θ 5e5, eps 1e-5.
 */
import { type ModelConfig, type ModelFamily, parseModelConfig } from "./config.ts";

export type ModelPresetName = "tiny" | "small" | "medium";

interface PresetShape {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  intermediateSize: number;
}

const SHAPES: Record<ModelPresetName, PresetShape> = {
  tiny: { hiddenSize: 128, numLayers: 4, numHeads: 4, numKvHeads: 2, intermediateSize: 512 },
  small: { hiddenSize: 256, numLayers: 4, numHeads: 4, numKvHeads: 2, intermediateSize: 1024 },
  medium: { hiddenSize: 256, numLayers: 6, numHeads: 4, numKvHeads: 2, intermediateSize: 1024 },
};

/** Family-specific flags (everything that is not a size). */
export function familyDefaults(family: ModelFamily) {
  switch (family) {
    case "qwen3":
      return {
        ropeTheta: 1e6,
        rmsNormEps: 1e-6,
        tieWordEmbeddings: true,
        attentionBias: false,
        qkNorm: true,
      };
    case "qwen2":
      return {
        ropeTheta: 1e6,
        rmsNormEps: 1e-6,
        tieWordEmbeddings: true,
        attentionBias: true,
        qkNorm: false,
      };
    case "llama":
      return {
        ropeTheta: 5e5,
        rmsNormEps: 1e-5,
        tieWordEmbeddings: false,
        attentionBias: false,
        qkNorm: false,
      };
  }
}

/** Builds a preset config. `maxPositionEmbeddings` defaults to 512 (toy tasks use T ≤ 128). */
export function modelPreset(
  name: ModelPresetName,
  family: ModelFamily,
  vocabSize: number,
  overrides: Partial<ModelConfig> = {},
): ModelConfig {
  const shape = SHAPES[name];
  return parseModelConfig({
    family,
    vocabSize,
    ...shape,
    headDim: shape.hiddenSize / shape.numHeads,
    maxPositionEmbeddings: 512,
    ...familyDefaults(family),
    ...overrides,
  });
}
