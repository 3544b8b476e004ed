/**
 * Checkpoint comparison (issue 15): linear CKA between the residual streams of two or more models on the same
 * token inputs — the full depth × depth matrix and the curve along equal relative depth. Built from unit centred
 * Grams (tokens × tokens), so models of different widths and depths compare; each model is needed only while its
 * Grams are computed (load, {@link layerGrams}, dispose, next model).
 *
 * Memory: per model (L+1) × N² floats of Grams (N ≤ maxTokens pooled tokens; 512 tokens, L 36: 37 MiB) plus,
 * while collecting, the pooled rows of analysis/pooled-states.ts.
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../model/config.ts";
import { runDecoder } from "../model/decoder.ts";
import { toTokenTensor } from "../model/forward.ts";
import type { ModelWeights } from "../model/weights.ts";
import { DEFAULT_SIMILARITY_TOKENS, PooledStates } from "./pooled-states.ts";
import type { PositionRange } from "./types.ts";

/** The unit centred Grams of one model's residual streams h_0 … h_L over the pooled tokens. */
export interface LayerGrams {
  numTokens: number;
  /** [L+1] flattened N × N matrices. */
  grams: Float32Array[];
}

/** One model against the reference model (index 0). */
export interface LayerComparison {
  /** [L_ref+1][L_other+1]: CKA(reference h_i, other h_j). */
  matrix: number[][];
  /** [L_ref+1]: CKA(reference h_i, other h_j) with j = round(i · L_other / L_ref) (equal relative depth). */
  byDepth: number[];
}

/**
 * Residual streams of `samples` (token rows; ranges = pooled positions, missing = all) through an in-heap model,
 * batched by equal length, reduced to Grams over the first `maxTokens` pooled tokens. Leaves no tensors behind.
 */
export async function layerGrams(
  w: ModelWeights,
  c: ModelConfig,
  samples: number[][],
  ranges: (PositionRange | undefined)[] = [],
  opts: { maxTokens?: number; batchSize?: number } = {},
): Promise<LayerGrams> {
  const pooled = new PooledStates(
    c.numLayers + 1,
    samples.map((s) => s.length),
    ranges,
    opts.maxTokens ?? DEFAULT_SIMILARITY_TOKENS,
  );
  if (pooled.numTokens === 0) throw new Error("no pooled token to compare");
  const byLength = new Map<number, number[]>();
  samples.forEach((s, i) => {
    byLength.set(s.length, [...(byLength.get(s.length) ?? []), i]);
  });
  const batchSize = Math.max(1, opts.batchSize ?? 16);
  for (const indices of byLength.values()) {
    for (let i = 0; i < indices.length; i += batchSize) {
      const group = indices.slice(i, i + batchSize);
      const hidden = tf.tidy(() => {
        const out = runDecoder(
          w,
          c,
          toTokenTensor(
            group.map((n) => samples[n] as number[]),
            c.vocabSize,
          ),
        );
        return out.hidden; // L+1 × [B, T, d]
      });
      try {
        for (const [depth, h] of hidden.entries()) await pooled.add(depth, h, group);
      } finally {
        tf.dispose(hidden);
      }
    }
  }
  return { numTokens: pooled.numTokens, grams: await pooled.grams() };
}

/** Depth × depth CKA of two models' Grams over the same tokens: one product [S_a, N²] · [S_b, N²]ᵀ. */
export function ckaMatrix(a: LayerGrams, b: LayerGrams): number[][] {
  if (a.numTokens !== b.numTokens)
    throw new Error(`the models pooled different token counts (${a.numTokens} vs ${b.numTokens})`);
  const n2 = a.numTokens * a.numTokens;
  const stack = (g: LayerGrams) => {
    const flat = new Float32Array(g.grams.length * n2);
    g.grams.forEach((k, i) => {
      flat.set(k, i * n2);
    });
    return tf.tensor2d(flat, [g.grams.length, n2]); // [S, N²]
  };
  const m = tf.tidy(() => tf.matMul(stack(a), stack(b), false, true)); // [S_a, S_b]
  try {
    return (m.arraySync() as number[][]).map((row) => row.map((v) => Math.min(1, Math.max(0, v))));
  } finally {
    m.dispose();
  }
}

/** CKA along equal relative depth: reference depth i against the other model's depth round(i · L_b / L_a). */
export function byRelativeDepth(matrix: number[][]): number[] {
  const la = matrix.length - 1;
  const lb = (matrix[0]?.length ?? 1) - 1;
  return matrix.map((row, i) => row[la === 0 ? 0 : Math.round((i * lb) / la)] as number);
}

/** Every model after the first against the first (the reference, e.g. the base model). */
export function compareWithReference(models: LayerGrams[]): LayerComparison[] {
  const [reference, ...others] = models;
  if (reference === undefined || others.length === 0) throw new Error("comparison needs two or more models");
  return others.map((g) => {
    const matrix = ckaMatrix(reference, g);
    return { matrix, byDepth: byRelativeDepth(matrix) };
  });
}
