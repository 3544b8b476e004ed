/** Exp, Tanh and Sigmoid over float32 (tfjs-wasm's are 20–80× slower than vectorised C; native-kernels.md §3). */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOf, offsetOf, sizeOf } from "../../wasm-heap.ts";
import { UNARY_OPS, type UnaryOpName } from "../addon-types.ts";
import type { KernelFunc, KernelParams, NativeKernelContext } from "./types.ts";

const KERNEL_OF: Record<UnaryOpName, string> = { exp: "Exp", tanh: "Tanh", sigmoid: "Sigmoid" };

export function nativeUnaryKernels({ addon, original }: NativeKernelContext): tf.KernelConfig[] {
  return (Object.keys(KERNEL_OF) as UnaryOpName[]).map((op) => {
    const kernelName = KERNEL_OF[op];
    const fallback = original(kernelName);
    const kernelFunc: KernelFunc = (args: KernelParams) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype !== "float32") return fallback(args);
      const backend = args.backend as BackendWasm;
      const out = backend.makeOutput(x.shape, "float32");
      const n = sizeOf(x.shape);
      if (n > 0) addon.unary(heapOf(backend), UNARY_OPS[op], offsetOf(backend, x), offsetOf(backend, out), n);
      return out;
    };
    return { kernelName, backendName: "wasm", kernelFunc };
  });
}
