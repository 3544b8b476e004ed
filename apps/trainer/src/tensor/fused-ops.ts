/**
 * Ops the model spends its time in, as one fused kernel each when the active backend has it (the native addon on
 * wasm) and as composite tf ops otherwise. Both paths compute the same function; gradients of the fused kernels
 * are registered here (backend-independent), each computing all input gradients in one kernel call.
 */
import * as tf from "@tensorflow/tfjs";
import { FUSED_KERNELS, type FusedKernel } from "./fused-kernel-names.ts";

/** True when the active backend registered the fused kernel. */
export function hasFusedKernel(kernel: FusedKernel): boolean {
  return tf.getKernel(FUSED_KERNELS[kernel], tf.getBackend()) !== undefined;
}

function run(
  kernel: FusedKernel,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap = {},
): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(FUSED_KERNELS[kernel], inputs, attrs);
}

/** RMSNorm over the last axis, as transformers: `w · x / sqrt(mean(x²) + eps)`. x [..., d], w [d] → [..., d]. */
export function rmsNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor, eps: number): T {
  if (hasFusedKernel("rmsNorm") && x.dtype === "float32") return run("rmsNorm", { x, weight }, { eps }) as T;
  const variance = tf.mean(tf.square(x), -1, true); // [..., 1]
  return tf.mul(weight, tf.mul(x, tf.rsqrt(tf.add(variance, eps)))) as T; // [..., d]
}

/** SwiGLU gate: silu(gate) · up, elementwise. gate, up [..., I] → [..., I]. */
export function swiGlu<T extends tf.Tensor>(gate: T, up: T): T {
  if (hasFusedKernel("swiGlu")) return run("swiGlu", { gate, up }) as T;
  return tf.mul(tf.mul(gate, tf.sigmoid(gate)), up) as T; // [..., I]
}

/**
 * Rotary position embedding, rotate-half convention: x·cos + rotate_half(x)·sin with rotate_half(x) = [−x₂, x₁]
 * and half tables (both halves of transformers' cos/sin are equal).
 * @param x   [B, N, T, hd] (N heads)
 * @param cos [B|1, 1, T, hd/2]
 * @param sin [B|1, 1, T, hd/2]
 */
export function applyRope(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
  if (hasFusedKernel("rope")) return run("rope", { x, cos, sin }) as tf.Tensor4D;
  return tf.tidy(() => {
    const [x1, x2] = tf.split(x, 2, 3) as [tf.Tensor4D, tf.Tensor4D]; // each [B, N, T, hd/2]
    const out1 = tf.sub(tf.mul(x1, cos), tf.mul(x2, sin)); // [B, N, T, hd/2]
    const out2 = tf.add(tf.mul(x2, cos), tf.mul(x1, sin)); // [B, N, T, hd/2]
    return tf.concat([out1, out2], 3) as tf.Tensor4D; // [B, N, T, hd]
  });
}

/** Softmax over the last axis. x [..., n] → [..., n]. */
export function softmax<T extends tf.Tensor>(x: T): T {
  if (hasFusedKernel("softmax")) return run("softmax", { x }) as T;
  return tf.softmax(x, -1) as T;
}

/**
 * Policy entropy over the last axis in nats (spec §2.2): H(z) = logsumexp(z) − Σ_v softmax(z)_v · z_v, which
 * equals −Σ p log p without forming log p of tiny probabilities. logits [..., V] → [...].
 */
export function entropyFromLogits<R extends tf.Rank>(logits: tf.Tensor<R>): tf.Tensor {
  if (hasFusedKernel("entropy") && logits.dtype === "float32") return run("entropy", { logits }) as tf.Tensor;
  return tf.tidy(() => {
    const lse = tf.logSumExp(logits, -1); // [...]
    const p = tf.softmax(logits, -1); // [..., V]
    return tf.sub(lse, tf.sum(tf.mul(p, logits), -1)); // [...]
  });
}

/**
 * Per row: [logsumexp(z), H(softmax(z))] in nats — what an online log-sum-exp over vocabulary chunks needs.
 * No gradient (analysis only). logits [..., V] → [..., 2].
 */
export function logitStats<R extends tf.Rank>(logits: tf.Tensor<R>): tf.Tensor {
  if (hasFusedKernel("logitStats") && logits.dtype === "float32")
    return run("logitStats", { logits }) as tf.Tensor;
  return tf.tidy(() => tf.stack([tf.logSumExp(logits, -1), entropyFromLogits(logits)], -1));
}

export interface AdamWUpdate {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count of this parameter (bias corrections). */
  step: number;
}

/** One AdamW update as src/train/adamw.ts documents it (torch order) → [param′, m′, v′]; the caller assigns them. */
export function adamWUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  u: AdamWUpdate,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (hasFusedKernel("adamW")) {
    return run("adamW", { param, grad, m, v }, { ...u }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  }
  const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, step: t } = u;
  const bc1 = 1 - b1 ** t;
  const bc2Sqrt = Math.sqrt(1 - b2 ** t);
  const decayed = wd > 0 ? tf.mul(param, 1 - lr * wd) : param;
  const m2 = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1));
  const v2 = tf.add(tf.mul(v, b2), tf.mul(tf.square(grad), 1 - b2));
  const denom = tf.add(tf.div(tf.sqrt(v2), bc2Sqrt), eps);
  return [tf.sub(decayed, tf.mul(tf.div(m2, denom), lr / bc1)), m2, v2];
}

/** Runs a kernel that returns every input gradient at once, eagerly (see registerFusedGradients). */
function allGrads(kernel: FusedKernel, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap): tf.Tensor[] {
  return run(kernel, inputs, attrs) as tf.Tensor[];
}

/**
 * Registers the gradients once. Multi-output gradient kernels run eagerly inside gradFunc, in the scope of
 * the whole backward pass: tfjs evaluates each input's closure in its own tidy, which would dispose the sibling
 * output of a kernel run lazily inside the first closure.
 */
function registerFusedGradients(): void {
  if (tf.getGradient(FUSED_KERNELS.rmsNorm) !== undefined) return;
  tf.registerGradient({
    kernelName: FUSED_KERNELS.rmsNorm,
    inputsToSave: ["x", "weight"],
    gradFunc: (dy, saved, attrs) => {
      const [x, weight] = saved as [tf.Tensor, tf.Tensor];
      const [dx, dw] = allGrads("rmsNormGrad", { dy: dy as tf.Tensor, x, weight }, attrs) as [
        tf.Tensor,
        tf.Tensor,
      ];
      return { x: () => dx, weight: () => dw };
    },
  });
  tf.registerGradient({
    kernelName: FUSED_KERNELS.swiGlu,
    inputsToSave: ["gate", "up"],
    gradFunc: (dy, saved) => {
      const [gate, up] = saved as [tf.Tensor, tf.Tensor];
      const [dGate, dUp] = allGrads("swiGluGrad", { dy: dy as tf.Tensor, gate, up }) as [
        tf.Tensor,
        tf.Tensor,
      ];
      return { gate: () => dGate, up: () => dUp };
    },
  });
  tf.registerGradient({
    kernelName: FUSED_KERNELS.softmax,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as [tf.Tensor];
      return { x: () => run("softmaxGrad", { y, dy: dy as tf.Tensor }) as tf.Tensor };
    },
  });
  tf.registerGradient({
    kernelName: FUSED_KERNELS.rope,
    inputsToSave: ["cos", "sin"],
    gradFunc: (dy, saved) => {
      const [cos, sin] = saved as [tf.Tensor, tf.Tensor];
      // The transpose of a rotation is the rotation by −angle; the tables are constants.
      return {
        x: () => run("ropeGrad", { x: dy as tf.Tensor, cos, sin }) as tf.Tensor,
        cos: () => tf.zerosLike(cos),
        sin: () => tf.zerosLike(sin),
      };
    },
  });
  tf.registerGradient({
    kernelName: FUSED_KERNELS.entropy,
    inputsToSave: ["logits"],
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [logits, h] = saved as [tf.Tensor, tf.Tensor];
      // ∂H/∂z_j = −p_j (log p_j + H)
      return {
        logits: () =>
          tf.mul(
            tf.expandDims(dy as tf.Tensor, -1),
            tf.neg(tf.mul(tf.softmax(logits, -1), tf.add(tf.logSoftmax(logits, -1), tf.expandDims(h, -1)))),
          ),
      };
    },
  });
}

registerFusedGradients();
