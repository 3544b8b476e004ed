/**
 * Autoregressive sampling with a KV cache, ALWAYS from the full model policy π = softmax(W_U·RMSNorm_final(h_L)/T)
 * (spec §4.2: rollouts never use an internal head). Seeded and deterministic for a fixed backend.
 *
 * Prompts: rows of any length. They are left-padded internally to the longest prompt with a 0/1 attention mask;
 * position ids restart at 0 on each row's first real token, so a padded row samples exactly what it would alone
 * (up to float rounding).
 */
import * as tf from "@tensorflow/tfjs";
import { tidyObject } from "../tensor/tidy.ts";
import type { ModelConfig } from "./config.ts";
import { type DecoderOutput, disposeKvCache, type KvCache, runDecoder } from "./decoder.ts";
import { toTokenTensor, unembed } from "./forward.ts";
import { argMax, createRng, sampleFromLogProbs } from "./sampling.ts";
import type { ModelWeights } from "./weights.ts";

export interface GenerateOptions {
  maxNewTokens: number;
  /** Softmax temperature (default 1). 0 = greedy argmax. */
  temperature?: number;
  /** Nucleus mass in (0, 1] (default 1 = no truncation). */
  topP?: number;
  /** PRNG seed (default 0). */
  seed?: number;
  /** A row stops after sampling this id (the id is kept in its output). */
  eosId?: number | null;
  /** Further ids that stop a row (kept in the output). */
  stopIds?: number[];
  /** Re-run the full forward each step instead of using the KV cache (slow; for verification). Default true. */
  useKvCache?: boolean;
  /** Id placed in padding slots; masked out, any valid id works. Default 0. */
  padId?: number;
}

export type FinishReason = "eos" | "stop" | "length";

export interface GenerateResult {
  /** Sampled ids per row, without the prompt; ends with the eos/stop id when one was sampled. */
  tokens: number[][];
  /** log π(token) per sampled token under softmax(logits / temperature) of the sampled policy (the full policy
   *  for `generate`), before top-p truncation (temperature 1 when greedy). */
  logProbs: number[][];
  finishReasons: FinishReason[];
}

/**
 * The state a sampled policy unembeds, [B, T, d], from one decoder pass (inside a tidy): `dec.finalNormed` for the
 * model policy π; model/internal-sampling.ts reads an internal layer's residual for π_k.
 */
export type SampledState = (dec: DecoderOutput) => tf.Tensor3D;

const FINAL_POLICY: SampledState = (dec) => dec.finalNormed;

/** Last-position log-softmax of W_U·state / T. state [B, T, d] → [B, V]. */
function lastLogProbs(w: ModelWeights, state: tf.Tensor3D, temperature: number): tf.Tensor2D {
  const [B, T, d] = state.shape;
  const last = tf.slice(state, [0, T - 1, 0], [B, 1, d]) as tf.Tensor3D; // [B, 1, d]
  const z = tf.reshape(unembed(w, last), [B, -1]) as tf.Tensor2D; // [B, V]
  return tf.logSoftmax(temperature === 1 ? z : tf.div(z, temperature)) as tf.Tensor2D; // [B, V]
}

/**
 * Samples up to `maxNewTokens` per row from the full model policy π. Leaves no tensors behind.
 * @param promptTokens rows of prompt ids (each non-empty)
 */
export function generate(
  w: ModelWeights,
  c: ModelConfig,
  promptTokens: number[][],
  opts: GenerateOptions,
): Promise<GenerateResult> {
  return sampleWithKvCache(w, c, promptTokens, opts, FINAL_POLICY);
}

/**
 * The sampling loop behind {@link generate}, for the policy softmax(W_U·state(dec) / T). Only the analysis-side
 * internal sampler passes another state; rollouts always go through `generate`.
 */
export async function sampleWithKvCache(
  w: ModelWeights,
  c: ModelConfig,
  promptTokens: number[][],
  opts: GenerateOptions,
  state: SampledState,
): Promise<GenerateResult> {
  const B = promptTokens.length;
  if (B === 0) return { tokens: [], logProbs: [], finishReasons: [] };
  if (promptTokens.some((r) => r.length === 0)) throw new Error("every prompt row needs at least one token");
  const temperature = opts.temperature ?? 1;
  const greedy = temperature === 0;
  const topP = opts.topP ?? 1;
  const padId = opts.padId ?? 0;
  const useCache = opts.useKvCache ?? true;
  const stops = new Map<number, FinishReason>();
  for (const s of opts.stopIds ?? []) stops.set(s, "stop");
  if (opts.eosId !== undefined && opts.eosId !== null) stops.set(opts.eosId, "eos");
  const rng = createRng(opts.seed ?? 0);

  // Left-pad to P; the mask is only needed when lengths differ.
  const P = Math.max(...promptTokens.map((r) => r.length));
  const padded = promptTokens.length > 0 && promptTokens.some((r) => r.length !== P);
  const sequences = promptTokens.map((r) => [...new Array<number>(P - r.length).fill(padId), ...r]);
  const masks = promptTokens.map((r) => [
    ...new Array<number>(P - r.length).fill(0),
    ...new Array(r.length).fill(1),
  ]);

  const tokens: number[][] = promptTokens.map(() => []);
  const logProbs: number[][] = promptTokens.map(() => []);
  const finishReasons: FinishReason[] = promptTokens.map(() => "length");
  const done = new Array<boolean>(B).fill(false);
  let cache: KvCache | undefined;
  let nextInput: number[][] = sequences; // tokens fed in this step

  try {
    for (let step = 0; step < opts.maxNewTokens; step++) {
      const { logp, kv } = tidyObject(() => {
        const fed = useCache ? nextInput : sequences;
        const ids = toTokenTensor(fed, c.vocabSize); // [B, T]
        const dec = runDecoder(w, c, ids, {
          attentionMask: padded ? masks : undefined,
          past: useCache ? cache : undefined,
          returnKv: useCache,
        });
        return { logp: lastLogProbs(w, state(dec), greedy ? 1 : temperature), kv: dec.kv };
      });
      if (cache) disposeKvCache(cache);
      cache = kv;
      const rows = (await logp.data()) as Float32Array; // [B·V]
      logp.dispose();
      const V = rows.length / B;
      const chosen: number[] = [];
      for (let b = 0; b < B; b++) {
        if (done[b]) {
          chosen.push(padId);
          continue;
        }
        const row = rows.subarray(b * V, (b + 1) * V);
        const id = greedy ? argMax(row) : sampleFromLogProbs(row, rng, topP);
        chosen.push(id);
        tokens[b]?.push(id);
        logProbs[b]?.push(row[id] as number);
        const reason = stops.get(id);
        if (reason !== undefined) {
          done[b] = true;
          finishReasons[b] = reason;
        }
      }
      if (done.every(Boolean)) break;
      sequences.forEach((s, b) => {
        s.push(chosen[b] as number);
      });
      for (const m of masks) m.push(1);
      nextInput = chosen.map((id) => [id]);
    }
  } finally {
    if (cache) disposeKvCache(cache);
  }
  return { tokens, logProbs, finishReasons };
}
