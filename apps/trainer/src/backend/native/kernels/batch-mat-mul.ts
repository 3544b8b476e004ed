/**
 * BatchMatMul through OpenBLAS sgemm on the wasm heap: every transpose combination as a BLAS flag (no transposed
 * copy), numpy batch broadcasting on any rank (stock tfjs mis-indexes two-sided broadcasts such as [4,1]×[1,3]).
 * Non-float32 inputs go to the replaced kernel.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { allFloat32, heapOf, offsetOf, sizeOf } from "../../wasm-heap.ts";
import type { KernelFunc, KernelParams, NativeKernelContext } from "./types.ts";

/** Byte offset of each output batch entry's operand, for an operand with batch shape `shape` broadcast to `out`. */
function batchOffsets(
  base: number,
  shape: readonly number[],
  out: readonly number[],
  matrixBytes: number,
): Uint32Array {
  const total = sizeOf(out);
  const offsets = new Uint32Array(total);
  const rank = out.length;
  const padded = [...Array(rank - shape.length).fill(1), ...shape] as number[];
  const strides = new Array<number>(rank).fill(0); // in matrices; 0 on broadcast axes
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 ? 0 : s;
    s *= padded[i] as number;
  }
  const index = new Array<number>(rank).fill(0);
  let matrix = 0;
  for (let n = 0; n < total; n++) {
    offsets[n] = base + matrix * matrixBytes;
    for (let i = rank - 1; i >= 0; i--) {
      index[i] = (index[i] as number) + 1;
      matrix += strides[i] as number;
      if ((index[i] as number) < (out[i] as number)) break;
      matrix -= (strides[i] as number) * (out[i] as number);
      index[i] = 0;
    }
  }
  return offsets;
}

export function nativeBatchMatMul({ addon, original }: NativeKernelContext): tf.KernelConfig {
  const fallback = original("BatchMatMul");
  const kernelFunc: KernelFunc = (args: KernelParams) => {
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    if (!allFloat32(a, b)) return fallback(args);
    const backend = args.backend as BackendWasm;
    const ta = Boolean(args.attrs?.transposeA);
    const tb = Boolean(args.attrs?.transposeB);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const M = (ta ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
    const K = (ta ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
    const Kb = (tb ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
    const N = (tb ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
    if (K !== Kb) {
      throw new Error(
        `Error in matMul: inner shapes (${K}) and (${Kb}) of Tensors with shapes ${a.shape} and ${b.shape} and ` +
          `transposeA=${ta} and transposeB=${tb} must match.`,
      );
    }
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    const batch = tf.broadcast_util.assertAndGetBroadcastShape(batchA, batchB);
    const out = backend.makeOutput([...batch, M, N], "float32");
    if (M * N === 0) return out;
    const offA = offsetOf(backend, a);
    const offB = offsetOf(backend, b);
    const offC = offsetOf(backend, out);
    const heap = heapOf(backend); // after makeOutput: it may have grown the heap
    if (sizeOf(batchB) === 1 && !ta && sizeOf(batchA) === sizeOf(batch)) {
      // One weight for every batch entry: a single [batch·M, K] × [K, N] product.
      const rows = sizeOf(batch) * M;
      addon.sgemm(
        heap,
        false,
        tb,
        rows,
        N,
        K,
        Uint32Array.of(offA),
        Uint32Array.of(offB),
        Uint32Array.of(offC),
      );
      return out;
    }
    addon.sgemm(
      heap,
      ta,
      tb,
      M,
      N,
      K,
      batchOffsets(offA, batchA, batch, M * K * 4),
      batchOffsets(offB, batchB, batch, K * N * 4),
      batchOffsets(offC, batch, batch, M * N * 4),
    );
    return out;
  };
  return { kernelName: "BatchMatMul", backendName: "wasm", kernelFunc };
}
