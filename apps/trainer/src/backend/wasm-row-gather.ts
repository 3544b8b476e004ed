/**
 * GatherV2 along axis 0 (the embedding lookup) as row copies on the heap. tfjs-wasm's generic kernel took ~25 ms
 * for 1,024 rows of 256 floats, once per forward and per sampled token. Other axes / batchDims / dtypes go to the
 * replaced kernel. Out-of-range ids fail with tfjs's own message.
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOf, offsetOf, sizeOf } from "./wasm-heap.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];

/** The row-copy gather; every case other than float32 rows by int32 ids on axis 0 goes to `fallback`. */
export function rowGather(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const indices = args.inputs.indices as tf.TensorInfo;
    const axis = Number(args.attrs?.axis ?? 0);
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (axis !== 0 || batchDims !== 0 || x.dtype !== "float32" || indices.dtype !== "int32")
      return fallback(args);
    const backend = args.backend as BackendWasm;
    const rows = x.shape[0] as number;
    const inner = sizeOf(x.shape.slice(1));
    const ids = backend.readSync(indices.dataId) as Int32Array;
    for (const id of ids) {
      if (id < 0 || id >= rows) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
    }
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], "float32");
    const heap = new Float32Array(heapOf(backend).buffer); // after makeOutput: it may have grown the heap
    const src = offsetOf(backend, x) / 4;
    const dst = offsetOf(backend, out) / 4;
    ids.forEach((id, i) => {
      heap.copyWithin(dst + i * inner, src + id * inner, src + (id + 1) * inner);
    });
    return out;
  };
}
