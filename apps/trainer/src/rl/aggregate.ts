/**
 * `aggregateLoss` — the only reducer from a per-token loss matrix to the scalar that is differentiated
 * (verl `core_algos.agg_loss`). Losses never reduce themselves. Length bias of each mode (TRL's habit of
 * saying so): see `LOSS_AGG_MODES` in @bupo/shared.
 *
 * | mode                      | formula (ℓ = lossMat, m = mask, B rows, T columns)                         |
 * |---------------------------|-----------------------------------------------------------------------------|
 * | token-mean (BuPO/GRPO)    | Σ m·ℓ / (Σ m + 1e-8) — every response token weighs the same                 |
 * | seq-mean-token-sum        | mean over rows with Σ_t m > 0 of Σ_t m·ℓ — long responses weigh more       |
 * | seq-mean-token-mean       | mean over rows with Σ_t m > 0 of Σ_t m·ℓ / Σ_t m — short responses' tokens weigh more |
 * | seq-mean-token-sum-norm   | Σ m·ℓ / T — Dr.GRPO constant normaliser (T = padded response length)       |
 *
 * Rows whose mask is all zero (padding rows) are excluded from the seq-mean modes, as in current verl.
 */
import { type LossAggMode, LossAggModeSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { MASK_EPS, maskedMean } from "./masked.ts";

type Aggregator = (lossMat: tf.Tensor2D, mask: tf.Tensor2D) => tf.Scalar;

/** Mean over the rows that have at least one token: `perRow` [B] masked by Σ_t m > 0. */
function meanOverNonEmptyRows(perRow: tf.Tensor1D, mask: tf.Tensor2D): tf.Scalar {
  const rowHasTokens = tf.cast(tf.greater(tf.sum(mask, 1), 0), "float32"); // [B]
  return maskedMean(perRow, rowHasTokens) as tf.Scalar;
}

const AGGREGATORS: Record<LossAggMode, Aggregator> = {
  "token-mean": (lossMat, mask) => maskedMean(lossMat, mask) as tf.Scalar,
  "seq-mean-token-sum": (lossMat, mask) => {
    const seqLoss = tf.sum(tf.mul(lossMat, mask), 1) as tf.Tensor1D; // [B]
    return meanOverNonEmptyRows(seqLoss, mask);
  },
  "seq-mean-token-mean": (lossMat, mask) => {
    const seqLoss = tf.div(
      tf.sum(tf.mul(lossMat, mask), 1),
      tf.add(tf.sum(mask, 1), MASK_EPS),
    ) as tf.Tensor1D; // [B]
    return meanOverNonEmptyRows(seqLoss, mask);
  },
  "seq-mean-token-sum-norm": (lossMat, mask) => {
    const T = lossMat.shape[1];
    return tf.div(tf.sum(tf.mul(lossMat, mask)), T) as tf.Scalar;
  },
};

/** Valid aggregation mode names, for messages and forms. */
export const LOSS_AGG_MODE_NAMES = LossAggModeSchema.options;

/**
 * Reduce a per-token loss matrix to a scalar.
 * @param lossMat [B, T] per-token loss ℓ
 * @param mask    [B, T] 1 = response token (incl. EOS), 0 = padding / prompt
 * @param mode    aggregation mode; unknown names throw listing the valid ones
 * @returns scalar (caller disposes)
 */
export function aggregateLoss(
  lossMat: tf.Tensor2D,
  mask: tf.Tensor2D,
  mode: LossAggMode = "token-mean",
): tf.Scalar {
  const aggregate = AGGREGATORS[mode];
  if (!aggregate) {
    throw new Error(
      `Unknown loss aggregation mode "${mode}"; valid modes: ${LOSS_AGG_MODE_NAMES.join(", ")}`,
    );
  }
  if (lossMat.rank !== 2 || mask.rank !== 2 || !shapesEqual(lossMat.shape, mask.shape)) {
    throw new Error(
      `aggregateLoss expects lossMat and mask of equal shape [B, T]; got [${lossMat.shape}] and [${mask.shape}]`,
    );
  }
  return tf.tidy(() => aggregate(lossMat, mask));
}

function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
