/** Raw access to tfjs-backend-wasm tensor memory for the native kernels (zero copy). */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** Byte offset of a tensor's data in the wasm heap. */
export function offsetOf(backend: BackendWasm, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error("native kernel: tensor data is not on the wasm backend");
  return data.memoryOffset;
}

/** The current HEAPU8. Read it after the last `makeOutput` of a call: allocation can grow (and move) the heap. */
export function heapOf(backend: BackendWasm): Uint8Array {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8; // set by emscripten, not in the d.ts
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** True when every input is float32 (the native kernels' only dtype). */
export const allFloat32 = (...ts: tf.TensorInfo[]): boolean => ts.every((t) => t.dtype === "float32");
