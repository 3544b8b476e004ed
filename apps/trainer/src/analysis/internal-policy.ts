/**
 * Internal layer and modular policy entropies (spec §1–§3, repo `visualization/plot_internal_entropy.py`):
 * one teacher-forced forward per group of equal-length samples, then every recorded vector is unembedded with
 * W_U (no final norm unless asked) one state and one chunk of positions at a time, reduced to entropies and read
 * back as plain numbers. Results are in {@link InternalPolicyAnalysis}.
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../model/config.ts";
import { runDecoder } from "../model/decoder.ts";
import { toTokenTensor } from "../model/forward.ts";
import type { ModelWeights } from "../model/weights.ts";
import { tidyObject } from "../tensor/tidy.ts";
import { createLensHead, entropyOfRows, type LensHead } from "./lens-head.ts";
import type { PooledStates } from "./pooled-states.ts";
import { poolTokenMeans } from "./pooling.ts";
import type { InternalPolicyAnalysis, LensMode, PositionRange, SampleEntropies } from "./types.ts";

export interface InternalPolicyOptions {
  /** Unembedding of residual streams (layerEntropy): "raw" (default, repo-faithful) or "normed" logit lens.
   *  Module records are always unembedded as recorded (spec §2.2). */
  lens?: LensMode;
  /** layerEntropy[L] = true policy entropy H(W_U·RMSNorm_final(h_L)) instead of the repo plot's raw H(W_U·h_L).
   *  Default false (repo plot path, whose off-by-one never applies the final norm). */
  trueLastLayer?: boolean;
  /** Per sample, the positions entering `means` (e.g. response tokens only); default all positions. */
  ranges?: (PositionRange | undefined)[];
  /** Max samples per forward (equal-length samples are batched). Default 16. */
  batchSize?: number;
  /** Max logits alive per chunk (default 4 Mi). */
  maxChunkElements?: number;
  /** Also copy the pooled rows of every residual stream h_0 … h_L into this collector (for representation
   *  similarity, analysis/pooled-states.ts); sample n of this call is the collector's sample firstIndex + n. */
  pooledStates?: { into: PooledStates; firstIndex?: number };
}

/** Splits a flat [B·T] entropy array into B rows of T. */
function splitRows(values: Float32Array, B: number, T: number): number[][] {
  return Array.from({ length: B }, (_, b) => Array.from(values.subarray(b * T, (b + 1) * T)));
}

const diff = (a: number[][], b: number[][]) =>
  a.map((row, j) => row.map((v, t) => v - (b[j]?.[t] as number)));

/** Entropies of all recorded states for one batch of equal-length rows. */
async function analyzeBatch(
  w: ModelWeights,
  c: ModelConfig,
  head: LensHead,
  rows: number[][],
  lens: LensMode,
  trueLastLayer: boolean,
  states?: { pooled: PooledStates; indices: number[] },
): Promise<SampleEntropies[]> {
  const B = rows.length;
  const T = rows[0]?.length ?? 0;
  const L = c.numLayers;
  const d = c.hiddenSize;
  const dec = tidyObject(() => runDecoder(w, c, toTokenTensor(rows, c.vocabSize), { collectModules: true }));
  const all: tf.Tensor[] = [...dec.hidden, dec.finalNormed];
  for (const m of dec.modules ?? []) all.push(m.attnIn, m.attnOut, m.ffnIn, m.ffnOut);
  try {
    for (const [i, h] of dec.hidden.entries()) await states?.pooled.add(i, h, states.indices);
    /** One state → per-sample [T] entropies; the flattened view is disposed right away. */
    const entropies = async (state: tf.Tensor3D, applyNorm: boolean): Promise<number[][]> => {
      const flat = tf.reshape(state, [B * T, d]) as tf.Tensor2D; // [B·T, d]
      try {
        return splitRows(await entropyOfRows(head, flat, applyNorm), B, T);
      } finally {
        flat.dispose();
      }
    };
    const finalEntropy = await entropies(dec.finalNormed, false); // [B][T]
    const layer: number[][][] = []; // [L+1][B][T]
    for (let i = 0; i <= L; i++) {
      if (i === L && (trueLastLayer || lens === "normed"))
        layer.push(finalEntropy); // identical quantity
      else layer.push(await entropies(dec.hidden[i] as tf.Tensor3D, lens === "normed"));
    }
    const mods = {
      attnIn: [] as number[][][],
      attnOut: [] as number[][][],
      ffnIn: [] as number[][][],
      ffnOut: [] as number[][][],
    };
    for (const m of dec.modules ?? []) {
      mods.attnIn.push(await entropies(m.attnIn, false));
      mods.attnOut.push(await entropies(m.attnOut, false));
      mods.ffnIn.push(await entropies(m.ffnIn, false));
      mods.ffnOut.push(await entropies(m.ffnOut, false));
    }
    return rows.map((_, b) => {
      const pick = (xs: number[][][]) => xs.map((x) => x[b] as number[]);
      const layerEntropy = pick(layer);
      const s = {
        length: T,
        layerEntropy,
        attnInputEntropy: pick(mods.attnIn),
        attnOutputEntropy: pick(mods.attnOut),
        ffnInputEntropy: pick(mods.ffnIn),
        ffnOutputEntropy: pick(mods.ffnOut),
        finalEntropy: finalEntropy[b] as number[],
      };
      return {
        ...s,
        deltaLayer: diff(layerEntropy.slice(1), layerEntropy.slice(0, L)),
        deltaAttn: diff(s.attnOutputEntropy, s.attnInputEntropy),
        deltaFfn: diff(s.ffnOutputEntropy, s.ffnInputEntropy),
      };
    });
  } finally {
    tf.dispose(all);
  }
}

/**
 * Analyses internal policies of teacher-forced samples (e.g. prompt + sampled response).
 * Leaves no tensors behind; never holds more than one chunk of logits.
 * @param samples token rows, any lengths
 */
export async function analyzeInternalPolicies(
  w: ModelWeights,
  c: ModelConfig,
  samples: number[][],
  opts: InternalPolicyOptions = {},
): Promise<InternalPolicyAnalysis> {
  const lens = opts.lens ?? "raw";
  const trueLastLayer = opts.trueLastLayer ?? false;
  const batchSize = Math.max(1, opts.batchSize ?? 16);
  if (samples.some((s) => s.length === 0)) throw new Error("every sample needs at least one token");
  // Group equal lengths so each forward needs no padding; keep the caller's order in the result.
  const byLength = new Map<number, number[]>();
  samples.forEach((s, i) => {
    byLength.set(s.length, [...(byLength.get(s.length) ?? []), i]);
  });
  const results = new Array<SampleEntropies>(samples.length);
  const pooled = opts.pooledStates;
  const head = createLensHead(w, c, opts.maxChunkElements);
  try {
    for (const indices of byLength.values()) {
      for (let i = 0; i < indices.length; i += batchSize) {
        const group = indices.slice(i, i + batchSize);
        const out = await analyzeBatch(
          w,
          c,
          head,
          group.map((n) => samples[n] as number[]),
          lens,
          trueLastLayer,
          pooled && { pooled: pooled.into, indices: group.map((n) => n + (pooled.firstIndex ?? 0)) },
        );
        group.forEach((n, j) => {
          results[n] = out[j] as SampleEntropies;
        });
      }
    }
  } finally {
    head.dispose();
  }
  return { lens, trueLastLayer, samples: results, means: poolTokenMeans(results, opts.ranges ?? []) };
}
