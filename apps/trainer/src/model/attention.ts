/**
 * Grouped-query self-attention with matMul only (no einsum; wasm has none).
 * Query heads are grouped as transformers' `repeat_kv` does (head h reads kv head ⌊h / G⌋, G = H / KV), but the
 * K/V tensors are never repeated: q is reshaped to [B, KV, G·T, hd] so one batched matMul per group suffices.
 */
import * as tf from "@tensorflow/tfjs";
import { softmax } from "../tensor/fused-ops.ts";
import type { AttentionContext } from "./attention-context.ts";
import type { ModelConfig } from "./config.ts";
import { linear, rmsNorm } from "./layers.ts";
import { applyRope } from "./rope.ts";
import type { AttentionWeights } from "./weights.ts";

/** Keys and values of one layer for all S positions seen so far. */
export interface KvEntry {
  k: tf.Tensor4D; // [B, KV, S, hd]  (after RoPE)
  v: tf.Tensor4D; // [B, KV, S, hd]
}

/** Projects to heads, applies per-head q/k norm (Qwen3) and moves heads before time. x [B·T, d] → [B, N, T, hd]. */
function toHeads(
  x: tf.Tensor2D,
  weight: tf.Tensor,
  bias: tf.Tensor | undefined,
  norm: tf.Tensor | undefined,
  B: number,
  T: number,
  heads: number,
  c: ModelConfig,
): tf.Tensor4D {
  let h = tf.reshape(linear(x, weight, bias), [B, T, heads, c.headDim]) as tf.Tensor4D; // [B, T, N, hd]
  if (norm !== undefined) h = rmsNorm(h, norm as tf.Tensor1D, c.rmsNormEps); // [B, T, N, hd]
  return tf.transpose(h, [0, 2, 1, 3]); // [B, N, T, hd]
}

/**
 * Attention module output alone (incl. o_proj, before the residual add).
 * @param u    normalised input [B·T, d]
 * @param past cached K/V of earlier positions (generation), or undefined
 * @returns out [B·T, d] and the K/V for all S = P + T positions (for the cache)
 */
export function selfAttention(
  w: AttentionWeights,
  c: ModelConfig,
  u: tf.Tensor2D,
  B: number,
  T: number,
  ctx: AttentionContext,
  past?: KvEntry,
): { out: tf.Tensor2D; kv: KvEntry } {
  const H = c.numHeads;
  const KV = c.numKvHeads;
  const G = H / KV;
  const hd = c.headDim;
  const q = applyRope(toHeads(u, w.qProj, w.qBias, w.qNorm, B, T, H, c), ctx.cos, ctx.sin); // [B, H, T, hd]
  let k = applyRope(toHeads(u, w.kProj, w.kBias, w.kNorm, B, T, KV, c), ctx.cos, ctx.sin); // [B, KV, T, hd]
  let v = toHeads(u, w.vProj, w.vBias, undefined, B, T, KV, c); // [B, KV, T, hd]
  if (past !== undefined) {
    k = tf.concat([past.k, k], 2); // [B, KV, S, hd]
    v = tf.concat([past.v, v], 2); // [B, KV, S, hd]
  }
  const S = k.shape[2];
  const qg = tf.reshape(q, [B, KV, G * T, hd]); // [B, KV, G·T, hd]
  const scores = tf.mul(tf.matMul(qg, k, false, true), 1 / Math.sqrt(hd)); // [B, KV, G·T, S]
  const masked = tf.add(tf.reshape(scores, [B, H, T, S]), ctx.mask); // [B, H, T, S]
  const probs = tf.reshape(softmax(masked), [B, KV, G * T, S]); // [B, KV, G·T, S]
  const ctxv = tf.reshape(tf.matMul(probs, v), [B, H, T, hd]); // [B, H, T, hd]
  const merged = tf.reshape(tf.transpose(ctxv, [0, 2, 1, 3]), [B * T, H * hd]) as tf.Tensor2D; // [B·T, H·hd]
  return { out: linear(merged, w.oProj), kv: { k, v } }; // out [B·T, d]
}
