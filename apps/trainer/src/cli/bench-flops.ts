/**
 * Explicit FLOP counts for `bench` (1 multiply-add = 2 FLOPs). Only matrix products are counted — norms, RoPE,
 * softmax, SiLU, the loss and the optimizer are elementwise and ignored, as in the usual MFU accounting
 * (Kaplan et al. 2020, https://arxiv.org/abs/2001.08361, §2.1; PaLM appendix B).
 *
 * One decoder layer on B rows of T new tokens attending to S keys (S = T without a cache), N = B·T (shapes of
 * model/attention.ts: full T×S scores, the causal mask is applied after the product, so nothing is skipped):
 *   q, o projections      2 · 2N · d · (H·hd)
 *   k, v projections      2 · 2N · d · (KV·hd)
 *   scores Q·Kᵀ, P·V      2 · 2B · H · T · S · hd
 *   SwiGLU gate, up, down 3 · 2N · d · I
 * The unembedding of one state is 2·d·V per position (the embedding lookup is a gather: 0 FLOPs).
 *   F_fwd      = L · [4N·d·(H+KV)·hd + 4B·H·T²·hd + 6N·d·I] + 2N·d·V
 *   F_train    = 3 · F_fwd   (backward = 2× forward: one product for the input gradient, one for the weights)
 *   F_rollout  = prefill of P tokens (last position unembedded) + R − 1 single-token steps over P + s keys
 *   F_analysis = decoder (no logits) + 2N·d·V per unembedded state (see {@link unembeddedStates})
 * A training step here = one forward + backward + AdamW on the whole batch (the old-log-prob pass is separate).
 */
import type { ModelConfig } from "../model/config.ts";

/** One decoder layer: B rows of T new tokens attending to S keys. */
export function layerFlops(c: ModelConfig, B: number, T: number, S: number): number {
  const N = B * T;
  const d = c.hiddenSize;
  const hd = c.headDim;
  return (
    4 * N * d * (c.numHeads + c.numKvHeads) * hd + // q, k, v, o projections
    4 * B * c.numHeads * T * S * hd + // Q·Kᵀ and P·V
    6 * N * d * c.intermediateSize // gate, up, down
  );
}

/** Unembedding of `positions` states: [positions, d] × [d, V]. */
export function unembedFlops(c: ModelConfig, positions: number): number {
  return 2 * positions * c.hiddenSize * c.vocabSize;
}

/** Forward FLOPs (matrix products only) of B sequences of T tokens, logits at every position. */
export function forwardFlops(c: ModelConfig, B: number, T: number): number {
  return c.numLayers * layerFlops(c, B, T, T) + unembedFlops(c, B * T);
}

/** Forward + backward FLOPs of one training step on B × T tokens. */
export function trainStepFlops(c: ModelConfig, B: number, T: number): number {
  return 3 * forwardFlops(c, B, T);
}

/**
 * KV-cache sampling of R tokens after a P-token prompt (model/generate.ts, no early stop): the prefill, then
 * R − 1 steps feeding one token each; every step unembeds only the last position.
 */
export function rolloutFlops(c: ModelConfig, B: number, P: number, R: number): number {
  let total = R > 0 ? c.numLayers * layerFlops(c, B, P, P) + unembedFlops(c, B) : 0;
  for (let s = 1; s < R; s++) total += c.numLayers * layerFlops(c, B, 1, P + s) + unembedFlops(c, B);
  return total;
}

/**
 * States `analyzeInternalPolicies` unembeds per batch (analysis/internal-policy.ts): the final-normed stream,
 * the L + 1 residual streams (the last one is reused from the final stream under the normed lens or
 * `trueLastLayer`), and 4 module records per layer (attention and FFN input and output) → 5L + 2 by default.
 */
export function unembeddedStates(L: number, opts: { reuseLast?: boolean } = {}): number {
  return 1 + (opts.reuseLast === true ? L : L + 1) + 4 * L;
}

/** All-layer analysis of B rows of T tokens with the default options (raw lens): decoder + every unembedding. */
export function analysisFlops(c: ModelConfig, B: number, T: number): number {
  return c.numLayers * layerFlops(c, B, T, T) + unembeddedStates(c.numLayers) * unembedFlops(c, B * T);
}

/** FLOPs of an [M, K] × [K, N] product. */
export function matMulFlops(m: number, k: number, n: number): number {
  return 2 * m * k * n;
}
