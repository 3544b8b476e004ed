/**
 * One forward pass returning, from the same computation, the model policy logits and what BuPO / analysis need
 * (spec §1): the internal-layer logits of one repo layer index k, the raw residual streams, and module records.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyObject } from "../tensor/tidy.ts";
import type { ModelConfig } from "./config.ts";
import { type ModuleRecord, runDecoder } from "./decoder.ts";
import { rmsNorm } from "./layers.ts";
import type { ModelWeights } from "./weights.ts";

export interface ForwardOptions {
  /**
   * Repo layer index k (0-based, paper layer k+1), 0 ≤ k ≤ L−1. Adds `internalLogits`:
   * k < L−1 → W_U · h_{k+1} (raw residual, no final norm, repo-faithful; see `applyFinalNorm`);
   * k = L−1 → the very same tensor as `logits` (π_{L−1} ≡ π, bit-identical by construction).
   */
  internalLayer?: number;
  /** Normed logit lens for k < L−1: W_U · RMSNorm_final(h_{k+1}). Default false (repo-faithful). */
  applyFinalNorm?: boolean;
  /** Return `hidden` (L+1 raw residuals) and `hiddenStates` (the transformers tuple). */
  collectHidden?: boolean;
  /** Return per-layer module records (spec §2.2). */
  collectModules?: boolean;
  /** [B][T] 0/1 padding mask for left-padded batches (see attention-context.ts). */
  attentionMask?: number[][];
  /** Sampling temperature: both `logits` and `internalLogits` are divided by it. Default 1 (no op). */
  temperature?: number;
}

export interface ForwardResult {
  /** Final policy logits W_U · RMSNorm_final(h_L) [B, T, V] (÷ temperature). */
  logits: tf.Tensor3D;
  /** Logits of the internal policy π_k [B, T, V] (÷ temperature), when `internalLayer` is set. */
  internalLogits?: tf.Tensor3D;
  /** h₀ … h_L, raw, each [B, T, d]. */
  hidden?: tf.Tensor3D[];
  /** transformers' `hidden_states` tuple: h₀ … h_{L−1} (raw, shared with `hidden`) then RMSNorm_final(h_L). */
  hiddenStates?: tf.Tensor3D[];
  /** L records {attnIn, attnOut, ffnIn, ffnOut}, each [B, T, d]. */
  modules?: ModuleRecord[];
}

/** Unembeds with W_U (lm_head, no bias). x [B, T, d] → [B, T, V]. Caller owns the result. */
export function unembed(w: ModelWeights, x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, d] = x.shape;
    const flat = tf.reshape(x, [B * T, d]) as tf.Tensor2D; // [B·T, d]
    const z = tf.matMul(flat, w.lmHead as tf.Tensor2D, false, true); // [B·T, V]
    return tf.reshape(z, [B, T, w.lmHead.shape[0] as number]) as tf.Tensor3D; // [B, T, V]
  });
}

/**
 * Converts `number[][]` to an int32 [B, T] tensor (caller disposes); passes tensors through.
 * Host arrays are checked: equal row lengths and, when `vocabSize` is given, ids in [0, vocabSize).
 */
export function toTokenTensor(tokens: tf.Tensor2D | number[][], vocabSize?: number): tf.Tensor2D {
  if (!Array.isArray(tokens)) return tokens;
  const T = tokens[0]?.length ?? 0;
  if (tokens.some((r) => r.length !== T))
    throw new Error("token rows must have equal length (left-pad them)");
  if (vocabSize !== undefined) {
    const bad = tokens.flat().find((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
    if (bad !== undefined) throw new Error(`token id ${bad} outside [0, ${vocabSize})`);
  }
  return tf.tensor2d(tokens.flat(), [tokens.length, T], "int32");
}

/**
 * Forward pass. All returned tensors belong to the caller (`disposeForwardResult`). Safe inside `tf.grad`
 * / `variableGrads` / `optimizer.minimize`.
 * @param tokens [B, T] int32 ids (tensor or rows of equal length)
 */
export function forward(
  w: ModelWeights,
  c: ModelConfig,
  tokens: tf.Tensor2D | number[][],
  opts: ForwardOptions = {},
): ForwardResult {
  const L = c.numLayers;
  const k = opts.internalLayer;
  if (k !== undefined && !(Number.isInteger(k) && k >= 0 && k < L)) {
    throw new Error(`internalLayer must be an integer in [0, ${L - 1}], got ${k}`);
  }
  const temperature = opts.temperature ?? 1;
  if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}`);
  const scale = (z: tf.Tensor3D): tf.Tensor3D => (temperature === 1 ? z : tf.div(z, temperature));
  return tidyObject(() => {
    const ids = toTokenTensor(tokens, c.vocabSize);
    const dec = runDecoder(w, c, ids, {
      attentionMask: opts.attentionMask,
      collectModules: opts.collectModules,
    });
    const logits = scale(unembed(w, dec.finalNormed)); // [B, T, V]
    const result: ForwardResult = { logits };
    if (k !== undefined) {
      if (k === L - 1) {
        result.internalLogits = logits; // same tensor: π_{L−1} is the model policy
      } else {
        const h = dec.hidden[k + 1] as tf.Tensor3D; // [B, T, d]
        const x = opts.applyFinalNorm ? rmsNorm(h, w.norm, c.rmsNormEps) : h; // [B, T, d]
        result.internalLogits = scale(unembed(w, x)); // [B, T, V]
      }
    }
    if (opts.collectHidden) {
      result.hidden = dec.hidden;
      result.hiddenStates = [...dec.hidden.slice(0, L), dec.finalNormed];
    }
    if (dec.modules) result.modules = dec.modules;
    return result;
  });
}

/** Disposes every tensor of a forward result once (shared tensors are fine). */
export function disposeForwardResult(r: ForwardResult): void {
  const all: tf.Tensor[] = [r.logits];
  if (r.internalLogits) all.push(r.internalLogits);
  if (r.hidden) all.push(...r.hidden);
  if (r.hiddenStates) all.push(...r.hiddenStates);
  for (const m of r.modules ?? []) all.push(m.attnIn, m.attnOut, m.ffnIn, m.ffnOut);
  tf.dispose(all);
}
