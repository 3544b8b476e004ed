/**
 * Host-side packing of (prompt, response) pairs into padded micro-batches, and their upload as tensors.
 *
 * Row layout (width T = P + R, P/R = longest prompt/response of the whole MINI-batch, so every micro-batch of a
 * mini-batch has the same shape): [pad … pad | prompt | response | pad … pad]. Prompts are left-padded as in
 * `generate` (position ids restart at each row's first real token), responses right-padded. The response mask is
 * 1 on sampled tokens — EOS included — and 0 on padding; prompt tokens never enter it (spec §5.2).
 *
 * The same packing is used for the old-log-prob pass and for every update, so both see bit-identical inputs.
 */
import * as tf from "@tensorflow/tfjs";
import { broadcastToTokens } from "../rl/advantages.ts";

export interface SequencePair {
  promptIds: readonly number[];
  responseIds: readonly number[];
}

export interface MicroBatch {
  /** Indices of the rows in the caller's list. */
  indices: number[];
  /** [B][T] token ids fed to the model. */
  ids: number[][];
  /** [B][T] 1 = real token, 0 = padding; undefined when nothing is padded. */
  attentionMask: number[][] | undefined;
  /** P: padded prompt width; logits at P−1 … P+R−2 score the response tokens. */
  promptWidth: number;
  /** R: padded response width. */
  responseWidth: number;
  /** [B][R] response ids (padId where masked). */
  targets: number[][];
  /** [B][R] response mask. */
  mask: number[][];
  /** [B] per-response advantage (0 when the caller gives none). */
  advantages: number[];
  /** Σ mask. */
  numTokens: number;
  /** Rows with at least one response token. */
  numRows: number;
}

/**
 * Packs `indices` of `pairs` (one mini-batch) into micro-batches of at most `microBatchSize` rows, in order.
 */
export function buildMicroBatches(
  pairs: readonly SequencePair[],
  indices: readonly number[],
  opts: { microBatchSize: number; padId: number; advantages?: ArrayLike<number> },
): MicroBatch[] {
  if (!(Number.isInteger(opts.microBatchSize) && opts.microBatchSize >= 1))
    throw new Error(`microBatchSize must be a positive integer (got ${opts.microBatchSize})`);
  const rows = indices.map((i) => {
    const pair = pairs[i];
    if (pair === undefined) throw new Error(`no sequence at index ${i}`);
    if (pair.promptIds.length === 0) throw new Error(`sequence ${i} has an empty prompt`);
    return pair;
  });
  const P = Math.max(...rows.map((r) => r.promptIds.length));
  const R = Math.max(1, ...rows.map((r) => r.responseIds.length));
  const padded = rows.some((r) => r.promptIds.length !== P || r.responseIds.length !== R);
  const out: MicroBatch[] = [];
  for (let start = 0; start < rows.length; start += opts.microBatchSize) {
    const chunk = indices.slice(start, start + opts.microBatchSize);
    const mb: MicroBatch = {
      indices: chunk,
      ids: [],
      attentionMask: padded ? [] : undefined,
      promptWidth: P,
      responseWidth: R,
      targets: [],
      mask: [],
      advantages: [],
      numTokens: 0,
      numRows: 0,
    };
    for (const i of chunk) {
      const { promptIds, responseIds } = pairs[i] as SequencePair;
      const left = P - promptIds.length;
      const right = R - responseIds.length;
      mb.ids.push([...fill(left, opts.padId), ...promptIds, ...responseIds, ...fill(right, opts.padId)]);
      mb.attentionMask?.push([
        ...fill(left, 0),
        ...fill(promptIds.length + responseIds.length, 1),
        ...fill(right, 0),
      ]);
      mb.targets.push([...responseIds, ...fill(right, opts.padId)]);
      mb.mask.push([...fill(responseIds.length, 1), ...fill(right, 0)]);
      mb.advantages.push(opts.advantages ? (opts.advantages[i] as number) : 0);
      mb.numTokens += responseIds.length;
      if (responseIds.length > 0) mb.numRows += 1;
    }
    out.push(mb);
  }
  return out;
}

function fill(n: number, value: number): number[] {
  return new Array<number>(n).fill(value);
}

/** A micro-batch on the device. Owned by whoever called {@link uploadMicroBatch}. */
export interface MicroBatchTensors {
  ids: tf.Tensor2D; // [B, T] int32
  targets: tf.Tensor2D; // [B, R] int32
  mask: tf.Tensor2D; // [B, R] float32
  advantages: tf.Tensor2D; // [B, R] float32, Â_i on response tokens, 0 elsewhere
}

export function uploadMicroBatch(mb: MicroBatch): MicroBatchTensors {
  return tf.tidy(() => {
    const B = mb.ids.length;
    const mask = tf.tensor2d(mb.mask.flat(), [B, mb.responseWidth], "float32"); // [B, R]
    return {
      ids: tf.tensor2d(mb.ids.flat(), [B, mb.promptWidth + mb.responseWidth], "int32"), // [B, T]
      targets: tf.tensor2d(mb.targets.flat(), [B, mb.responseWidth], "int32"), // [B, R]
      mask,
      advantages: broadcastToTokens(mb.advantages, mask), // [B, R]
    };
  });
}

export function disposeMicroBatchTensors(t: MicroBatchTensors): void {
  tf.dispose([t.ids, t.targets, t.mask, t.advantages]);
}
