/**
 * The pooled token rows of every residual stream h_0 … h_L, collected for representation similarity (issue 15):
 * the first `maxTokens` pooled positions in sample order (samples in the caller's order, positions ascending),
 * whatever order the states arrive in — batch-major (in-heap analysis: all depths of one batch) or layer-major
 * (streamed analysis: one depth of every group, see {@link PooledStates.add}). Both paths therefore compare the
 * same tokens and give the same numbers.
 *
 * Memory: the rows are copied out of the tensor heap into one float32 array per depth:
 * min(pooled, maxTokens) × d × (L+1) × 4 bytes (512 tokens, d 4096, L 36: 310 MiB; d 896, L 24: 44 MiB).
 * h_L is known only at the end of a streamed pass, so every depth is kept until then. At the end each depth
 * becomes a unit centred Gram (tokens × tokens, computed one depth at a time in the heap).
 */
import type { RepresentationSimilarity } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { resolveRange } from "./pooling.ts";
import { centeredGram, ckaFromGrams, meanTokenCosine } from "./representation-similarity.ts";
import type { PositionRange } from "./types.ts";

/** Default cap on pooled tokens compared (keeps the Grams at ≤ 1 MiB per depth). */
export const DEFAULT_SIMILARITY_TOKENS = 512;

interface Pick {
  /** First position of the sample taken. */
  start: number;
  /** Positions taken (0 when the cap is already reached). */
  count: number;
  /** Row of the first taken position in the pooled matrix. */
  offset: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export class PooledStates {
  /** Pooled tokens kept (N). */
  readonly numTokens: number;
  private readonly picks: Pick[];
  private readonly rows: (Float32Array | undefined)[];
  private readonly filled: number[];
  private width = 0;

  /**
   * @param numStates depths collected (L+1 for h_0 … h_L)
   * @param lengths every sample's sequence length, in the caller's order
   * @param ranges the pooled positions of each sample (missing = all), as for the entropy means
   */
  constructor(
    readonly numStates: number,
    lengths: number[],
    ranges: (PositionRange | undefined)[],
    maxTokens = DEFAULT_SIMILARITY_TOKENS,
  ) {
    let offset = 0;
    this.picks = lengths.map((length, n) => {
      const [a, b] = resolveRange({ length }, ranges[n]);
      const count = Math.max(0, Math.min(b - a, maxTokens - offset));
      const pick = { start: a, count, offset };
      offset += count;
      return pick;
    });
    this.numTokens = offset;
    this.rows = new Array(numStates).fill(undefined);
    this.filled = new Array<number>(numStates).fill(0);
  }

  /**
   * Copies the pooled positions of `h` [B, T, d], depth `state`, whose row b is sample `sampleIndices[b]`.
   * Call once per (depth, sample); any order.
   */
  async add(state: number, h: tf.Tensor3D, sampleIndices: number[]): Promise<void> {
    const d = h.shape[2];
    if (this.width === 0) this.width = d;
    if (d !== this.width) throw new Error(`state width ${d} differs from ${this.width}`);
    for (const [b, n] of sampleIndices.entries()) {
      const pick = this.picks[n];
      if (pick === undefined) throw new Error(`no sample ${n}`);
      if (pick.count === 0) continue;
      const part = tf.slice(h, [b, pick.start, 0], [1, pick.count, d]); // [1, count, d]
      try {
        const dest = this.rows[state] ?? new Float32Array(this.numTokens * d);
        this.rows[state] = dest;
        dest.set(await part.data<"float32">(), pick.offset * d);
        this.filled[state] = (this.filled[state] as number) + pick.count;
      } finally {
        part.dispose();
      }
    }
  }

  /** The pooled rows of depth `state`: [N, d] (caller disposes). */
  matrix(state: number): tf.Tensor2D {
    const rows = this.rows[state];
    if (rows === undefined || this.filled[state] !== this.numTokens)
      throw new Error(`depth ${state}: ${this.filled[state]} of ${this.numTokens} pooled rows collected`);
    return tf.tensor2d(rows, [this.numTokens, this.width]); // [N, d]
  }

  /** Unit centred Gram of depth `state`, flattened: N·N floats (for comparisons across models). */
  async gram(state: number): Promise<Float32Array> {
    const k = tf.tidy(() => centeredGram(this.matrix(state))); // [N, N]
    try {
      return await k.data<"float32">();
    } finally {
      k.dispose();
    }
  }

  /** Every depth's {@link gram}: [numStates][N·N]. */
  async grams(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < this.numStates; i++) out.push(await this.gram(i));
    return out;
  }

  /** Frees the rows of a depth whose Gram was taken (layer-major callers keep N² instead of N·d per depth). */
  release(state: number): void {
    this.rows[state] = undefined;
  }

  /** Each depth against the last one (h_L): mean token cosine and linear CKA; undefined with no pooled token. */
  async similarityToTop(): Promise<RepresentationSimilarity | undefined> {
    if (this.numTokens === 0) return undefined;
    const top = this.numStates - 1;
    const yTop = this.matrix(top); // [N, d]
    const kTop = centeredGram(yTop); // [N, N]
    const cosine: number[] = [];
    const cka: number[] = [];
    try {
      for (let i = 0; i < this.numStates; i++) {
        const pair = tf.tidy(() => {
          const x = this.matrix(i); // [N, d]
          return tf.stack([meanTokenCosine(x, yTop), ckaFromGrams(centeredGram(x), kTop)]); // [2]
        });
        const [c, k] = await pair.data();
        pair.dispose();
        cosine.push(clamp(c as number, -1, 1));
        cka.push(clamp(k as number, 0, 1));
      }
    } finally {
      tf.dispose([yTop, kTop]);
    }
    return { numTokens: this.numTokens, cosine, cka };
  }
}
