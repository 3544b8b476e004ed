/**
 * The all-layer analysis at a real vocabulary size for `bench`: `analyzeInternalPolicies` (the same call as the
 * analysis row) on a preset rebuilt with Qwen3's 151,936-token vocabulary (random weights), B rows of T tokens.
 * Its work is almost all unembedding — 5L + 2 states × 2·B·T·d·V FLOPs (bench-flops.ts) — so its FLOP floor at
 * the sgemm peak says how close the chunked unembed + entropy path gets to the machine.
 * The single warm-up analyses one row: the heap grows to its working size (the logit chunk is the same size
 * at any B), and the timed runs then see a warm heap at a fraction of the cost.
 */
import * as tf from "@tensorflow/tfjs";
import { analyzeInternalPolicies } from "../analysis/internal-policy.ts";
import type { ModelFamily } from "../model/config.ts";
import { initWeights } from "../model/init-weights.ts";
import { type ModelPresetName, modelPreset } from "../model/presets.ts";
import { disposeWeights } from "../model/weights.ts";
import { analysisFlops, unembeddedStates } from "./bench-flops.ts";
import { randomRows, timeMedian } from "./bench-measure.ts";

/** Qwen3's tokenizer size (Qwen/Qwen3-* config.json `vocab_size`). */
export const QWEN3_VOCAB_SIZE = 151_936;

export interface RealVocabResult {
  preset: ModelPresetName;
  vocabSize: number;
  /** Rows × tokens analysed per timed run. */
  batch: number;
  tokens: number;
  /** States unembedded per run (5L + 2) and the run's matrix-product FLOPs (decoder + unembeddings). */
  states: number;
  flops: number;
  /** Median wall time of `runs` timed runs (ms). */
  ms: number;
  runs: number;
}

/** Analysis of `batch` rows of `tokens` tokens at `vocabSize`, timed `runs` times after a one-row warm-up. */
export async function benchRealVocab(
  preset: ModelPresetName,
  family: ModelFamily,
  shape: { batch: number; tokens: number },
  runs: number,
  log: (stage: string) => void,
  vocabSize = QWEN3_VOCAB_SIZE,
): Promise<RealVocabResult> {
  const config = modelPreset(preset, family, vocabSize);
  log(`${preset} V ${vocabSize}: weights`);
  const weights = initWeights(config, 1);
  const tensorsBefore = tf.memory().numTensors;
  try {
    const rows = randomRows(shape.batch, shape.tokens, vocabSize, 21);
    log(
      `${preset} V ${vocabSize}: warm-up (1 row) + analysis of ${shape.batch}×${shape.tokens} tokens ×${runs}`,
    );
    await analyzeInternalPolicies(weights, config, rows.slice(0, 1));
    const ms = await timeMedian({ warmup: 0, reps: runs }, async () => {
      await analyzeInternalPolicies(weights, config, rows);
    });
    const left = tf.memory().numTensors - tensorsBefore;
    if (left !== 0) log(`${preset} V ${vocabSize}: warning: ${left} tensor(s) left behind`);
    return {
      preset,
      vocabSize,
      batch: shape.batch,
      tokens: shape.tokens,
      states: unembeddedStates(config.numLayers),
      flops: analysisFlops(config, shape.batch, shape.tokens),
      ms,
      runs,
    };
  } finally {
    disposeWeights(weights);
  }
}
