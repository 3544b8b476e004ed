/**
 * The decoder stack (spec §0): h₀ = E[x]; for each layer uₗ = RMSNorm_in(hₗ₋₁), aₗ = Attn(uₗ), mₗ = hₗ₋₁ + aₗ,
 * vₗ = RMSNorm_post(mₗ), fₗ = MLP(vₗ), hₗ = mₗ + fₗ; finally RMSNorm_final(h_L).
 * Each layer runs in its own tidy, so only the tensors asked for survive.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyObject } from "../tensor/tidy.ts";
import { type KvEntry, selfAttention } from "./attention.ts";
import { type AttentionContext, buildAttentionContext } from "./attention-context.ts";
import type { ModelConfig } from "./config.ts";
import { rmsNorm, swiGluMlp } from "./layers.ts";
import type { LayerWeights, ModelWeights } from "./weights.ts";

/** What one decoder layer's modules read and wrote (spec §2.2), each [B, T, d]. */
export interface ModuleRecord {
  /** uₗ = RMSNorm_in(hₗ₋₁): the normalised attention input. */
  attnIn: tf.Tensor3D;
  /** aₗ: attention output alone (after o_proj, before the residual add). */
  attnOut: tf.Tensor3D;
  /** vₗ = RMSNorm_post(hₗ₋₁ + aₗ): the normalised MLP input. */
  ffnIn: tf.Tensor3D;
  /** fₗ: MLP output alone (after down_proj, before the residual add). */
  ffnOut: tf.Tensor3D;
}

/** Keys/values of every layer for the first `length` positions. Caller owns the tensors (`disposeKvCache`). */
export interface KvCache {
  entries: KvEntry[];
  length: number;
}

export interface DecoderOptions {
  /** [B][P + T] of 0/1 (1 = real token); needed for left-padded batches. Default: all real. */
  attentionMask?: number[][];
  /** Cached K/V of the first P positions; `tokens` are then positions P..P+T−1. */
  past?: KvCache;
  /** Also return per-layer {@link ModuleRecord}s. */
  collectModules?: boolean;
  /** Also return the updated K/V cache (P + T positions). */
  returnKv?: boolean;
}

export interface DecoderOutput {
  /** L + 1 raw residual streams h₀ (embeddings) … h_L, each [B, T, d]. No final norm on any of them. */
  hidden: tf.Tensor3D[];
  /** RMSNorm_final(h_L) [B, T, d]: what the model's own head reads. */
  finalNormed: tf.Tensor3D;
  modules?: ModuleRecord[];
  kv?: KvCache;
}

interface LayerOutput {
  h: tf.Tensor3D;
  record?: ModuleRecord;
  kv?: KvEntry;
}

/** One decoder layer on h [B, T, d] (also used layer by layer by the streamed analysis). */
export function decoderLayer(
  lw: LayerWeights,
  c: ModelConfig,
  h: tf.Tensor3D,
  ctx: AttentionContext,
  past: KvEntry | undefined,
  collect: boolean,
  keepKv: boolean,
): LayerOutput {
  return tidyObject(() => {
    const [B, T, d] = h.shape;
    const x = tf.reshape(h, [B * T, d]) as tf.Tensor2D; // [B·T, d]  hₗ₋₁
    const u = rmsNorm(x, lw.inputLayernorm, c.rmsNormEps); // [B·T, d]
    const { out: a, kv } = selfAttention(lw.selfAttn, c, u, B, T, ctx, past); // a [B·T, d]
    const m = tf.add(x, a) as tf.Tensor2D; // [B·T, d]
    const v = rmsNorm(m, lw.postAttentionLayernorm, c.rmsNormEps); // [B·T, d]
    const f = swiGluMlp(v, lw.mlp); // [B·T, d]
    const out: LayerOutput = { h: tf.reshape(tf.add(m, f), [B, T, d]) }; // [B, T, d]  hₗ
    if (collect) {
      const r3 = (t: tf.Tensor2D) => tf.reshape(t, [B, T, d]) as tf.Tensor3D;
      out.record = { attnIn: r3(u), attnOut: r3(a), ffnIn: r3(v), ffnOut: r3(f) };
    }
    if (keepKv) out.kv = kv;
    return out;
  });
}

/**
 * Runs embeddings + all L layers + final norm. Caller owns every returned tensor (or call inside a tidy).
 * @param tokens [B, T] int32 token ids
 */
export function runDecoder(
  w: ModelWeights,
  c: ModelConfig,
  tokens: tf.Tensor2D,
  opts: DecoderOptions = {},
): DecoderOutput {
  const [B, T] = tokens.shape;
  const pastLength = opts.past?.length ?? 0;
  if (opts.past !== undefined && opts.past.entries.length !== c.numLayers) {
    throw new Error(`KV cache has ${opts.past.entries.length} layers, model has ${c.numLayers}`);
  }
  const ctx = buildAttentionContext(c, B, T, pastLength, opts.attentionMask);
  try {
    const h0 = tf.tidy(() => {
      const ids = tf.reshape(tokens.dtype === "int32" ? tokens : tf.cast(tokens, "int32"), [B * T]); // [B·T]
      return tf.reshape(tf.gather(w.embedTokens, ids), [B, T, c.hiddenSize]) as tf.Tensor3D; // [B, T, d]
    });
    const hidden: tf.Tensor3D[] = [h0];
    const modules: ModuleRecord[] = [];
    const kvEntries: KvEntry[] = [];
    const collect = opts.collectModules === true;
    const keepKv = opts.returnKv === true;
    w.layers.forEach((lw, i) => {
      const prev = hidden[i] as tf.Tensor3D;
      const out = decoderLayer(lw, c, prev, ctx, opts.past?.entries[i], collect, keepKv);
      hidden.push(out.h);
      if (out.record) modules.push(out.record);
      if (out.kv) kvEntries.push(out.kv);
    });
    const hL = hidden[c.numLayers] as tf.Tensor3D;
    const finalNormed = tf.tidy(() => rmsNorm(hL, w.norm, c.rmsNormEps)); // [B, T, d]
    const result: DecoderOutput = { hidden, finalNormed };
    if (collect) result.modules = modules;
    if (keepKv) result.kv = { entries: kvEntries, length: pastLength + T };
    return result;
  } finally {
    tf.dispose([ctx.cos, ctx.sin, ctx.mask]);
  }
}

/** Disposes every tensor of a KV cache. */
export function disposeKvCache(cache: KvCache): void {
  for (const e of cache.entries) tf.dispose([e.k, e.v]);
}
