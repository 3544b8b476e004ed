/**
 * Masked reductions with verl semantics (`verl/utils/torch_functional.py`: `masked_sum`, `masked_mean`,
 * `masked_var`). Every function is tidy: it returns one new tensor that the caller disposes.
 * `mask` is 1 for tokens that count (response tokens incl. EOS) and 0 for padding; same shape as `values`.
 */
import * as tf from "@tensorflow/tfjs";

/** Denominator guard of verl `masked_mean`. */
export const MASK_EPS = 1e-8;

/** Σ values·mask over `axis` (all elements when omitted). Caller disposes. */
export function maskedSum(values: tf.Tensor, mask: tf.Tensor, axis?: number): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.mul(values, mask), axis));
}

/** Σ values·mask / (Σ mask + 1e-8) over `axis` (all elements when omitted); 0 where nothing is masked in. */
export function maskedMean(values: tf.Tensor, mask: tf.Tensor, axis?: number): tf.Tensor {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(values, mask), axis), tf.add(tf.sum(mask, axis), MASK_EPS)));
}

/**
 * Masked variance over all elements → scalar. `unbiased` applies Bessel's correction n/(n−1) with
 * n = Σ mask, as verl does (verl raises for n ≤ 1; here n = 1 gives +Inf/NaN and n = 0 gives NaN — check
 * the mask first when that can happen).
 */
export function maskedVar(values: tf.Tensor, mask: tf.Tensor, unbiased = true): tf.Scalar {
  return tf.tidy(() => {
    const mean = maskedMean(values, mask);
    const centered = tf.sub(values, mean);
    const variance = maskedMean(tf.square(centered), mask) as tf.Scalar;
    if (!unbiased) return variance;
    const n = tf.sum(mask);
    return tf.mul(variance, tf.div(n, tf.sub(n, 1))) as tf.Scalar;
  });
}

/** (values − masked mean) / sqrt(masked var + 1e-8), optionally re-adding the mean (verl `masked_whiten`). */
export function maskedWhiten(values: tf.Tensor, mask: tf.Tensor, shiftMean = true): tf.Tensor {
  return tf.tidy(() => {
    const mean = maskedMean(values, mask);
    const variance = maskedVar(values, mask, true);
    const whitened = tf.mul(tf.sub(values, mean), tf.rsqrt(tf.add(variance, 1e-8)));
    return shiftMean ? whitened : tf.add(whitened, mean);
  });
}
