/**
 * Internal-policy analysis (spec §1–§3): per-layer and per-module entropies of W_U-unembedded states, entropy
 * changes ΔH, token-weighted pooled means, and a logit-lens grid. Everything returned is plain JS numbers.
 */
export { analyzeInternalPolicies, type InternalPolicyOptions } from "./internal-policy.ts";
export { layerEntropyFromMeans } from "./layer-entropy.ts";
export { DEFAULT_MAX_CHUNK_ELEMENTS } from "./lens-head.ts";
export { type LogitLensCell, type LogitLensGrid, type LogitLensOptions, logitLens } from "./logit-lens.ts";
export { poolTokenMeans, resolveRange } from "./pooling.ts";
export type {
  EntropyMeans,
  InternalPolicyAnalysis,
  LensMode,
  PositionRange,
  SampleEntropies,
} from "./types.ts";
