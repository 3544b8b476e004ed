/** Elementary building blocks (no tidy inside: callers own the scope). */
import * as tf from "@tensorflow/tfjs";
import { swiGlu } from "../tensor/fused-ops.ts";
import type { MlpWeights } from "./weights.ts";

export { rmsNorm } from "../tensor/fused-ops.ts";

/** x·Wᵀ + b with W in torch layout [out, in]. x [N, in] → [N, out]. */
export function linear(x: tf.Tensor2D, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor2D {
  const y = tf.matMul(x, weight as tf.Tensor2D, false, true) as tf.Tensor2D; // [N, out]
  return bias === undefined ? y : (tf.add(y, bias) as tf.Tensor2D);
}

/** SwiGLU MLP: down(silu(gate(x)) · up(x)). x [N, d] → [N, d]. */
export function swiGluMlp(x: tf.Tensor2D, w: MlpWeights): tf.Tensor2D {
  const gate = linear(x, w.gateProj); // [N, I]
  const up = linear(x, w.upProj); // [N, I]
  return linear(swiGlu(gate, up), w.downProj); // [N, d]  silu(gate) · up, then down
}
