/**
 * Chunked unembedding for analysis: z = x · W_Uᵀ for a block of positions at a time, reduced to plain numbers
 * (entropy, top-k) and disposed before the next block. At most `rowsPerChunk × V` logits exist at once, so a
 * 151,936-token vocabulary works; [layers × tokens × vocab] is never formed.
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../model/config.ts";
import { rmsNorm } from "../model/layers.ts";
import type { ModelWeights } from "../model/weights.ts";
import { entropyFromLogits, hasFusedKernel } from "../tensor/fused-ops.ts";

/** Default cap on logits alive per chunk (4 Mi floats = 16 MiB per intermediate). */
export const DEFAULT_MAX_CHUNK_ELEMENTS = 1 << 22;
/** With the fused entropy kernel a chunk's logits are its only intermediate, so chunks can be 8× larger: about
 *  220 rows at V = 151,936, where sgemm runs near peak (27 rows ran at half of it). */
const FUSED_ENTROPY_CHUNK_ELEMENTS = 1 << 25;

/** W_U transposed once per analysis call (owned; call `dispose`). */
export interface LensHead {
  wuT: tf.Tensor2D; // [d, V]
  norm: tf.Tensor1D | tf.Variable; // [d] final RMSNorm weight
  eps: number;
  vocabSize: number;
  /** Rows per chunk for top-k (softmax, top-k and entropy intermediates). */
  rowsPerChunk: number;
  /** Rows per chunk for entropies alone. */
  entropyRowsPerChunk: number;
  dispose(): void;
}

/** @param maxChunkElements logits alive per chunk; default 4 Mi (32 Mi for entropies with the fused kernel) */
export function createLensHead(w: ModelWeights, c: ModelConfig, maxChunkElements?: number): LensHead {
  const wuT = tf.transpose(w.lmHead) as tf.Tensor2D; // [d, V]
  const rows = (elements: number) => Math.max(1, Math.floor(elements / c.vocabSize));
  const entropyElements = hasFusedKernel("entropy")
    ? FUSED_ENTROPY_CHUNK_ELEMENTS
    : DEFAULT_MAX_CHUNK_ELEMENTS;
  return {
    wuT,
    norm: w.norm,
    eps: c.rmsNormEps,
    vocabSize: c.vocabSize,
    rowsPerChunk: rows(maxChunkElements ?? DEFAULT_MAX_CHUNK_ELEMENTS),
    entropyRowsPerChunk: rows(maxChunkElements ?? entropyElements),
    dispose: () => wuT.dispose(),
  };
}

/** Logits of rows [r0, r0 + n) of x, optionally through the final RMSNorm first. x [N, d] → [n, V]. */
function chunkLogits(head: LensHead, x: tf.Tensor2D, r0: number, n: number, applyNorm: boolean): tf.Tensor2D {
  const xc = tf.slice(x, [r0, 0], [n, x.shape[1]]) as tf.Tensor2D; // [n, d]
  const input = applyNorm ? rmsNorm(xc, head.norm as tf.Tensor1D, head.eps) : xc; // [n, d]
  return tf.matMul(input, head.wuT); // [n, V]
}

/**
 * Per-row entropy (nats) of softmax(W_U · x) for x [N, d] (a flattened [B, T, d] state). Leaves no tensors.
 * @param applyNorm unembed RMSNorm_final(x) instead of x
 */
export async function entropyOfRows(
  head: LensHead,
  x: tf.Tensor2D,
  applyNorm: boolean,
): Promise<Float32Array> {
  const N = x.shape[0];
  const out = new Float32Array(N);
  for (let r0 = 0; r0 < N; r0 += head.entropyRowsPerChunk) {
    const n = Math.min(head.entropyRowsPerChunk, N - r0);
    const h = tf.tidy(() => entropyFromLogits(chunkLogits(head, x, r0, n, applyNorm))); // [n]
    out.set((await h.data()) as Float32Array, r0);
    h.dispose();
  }
  return out;
}

export interface TopKRow {
  tokenIds: number[];
  probs: number[];
  entropy: number;
}

/** Top-k tokens, their probabilities and the entropy of softmax(W_U · x) for each row of x [N, d]. */
export async function topKOfRows(
  head: LensHead,
  x: tf.Tensor2D,
  k: number,
  applyNorm: boolean,
): Promise<TopKRow[]> {
  const N = x.shape[0];
  const kk = Math.min(k, head.vocabSize);
  const rows: TopKRow[] = [];
  for (let r0 = 0; r0 < N; r0 += head.rowsPerChunk) {
    const n = Math.min(head.rowsPerChunk, N - r0);
    const [values, indices, entropy] = tf.tidy(() => {
      const z = chunkLogits(head, x, r0, n, applyNorm); // [n, V]
      const top = tf.topk(tf.softmax(z), kk); // values/indices [n, k]
      return [top.values, top.indices, entropyFromLogits(z)];
    }) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const [pv, iv, hv] = await Promise.all([values.data(), indices.data(), entropy.data()]);
    tf.dispose([values, indices, entropy]);
    for (let i = 0; i < n; i++) {
      rows.push({
        tokenIds: Array.from(iv.subarray(i * kk, (i + 1) * kk)),
        probs: Array.from(pv.subarray(i * kk, (i + 1) * kk)),
        entropy: hv[i] as number,
      });
    }
  }
  return rows;
}
