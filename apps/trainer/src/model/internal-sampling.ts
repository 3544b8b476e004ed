/**
 * Sampling text from an internal layer policy π_k (spec §1.1, issue 15: "what a layer would say"), with the same
 * KV-cache loop as the model's own sampler:
 *   k < L−1, raw lens (repo-faithful default): π_k = softmax(W_U · h_{k+1} / T), no final norm;
 *   k < L−1, normed lens:                      π_k = softmax(W_U · RMSNorm_final(h_{k+1}) / T);
 *   k = L−1 (either lens):                      π_{L−1} = softmax(W_U · RMSNorm_final(h_L) / T) = the model policy.
 * For analysis only: rollouts never sample from an internal head (spec §4.2, §9 C10).
 */
import type { ModelConfig } from "./config.ts";
import {
  type GenerateOptions,
  type GenerateResult,
  type SampledState,
  sampleWithKvCache,
} from "./generate.ts";
import { rmsNorm } from "./layers.ts";
import type { ModelWeights } from "./weights.ts";

export interface InternalSamplingOptions extends GenerateOptions {
  /** Repo 0-based internal layer k ∈ [0, L−1] (paper layer k+1). */
  layer: number;
  /** Apply the final RMSNorm before W_U for k < L−1 (the "normed" lens). Default false (raw, repo-faithful). */
  applyFinalNorm?: boolean;
}

/** The state π_k unembeds (see the module comment). Throws for k outside [0, L−1]. */
export function internalPolicyState(
  w: ModelWeights,
  c: ModelConfig,
  layer: number,
  applyFinalNorm = false,
): SampledState {
  const L = c.numLayers;
  if (!(Number.isInteger(layer) && layer >= 0 && layer < L))
    throw new Error(`layer must be an integer in [0, ${L - 1}], got ${layer}`);
  if (layer === L - 1) return (dec) => dec.finalNormed; // π_{L−1} ≡ π, same code path
  return (dec) => {
    const h = dec.hidden[layer + 1] as (typeof dec.hidden)[number]; // [B, T, d] raw residual after layer k
    return applyFinalNorm ? rmsNorm(h, w.norm, c.rmsNormEps) : h; // [B, T, d]
  };
}

/** Samples up to `maxNewTokens` per row from π_k. Leaves no tensors behind. */
export function generateFromLayer(
  w: ModelWeights,
  c: ModelConfig,
  promptTokens: number[][],
  opts: InternalSamplingOptions,
): Promise<GenerateResult> {
  const { layer, applyFinalNorm, ...sampling } = opts;
  return sampleWithKvCache(w, c, promptTokens, sampling, internalPolicyState(w, c, layer, applyFinalNorm));
}
