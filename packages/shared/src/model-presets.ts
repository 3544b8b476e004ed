/**
 * Model preset dimensions — the single source of truth for the launch form, the web API and the trainer.
 *
 * Presets are small pre-norm RMSNorm decoders in the style of the three families the BuPO repo patches
 * (bupo-spec §0): Qwen3 (per-head q/k RMSNorm, no attention bias), Qwen2 (q/k/v bias, no q/k norm) and
 * Llama (neither). Layer counts: tiny 4, small 4, medium 6 (all families). The vocabulary size is NOT part
 * of a preset: it comes from the tokenizer (char-level for built-in tasks, tokenizer.json for datasets).
 */
import type { z } from "zod";
import { enumOf } from "./schema-helpers.ts";

export const MODEL_FAMILIES = ["qwen3", "qwen2", "llama"] as const;
export const ModelFamilySchema = enumOf(MODEL_FAMILIES).describe(
  "Architecture family: qwen3 (q/k norm), qwen2 (qkv bias) or llama (plain); decides BuPO's typical k",
);
export type ModelFamily = z.infer<typeof ModelFamilySchema>;

export const MODEL_PRESETS = ["tiny", "small", "medium"] as const;
export const ModelPresetSchema = enumOf(MODEL_PRESETS).describe(
  "Model size preset: tiny (4 layers, d=128), small (4 layers, d=256) or medium (6 layers, d=256)",
);
export type ModelPreset = z.infer<typeof ModelPresetSchema>;

/** Size facts of a preset (identical across families); names match the trainer's `ModelConfig`. */
export interface PresetSize {
  /** Decoder layers L; the BuPO internal layer k must satisfy 0 ≤ k < L. */
  numLayers: number;
  /** Residual width d (= numHeads · headDim). */
  hiddenSize: number;
  numHeads: number;
  /** Grouped-query attention: key/value heads (divides numHeads). */
  numKvHeads: number;
  headDim: number;
  /** SwiGLU inner width. */
  intermediateSize: number;
  /** Longest prompt + response the model is built for (RoPE positions). */
  maxPositionEmbeddings: number;
}

/** Architecture traits fixed by the family (names match the trainer's `ModelConfig`). */
export interface FamilyTraits {
  /** Per-head RMSNorm on q and k before RoPE (Qwen3). */
  qkNorm: boolean;
  /** Bias on the q/k/v projections (Qwen2); never on o_proj. */
  attentionBias: boolean;
  /** Family default for sharing embedding and lm_head (Qwen tie, Llama-3 8B does not). */
  tieWordEmbeddings: boolean;
  ropeTheta: number;
  rmsNormEps: number;
}

export type ModelDims = PresetSize & FamilyTraits;

// Sizes follow shared/docs/compute-notes.md §3/§6 (wasm on 2 cores): tiny = model A (d128 L4, ≈1.1M params
// at V≤256, demos/CI), small = model B (d256 L4, ≈4.2M, largest "useful in 15 minutes"), medium = model C
// (d256 L6, ≈6.3M).
const PRESET_SIZES: Record<ModelPreset, PresetSize> = {
  tiny: sizeOf({ numLayers: 4, hiddenSize: 128, numHeads: 4, numKvHeads: 2, intermediateSize: 512 }),
  small: sizeOf({ numLayers: 4, hiddenSize: 256, numHeads: 4, numKvHeads: 2, intermediateSize: 1024 }),
  medium: sizeOf({ numLayers: 6, hiddenSize: 256, numHeads: 4, numKvHeads: 2, intermediateSize: 1024 }),
};

function sizeOf(s: Omit<PresetSize, "headDim" | "maxPositionEmbeddings">): PresetSize {
  return { ...s, headDim: s.hiddenSize / s.numHeads, maxPositionEmbeddings: 512 };
}

// RoPE θ, RMSNorm ε and tying follow the public configs (Qwen3/Qwen2: 1e6 / 1e-6 / tied; Llama-3: 5e5 / 1e-5 /
// untied as in Llama-3-8B).
const FAMILY_TRAITS: Record<ModelFamily, FamilyTraits> = {
  qwen3: {
    qkNorm: true,
    attentionBias: false,
    tieWordEmbeddings: true,
    ropeTheta: 1_000_000,
    rmsNormEps: 1e-6,
  },
  qwen2: {
    qkNorm: false,
    attentionBias: true,
    tieWordEmbeddings: true,
    ropeTheta: 1_000_000,
    rmsNormEps: 1e-6,
  },
  llama: {
    qkNorm: false,
    attentionBias: false,
    tieWordEmbeddings: false,
    ropeTheta: 500_000,
    rmsNormEps: 1e-5,
  },
};

/** Full dimensions of a family × preset (a fresh object; safe to mutate). */
export function presetDims(family: ModelFamily, preset: ModelPreset): ModelDims {
  const size = PRESET_SIZES[preset];
  const traits = FAMILY_TRAITS[family];
  if (!size) throw new Error(`Unknown model preset "${preset}"; valid presets: ${MODEL_PRESETS.join(", ")}`);
  if (!traits)
    throw new Error(`Unknown model family "${family}"; valid families: ${MODEL_FAMILIES.join(", ")}`);
  return { ...size, ...traits };
}

export const TIE_EMBEDDINGS = ["auto", "tied", "untied"] as const;
export type TieEmbeddings = (typeof TIE_EMBEDDINGS)[number];

/** Resolve the run config's `tieEmbeddings` choice against the family default. */
export function resolveTieEmbeddings(family: ModelFamily, choice: TieEmbeddings): boolean {
  return choice === "auto" ? FAMILY_TRAITS[family].tieWordEmbeddings : choice === "tied";
}

/** Number of decoder layers L of a preset (k must be < L). */
export function presetLayerCount(family: ModelFamily, preset: ModelPreset): number {
  return presetDims(family, preset).numLayers;
}
