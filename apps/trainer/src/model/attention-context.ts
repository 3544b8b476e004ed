/**
 * Per-forward attention context: RoPE tables for each query position and the additive causal/padding mask.
 * Built on the host (small: B·T·hd/2 and B·T·S floats) and uploaded as tensors that the caller's tidy owns.
 *
 * Padding convention: `attentionMask[b][j]` (1 = real token, 0 = padding) covers all S = past + T key positions.
 * Position ids follow transformers generation: `cumsum(mask) − 1`, so a left-padded row starts at position 0 at
 * its first real token and gives the same result as the unpadded row.
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./config.ts";
import { ropeTables } from "./rope.ts";

/** Large negative bias for masked keys (finite, so fully-masked padding rows stay NaN-free). */
export const MASKED_BIAS = -1e9;

export interface AttentionContext {
  cos: tf.Tensor4D; // [B|1, 1, T, hd/2]
  sin: tf.Tensor4D; // [B|1, 1, T, hd/2]
  mask: tf.Tensor4D; // [B|1, 1, T, S]  0 or MASKED_BIAS
}

/**
 * @param batch         B
 * @param queryLength   T (new tokens in this call)
 * @param pastLength    P (tokens already in the KV cache); S = P + T
 * @param attentionMask optional [B][S] of 0/1
 */
export function buildAttentionContext(
  c: ModelConfig,
  batch: number,
  queryLength: number,
  pastLength: number,
  attentionMask?: number[][],
): AttentionContext {
  const T = queryLength;
  const S = pastLength + T;
  const half = c.headDim / 2;
  if (attentionMask === undefined) {
    const positions = Array.from({ length: T }, (_, t) => pastLength + t);
    const { cos, sin } = ropeTables(c, positions);
    const mask = new Float32Array(T * S);
    for (let t = 0; t < T; t++) for (let j = pastLength + t + 1; j < S; j++) mask[t * S + j] = MASKED_BIAS;
    return {
      cos: tf.tensor4d(cos, [1, 1, T, half]),
      sin: tf.tensor4d(sin, [1, 1, T, half]),
      mask: tf.tensor4d(mask, [1, 1, T, S]),
    };
  }
  if (attentionMask.length !== batch)
    throw new Error(`attentionMask has ${attentionMask.length} rows, expected ${batch}`);
  const positions = new Array<number>(batch * T);
  const mask = new Float32Array(batch * T * S);
  attentionMask.forEach((row, b) => {
    if (row.length !== S) throw new Error(`attentionMask row ${b} has length ${row.length}, expected ${S}`);
    let count = 0;
    for (let j = 0; j < S; j++) {
      const real = row[j] !== 0;
      if (real) count++;
      if (j >= pastLength) positions[b * T + (j - pastLength)] = real ? count - 1 : 1;
    }
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < S; j++) {
        if (j > pastLength + t || row[j] === 0) mask[(b * T + t) * S + j] = MASKED_BIAS;
      }
    }
  });
  const { cos, sin } = ropeTables(c, positions);
  return {
    cos: tf.tensor4d(cos, [batch, 1, T, half]),
    sin: tf.tensor4d(sin, [batch, 1, T, half]),
    mask: tf.tensor4d(mask, [batch, 1, T, S]),
  };
}
