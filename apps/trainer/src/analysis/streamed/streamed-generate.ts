/**
 * Sampling from the full policy (as model/generate.ts: left-padded prompts with a mask, KV cache, seeded
 * temperature / top-p sampling, stop ids) with the weights streamed from the checkpoint: every decoding step runs
 * the whole batch through one decoder layer at a time, so each step reads each layer's weights once for all rows
 * (the next layer's reads overlap the current layer's compute). The last position's logits [B, V] are assembled
 * on the host from W_U chunks; the KV cache ([B, KV, S, hd] per layer) stays in the heap.
 */
import * as tf from "@tensorflow/tfjs";
import { BYTES_PER_ELEMENT, decodeToFloat32 } from "../../checkpoint/dtypes.ts";
import type { CheckpointTensorReader } from "../../checkpoint/tensor-reader.ts";
import type { KvEntry } from "../../model/attention.ts";
import { buildAttentionContext } from "../../model/attention-context.ts";
import type { ModelConfig } from "../../model/config.ts";
import { decoderLayer } from "../../model/decoder.ts";
import type { FinishReason, GenerateOptions, GenerateResult } from "../../model/generate.ts";
import { rmsNorm } from "../../model/layers.ts";
import { argMax, createRng, sampleFromLogProbs } from "../../model/sampling.ts";
import { DEFAULT_LENS_CHUNK_BYTES } from "./chunked-lens.ts";
import {
  checkCheckpointTensors,
  disposeLayerWeights,
  embedRows,
  layerWeightsFrom,
  type RawLayer,
  readRawLayer,
  readVector,
  unembeddingName,
} from "./streamed-weights.ts";

export interface StreamedGenerateOptions extends Omit<GenerateOptions, "useKvCache"> {
  signal?: AbortSignal;
  /** After each decoding step (1-based) with its duration. */
  onStep?: (step: number, ms: number) => void;
}

/** log-softmax of z / temperature, in place on the host (float64 accumulation). */
function logSoftmaxInPlace(z: Float32Array, temperature: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < z.length; i++) {
    const v = (z[i] as number) / temperature;
    z[i] = v;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += Math.exp((z[i] as number) - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) - lse;
}

/** Last-position policy logits [B, V] on the host: W_U read in chunks, x [B, d] final-normed. */
async function lastLogits(
  reader: CheckpointTensorReader,
  name: string,
  x: tf.Tensor2D,
): Promise<Float32Array> {
  const stored = reader.get(name);
  const [V, d] = stored.shape as [number, number];
  const B = x.shape[0];
  const chunk = Math.max(1, Math.floor(DEFAULT_LENS_CHUNK_BYTES / (4 * d)));
  const out = new Float32Array(B * V);
  const decoded = new Float32Array(chunk * d);
  const raw = new Uint8Array(chunk * d * BYTES_PER_ELEMENT[stored.dtype]);
  for (let v0 = 0; v0 < V; v0 += chunk) {
    const n = Math.min(chunk, V - v0);
    const bytes = await reader.readRows(name, v0, n, raw);
    const w = tf.tensor2d(decodeToFloat32(bytes, stored.dtype, decoded).subarray(0, n * d), [n, d]);
    const z = tf.matMul(x, w, false, true); // [B, n]
    const values = z.dataSync();
    tf.dispose([w, z]);
    for (let b = 0; b < B; b++) out.set(values.subarray(b * n, (b + 1) * n), b * V + v0);
  }
  return out;
}

/** Samples up to `maxNewTokens` per row from the checkpoint behind `reader`. Leaves no tensors behind. */
export async function generateStreamed(
  reader: CheckpointTensorReader,
  c: ModelConfig,
  promptTokens: number[][],
  opts: StreamedGenerateOptions,
): Promise<GenerateResult> {
  const B = promptTokens.length;
  if (B === 0) return { tokens: [], logProbs: [], finishReasons: [] };
  if (promptTokens.some((r) => r.length === 0)) throw new Error("every prompt row needs at least one token");
  checkCheckpointTensors(reader, c);
  const temperature = opts.temperature ?? 1;
  const greedy = temperature === 0;
  const padId = opts.padId ?? 0;
  const stops = new Map<number, FinishReason>();
  for (const s of opts.stopIds ?? []) stops.set(s, "stop");
  if (opts.eosId !== undefined && opts.eosId !== null) stops.set(opts.eosId, "eos");
  const rng = createRng(opts.seed ?? 0);
  const P = Math.max(...promptTokens.map((r) => r.length));
  const padded = promptTokens.some((r) => r.length !== P);
  const masks = promptTokens.map((r) => [
    ...new Array<number>(P - r.length).fill(0),
    ...new Array<number>(r.length).fill(1),
  ]);
  let fed = promptTokens.map((r) => [...new Array<number>(P - r.length).fill(padId), ...r]);
  const tokens: number[][] = promptTokens.map(() => []);
  const logProbs: number[][] = promptTokens.map(() => []);
  const finishReasons: FinishReason[] = promptTokens.map(() => "length");
  const done = new Array<boolean>(B).fill(false);
  const L = c.numLayers;
  const wu = unembeddingName(c);
  let cache: KvEntry[] = [];
  let pastLength = 0;
  let nextRaw: Promise<RawLayer> | undefined;
  const norm = await readVector(reader, "model.norm.weight");
  try {
    for (let step = 0; step < opts.maxNewTokens; step++) {
      const started = performance.now();
      opts.signal?.throwIfAborted();
      const T = fed[0]?.length ?? 1;
      const ctx = buildAttentionContext(c, B, T, pastLength, padded ? masks : undefined);
      let h = await embedRows(reader, c, fed);
      const nextCache: KvEntry[] = [];
      try {
        nextRaw ??= readRawLayer(reader, c, 0);
        for (let i = 0; i < L; i++) {
          const raw = await nextRaw;
          nextRaw = readRawLayer(reader, c, (i + 1) % L); // wraps to layer 0 of the next step
          const lw = layerWeightsFrom(raw);
          try {
            const out = decoderLayer(lw, c, h, ctx, cache[i], false, true);
            h.dispose();
            h = out.h;
            nextCache.push(out.kv as KvEntry);
          } finally {
            disposeLayerWeights(lw);
          }
        }
      } finally {
        tf.dispose([ctx.cos, ctx.sin, ctx.mask]);
        for (const e of cache) tf.dispose([e.k, e.v]);
        cache = nextCache;
      }
      const x = tf.tidy(() => {
        const [, Th, d] = h.shape;
        return rmsNorm(
          tf.reshape(tf.slice(h, [0, Th - 1, 0], [B, 1, d]), [B, d]) as tf.Tensor2D,
          norm,
          c.rmsNormEps,
        );
      });
      h.dispose();
      const logits = await lastLogits(reader, wu, x).finally(() => x.dispose());
      pastLength += T;
      const V = logits.length / B;
      const chosen: number[] = [];
      for (let b = 0; b < B; b++) {
        if (done[b]) {
          chosen.push(padId);
          continue;
        }
        const row = logits.subarray(b * V, (b + 1) * V);
        logSoftmaxInPlace(row, greedy ? 1 : temperature);
        const id = greedy ? argMax(row) : sampleFromLogProbs(row, rng, opts.topP ?? 1);
        chosen.push(id);
        tokens[b]?.push(id);
        logProbs[b]?.push(row[id] as number);
        const reason = stops.get(id);
        if (reason !== undefined) {
          done[b] = true;
          finishReasons[b] = reason;
        }
      }
      opts.onStep?.(step + 1, performance.now() - started);
      if (done.every(Boolean)) break;
      for (const m of masks) m.push(1);
      fed = chosen.map((id) => [id]);
    }
  } finally {
    nextRaw?.catch(() => undefined);
    for (const e of cache) tf.dispose([e.k, e.v]);
    norm.dispose();
  }
  return { tokens, logProbs, finishReasons };
}
