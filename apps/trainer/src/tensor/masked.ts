/** Masked reductions (verl `masked_mean` semantics: denominator Σ mask + 1e-8). */
import * as tf from "@tensorflow/tfjs";

/** Σ x·mask over all elements → scalar. x, mask same shape. */
export function maskedSum(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(x, mask)) as tf.Scalar);
}

/** Σ x·mask / (Σ mask + 1e-8) over all elements → scalar (token-mean when mask marks response tokens). */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(x, mask)), tf.add(tf.sum(mask), 1e-8)) as tf.Scalar);
}
