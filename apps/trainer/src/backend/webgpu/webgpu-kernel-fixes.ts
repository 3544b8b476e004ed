/**
 * Kernel fixes for @tensorflow/tfjs-backend-webgpu 4.22.0 on Dawn:
 *
 * - `AddN` binds every input in one shader; above the device's maxStorageBuffersPerShaderStage (8 by default)
 *   Dawn rejects the pipeline and the sum silently reads 0 (the global grad norm of a model, one square-sum per
 *   parameter). The fixed kernel sums in groups that fit, then sums the partial sums the same way.
 * - Tensors above maxStorageBufferBindingSize are split (split-kernels.ts, split-matmul.ts).
 *
 * Call {@link registerWebgpuKernelFixes} after `tf.setBackend("webgpu")`. Idempotent.
 */
import * as tf from "@tensorflow/tfjs";
import { splitGather } from "./split-gather.ts";
import { splitWrappers } from "./split-kernels.ts";
import { splitMatMul } from "./split-matmul.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type KernelParams = Parameters<KernelFunc>[0];

const FIXED_MARKER = "__bupoFixed";

interface WebgpuBackendLike {
  device: GPUDevice;
  disposeData(dataId: object): void;
}

/** Largest AddN group: one storage binding is the output; 7 at WebGPU's default limit of 8. */
export function addNGroupSize(maxStorageBuffersPerShaderStage: number): number {
  return Math.max(2, maxStorageBuffersPerShaderStage - 1);
}

function groupedAddN(original: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }: KernelParams) => {
    const gpu = backend as unknown as WebgpuBackendLike;
    const group = addNGroupSize(gpu.device.limits.maxStorageBuffersPerShaderStage);
    let level = inputs as unknown as tf.TensorInfo[];
    const partials = new Set<tf.TensorInfo>(); // sums made here, disposed once summed again
    const release = (ts: tf.TensorInfo[]) => {
      for (const t of ts) if (partials.delete(t)) gpu.disposeData(t.dataId);
    };
    while (level.length > group) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < level.length; i += group) {
        const part = level.slice(i, i + group);
        if (part.length === 1) {
          next.push(part[0] as tf.TensorInfo);
          continue;
        }
        const sum = original({
          inputs: part as unknown as tf.NamedTensorInfoMap,
          backend,
          attrs,
        }) as tf.TensorInfo;
        release(part);
        partials.add(sum);
        next.push(sum);
      }
      level = next;
    }
    const out = original({
      inputs: level as unknown as tf.NamedTensorInfoMap,
      backend,
      attrs,
    }) as tf.TensorInfo;
    release(level);
    return out;
  };
}

function replaceOnce(name: string, make: (original: KernelFunc) => KernelFunc): void {
  const config = tf.getKernel(name, "webgpu");
  if (config === undefined) throw new Error(`webgpu kernel ${name} is not registered`);
  if (FIXED_MARKER in config.kernelFunc) return;
  const fixed = make(config.kernelFunc);
  Object.defineProperty(fixed, FIXED_MARKER, { value: true });
  tf.unregisterKernel(name, "webgpu");
  tf.registerKernel({ ...config, kernelFunc: fixed });
}

export function registerWebgpuKernelFixes(): void {
  replaceOnce("AddN", groupedAddN);
  replaceOnce("BatchMatMul", splitMatMul);
  replaceOnce("GatherV2", splitGather);
  for (const [name, wrap] of Object.entries(splitWrappers())) replaceOnce(name, wrap);
}
