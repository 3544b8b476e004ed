/** Elementary building blocks (no tidy inside: callers own the scope). */
import * as tf from "@tensorflow/tfjs";
import type { MlpWeights } from "./weights.ts";

/** RMSNorm over the last axis, as transformers: `w · x / sqrt(mean(x²) + eps)`. x [..., d], w [d] → [..., d]. */
export function rmsNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor1D | tf.Variable, eps: number): T {
  const variance = tf.mean(tf.square(x), -1, true); // [..., 1]
  return tf.mul(weight, tf.mul(x, tf.rsqrt(tf.add(variance, eps)))) as T; // [..., d]
}

/** x·Wᵀ + b with W in torch layout [out, in]. x [N, in] → [N, out]. */
export function linear(x: tf.Tensor2D, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor2D {
  const y = tf.matMul(x, weight as tf.Tensor2D, false, true) as tf.Tensor2D; // [N, out]
  return bias === undefined ? y : (tf.add(y, bias) as tf.Tensor2D);
}

/** SwiGLU MLP: down(silu(gate(x)) · up(x)). x [N, d] → [N, d]. */
export function swiGluMlp(x: tf.Tensor2D, w: MlpWeights): tf.Tensor2D {
  const gate = linear(x, w.gateProj); // [N, I]
  const up = linear(x, w.upProj); // [N, I]
  const act = tf.mul(gate, tf.sigmoid(gate)); // [N, I]  silu
  return linear(tf.mul(act, up) as tf.Tensor2D, w.downProj); // [N, d]
}
