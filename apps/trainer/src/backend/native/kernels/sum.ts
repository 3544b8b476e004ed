/**
 * Sum over any contiguous block of axes without a transpose: x viewed as [outer, reduce, inner]. tfjs-wasm
 * transposes the reduced axes last first (Sum over axis 0 was 36× slower than numpy; native-kernels.md §3).
 * Non-contiguous axis sets and non-float32 go to the replaced kernel.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOf, offsetOf, sizeOf } from "../../wasm-heap.ts";
import type { KernelFunc, KernelParams, NativeKernelContext } from "./types.ts";

/** [outer, reduce, inner] for a sorted, contiguous axis list; undefined when the axes are not contiguous. */
function reductionView(
  shape: readonly number[],
  axes: readonly number[],
): { outer: number; reduce: number; inner: number } | undefined {
  const first = axes[0] as number;
  const last = axes[axes.length - 1] as number;
  if (last - first + 1 !== axes.length) return undefined;
  return {
    outer: sizeOf(shape.slice(0, first)),
    reduce: sizeOf(shape.slice(first, last + 1)),
    inner: sizeOf(shape.slice(last + 1)),
  };
}

export function nativeSum({ addon, original }: NativeKernelContext): tf.KernelConfig {
  const fallback = original("Sum");
  const kernelFunc: KernelFunc = (args: KernelParams) => {
    const x = args.inputs.x as tf.TensorInfo;
    const axis = args.attrs?.axis as number | number[];
    const keepDims = Boolean(args.attrs?.keepDims);
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
    const view = axes.length === 0 || x.dtype !== "float32" ? undefined : reductionView(x.shape, axes);
    if (view === undefined || sizeOf(x.shape) === 0) return fallback(args);
    const backend = args.backend as BackendWasm;
    const outShape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, "float32");
    addon.sumAxis(
      heapOf(backend),
      offsetOf(backend, x),
      offsetOf(backend, out),
      view.outer,
      view.reduce,
      view.inner,
    );
    return out;
  };
  return { kernelName: "Sum", backendName: "wasm", kernelFunc };
}
