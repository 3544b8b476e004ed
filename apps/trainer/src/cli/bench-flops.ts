/**
 * Explicit FLOP counts for `bench` (1 multiply-add = 2 FLOPs). Only matrix products are counted — norms, RoPE,
 * softmax, SiLU, the loss and the optimizer are elementwise and ignored, as in the usual MFU accounting
 * (Kaplan et al. 2020, https://arxiv.org/abs/2001.08361, §2.1; PaLM appendix B).
 *
 * Forward pass of one sequence batch, B rows of T tokens, N = B·T, per decoder layer (shapes of
 * model/attention.ts: full T×T scores, the causal mask is applied after the product, so nothing is skipped):
 *   q, o projections      2 · 2N · d · (H·hd)
 *   k, v projections      2 · 2N · d · (KV·hd)
 *   scores Q·Kᵀ, P·V      2 · 2B · H · T² · hd
 *   SwiGLU gate, up, down 3 · 2N · d · I
 * plus the unembedding 2N · d · V once (the embedding lookup is a gather: 0 FLOPs).
 *   F_fwd   = L · [4N·d·(H+KV)·hd + 4B·H·T²·hd + 6N·d·I] + 2N·d·V
 *   F_train = 3 · F_fwd   (backward = 2× forward: one product for the input gradient, one for the weights)
 * A training step here = one forward + backward + AdamW on the whole batch (the old-log-prob pass is separate).
 */
import type { ModelConfig } from "../model/config.ts";

/** Forward FLOPs (matrix products only) of B sequences of T tokens. */
export function forwardFlops(c: ModelConfig, B: number, T: number): number {
  const N = B * T;
  const d = c.hiddenSize;
  const hd = c.headDim;
  const perLayer =
    4 * N * d * (c.numHeads + c.numKvHeads) * hd + // q, k, v, o projections
    4 * B * c.numHeads * T * T * hd + // Q·Kᵀ and P·V
    6 * N * d * c.intermediateSize; // gate, up, down
  return c.numLayers * perLayer + 2 * N * d * c.vocabSize;
}

/** Forward + backward FLOPs of one training step on B × T tokens. */
export function trainStepFlops(c: ModelConfig, B: number, T: number): number {
  return 3 * forwardFlops(c, B, T);
}

/** FLOPs of an [M, K] × [K, N] product. */
export function matMulFlops(m: number, k: number, n: number): number {
  return 2 * m * k * n;
}
