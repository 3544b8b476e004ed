/**
 * Log-probabilities of chosen tokens, differentiable on every backend: logSoftmax then a one-hot mask and sum
 * (GatherNd has no gradient in TF.js).
 *
 * The one-hot is built as int32 and then cast: `tf.oneHot(ids, V, 1, 0, "float32")` is wrong on wasm
 * (tfjs-backend-wasm 4.22 writes the int32 bit pattern of 1 into the float buffer, i.e. 1.4e-45 instead of 1.0,
 * so every log-prob came out ≈ 0). Never ask `tf.oneHot` for a float dtype.
 */
import * as tf from "@tensorflow/tfjs";

function toIds(targets: tf.Tensor2D | number[][]): tf.Tensor2D {
  if (!Array.isArray(targets)) return targets.dtype === "int32" ? targets : tf.cast(targets, "int32");
  const T = targets[0]?.length ?? 0;
  return tf.tensor2d(targets.flat(), [targets.length, T], "int32");
}

/**
 * log softmax(logits)[b, t, targets[b, t]]. No shift: logits at position t score `targets[b, t]`.
 * Apply temperature before (forward's `temperature` option). Caller owns the result.
 * @param logits  [B, T, V]
 * @param targets [B, T] int32 ids
 * @returns [B, T]
 */
export function logProbsOfTokens(logits: tf.Tensor3D, targets: tf.Tensor2D | number[][]): tf.Tensor2D {
  return tf.tidy(() => {
    const V = logits.shape[2];
    const logp = tf.logSoftmax(logits, -1); // [B, T, V]
    const hot = tf.cast(tf.oneHot(toIds(targets), V), "float32"); // [B, T, V]  int32 one-hot, then cast (wasm)
    return tf.sum(tf.mul(logp, hot), -1) as tf.Tensor2D; // [B, T]
  });
}

/**
 * Next-token log-probs of a teacher-forced sequence: logits at position p score token p+1.
 * @param logits [B, T, V]
 * @param tokens [B, T] the same ids that were fed to the model
 * @returns [B, T−1]; entry p = log π(tokens[p+1] | tokens[≤p])
 */
export function nextTokenLogProbs(logits: tf.Tensor3D, tokens: tf.Tensor2D | number[][]): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape;
    const ids = toIds(tokens);
    const shiftedLogits = tf.slice(logits, [0, 0, 0], [B, T - 1, V]) as tf.Tensor3D; // [B, T−1, V]
    const targets = tf.slice(ids, [0, 1], [B, T - 1]) as tf.Tensor2D; // [B, T−1]
    return logProbsOfTokens(shiftedLogits, targets);
  });
}
