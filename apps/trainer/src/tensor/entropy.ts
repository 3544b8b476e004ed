/**
 * Policy entropy from logits, in nats (spec §2.2): H(z) = logsumexp(z) − Σ_v softmax(z)_v · z_v,
 * which equals −Σ p log p without forming log p of tiny probabilities.
 */
import * as tf from "@tensorflow/tfjs";

/** Entropy over the last axis. logits [..., V] → [...]. Caller owns the result. */
export function entropyFromLogits<R extends tf.Rank>(logits: tf.Tensor<R>): tf.Tensor {
  return tf.tidy(() => {
    const lse = tf.logSumExp(logits, -1); // [...]
    const p = tf.softmax(logits, -1); // [..., V]
    return tf.sub(lse, tf.sum(tf.mul(p, logits), -1)); // [...]
  });
}
