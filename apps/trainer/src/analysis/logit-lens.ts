/**
 * Logit-lens grid for the UI: top-k next-token predictions and entropy per (layer, position) of one sequence.
 * Row i of the grid is the residual stream after i layers (0 = embeddings … L = last layer).
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../model/config.ts";
import { runDecoder } from "../model/decoder.ts";
import { toTokenTensor } from "../model/forward.ts";
import type { ModelWeights } from "../model/weights.ts";
import { tidyObject } from "../tensor/tidy.ts";
import { createLensHead, type TopKRow, topKOfRows } from "./lens-head.ts";
import type { LensMode } from "./types.ts";

export interface LogitLensOptions {
  /** Tokens per cell (default 5). */
  topK?: number;
  /** "raw" (default, repo-faithful) or "normed" (final RMSNorm before W_U). */
  lens?: LensMode;
  /** Row L shows the model's own policy (final norm) instead of the lens of h_L. Default false. */
  trueLastLayer?: boolean;
  /** Positions (columns) to report; default all. */
  positions?: number[];
  maxChunkElements?: number;
}

export type LogitLensCell = TopKRow;

export interface LogitLensGrid {
  lens: LensMode;
  trueLastLayer: boolean;
  /** Column positions, in order. */
  positions: number[];
  /** [L+1][positions.length]; each cell: top-k token ids, their probabilities, entropy (nats). */
  cells: LogitLensCell[][];
}

/** Builds the grid for one token sequence. Leaves no tensors behind. */
export async function logitLens(
  w: ModelWeights,
  c: ModelConfig,
  tokens: number[],
  opts: LogitLensOptions = {},
): Promise<LogitLensGrid> {
  const lens = opts.lens ?? "raw";
  const trueLastLayer = opts.trueLastLayer ?? false;
  const T = tokens.length;
  const positions = opts.positions ?? Array.from({ length: T }, (_, t) => t);
  if (positions.some((p) => !Number.isInteger(p) || p < 0 || p >= T))
    throw new Error(`positions must lie in [0, ${T})`);
  const states = tidyObject(() => {
    const dec = runDecoder(w, c, toTokenTensor([tokens], c.vocabSize));
    const idx = tf.tensor1d(positions, "int32");
    const pick = (h: tf.Tensor3D) => tf.gather(tf.reshape(h, [T, c.hiddenSize]), idx) as tf.Tensor2D; // [P, d]
    return { hidden: dec.hidden.map(pick), finalNormed: pick(dec.finalNormed) };
  });
  const head = createLensHead(w, c, opts.maxChunkElements);
  try {
    const cells: LogitLensCell[][] = [];
    for (let i = 0; i <= c.numLayers; i++) {
      const useFinal = i === c.numLayers && trueLastLayer;
      const x = useFinal ? states.finalNormed : (states.hidden[i] as tf.Tensor2D);
      cells.push(await topKOfRows(head, x, opts.topK ?? 5, !useFinal && lens === "normed"));
    }
    return { lens, trueLastLayer, positions, cells };
  } finally {
    head.dispose();
    tf.dispose([...states.hidden, states.finalNormed]);
  }
}
