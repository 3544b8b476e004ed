/**
 * Kernel fixes for @tensorflow/tfjs-backend-wasm 4.22.0 (see shared/docs/compute-notes.md §2), with or without
 * the native addon:
 *
 * 1. `BatchMatMul` with `transposeA/B` takes a slow path on wasm (1.2–2 GFLOP/s vs 13–20 without). We wrap the
 *    kernel so transposes are materialised with the wasm `Transpose` kernel and the fast NN path runs.
 * 2. `UnsortedSegmentSum` is not registered on wasm, so `tf.gather` (the embedding lookup) has no gradient.
 *    We register a small JS kernel with the same semantics as the cpu one.
 * 3. `Identity` copies its input; it now shares the data (wasm-identity.ts).
 * 4. `GatherV2` on axis 0 is slow; it now copies rows (wasm-row-gather.ts).
 *
 * Call {@link registerWasmKernelFixes} after `await tf.setBackend("wasm")`. It is idempotent.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { sharedIdentity } from "./wasm-identity.ts";
import { rowGather } from "./wasm-row-gather.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type KernelParams = Parameters<KernelFunc>[0];

/** Marker attached to the replacement kernel so re-registration is detected. */
const FIXED_MARKER = "__bupoFixed";

/** Swaps the last two axes of `t` with the backend's own Transpose kernel. Caller owns the result. */
function swapLastTwo(t: tf.TensorInfo, backend: BackendWasm, transpose: KernelFunc): tf.TensorInfo {
  const perm = t.shape.map((_, i) => i);
  const last = perm.length - 1;
  [perm[last - 1], perm[last]] = [perm[last] as number, perm[last - 1] as number];
  return transpose({ inputs: { x: t }, backend, attrs: { perm } }) as tf.TensorInfo;
}

function makeFixedBatchMatMul(original: KernelFunc, transpose: KernelFunc): KernelFunc {
  const fixed: KernelFunc = ({ inputs, backend, attrs }: KernelParams) => {
    const transposeA = Boolean(attrs?.transposeA);
    const transposeB = Boolean(attrs?.transposeB);
    if (!transposeA && !transposeB) return original({ inputs, backend, attrs });
    const wasm = backend as BackendWasm;
    const a0 = inputs.a as tf.TensorInfo;
    const b0 = inputs.b as tf.TensorInfo;
    const a = transposeA ? swapLastTwo(a0, wasm, transpose) : a0;
    const b = transposeB ? swapLastTwo(b0, wasm, transpose) : b0;
    const out = original({
      inputs: { a, b },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    if (a !== a0) wasm.disposeData(a.dataId);
    if (b !== b0) wasm.disposeData(b.dataId);
    return out;
  };
  return fixed;
}

/** Same semantics as the cpu kernel: out[s] = Σ_{i: ids[i]=s} x[i], ids outside [0, numSegments) dropped. */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }: KernelParams) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const segmentIds = inputs.segmentIds as tf.TensorInfo;
  const numSegments = Number(attrs?.numSegments);
  const xv = wasm.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
  const inner = ids.length === 0 ? 0 : xv.length / ids.length;
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const o = wasm.typedArrayFromHeap(out);
  o.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    for (let j = 0; j < inner; j++)
      o[s * inner + j] = (o[s * inner + j] as number) + (xv[i * inner + j] as number);
  }
  return out;
};

/** Replaces the wasm kernel `name` with `make(original)` unless that was done already (marker). */
function replaceOnce(name: string, make: (original: KernelFunc) => KernelFunc): void {
  const config = tf.getKernel(name, "wasm");
  if (config === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  if (FIXED_MARKER in config.kernelFunc) return;
  const fixed = make(config.kernelFunc);
  Object.defineProperty(fixed, FIXED_MARKER, { value: true });
  tf.unregisterKernel(name, "wasm");
  // Keep setupFunc/disposeFunc of the original config: the wasm kernel binds its C function in setup.
  tf.registerKernel({ ...config, kernelFunc: fixed });
}

/** Registers every fix on the `wasm` backend. Idempotent; throws if the wasm kernels are missing. */
export function registerWasmKernelFixes(): void {
  const transpose = tf.getKernel("Transpose", "wasm");
  if (transpose === undefined) throw new Error("wasm kernel Transpose is not registered");
  replaceOnce("BatchMatMul", (original) => makeFixedBatchMatMul(original, transpose.kernelFunc));
  replaceOnce("Identity", sharedIdentity);
  replaceOnce("GatherV2", rowGather);
  if (tf.getKernel("UnsortedSegmentSum", "wasm") === undefined) {
    tf.registerKernel({
      kernelName: "UnsortedSegmentSum",
      backendName: "wasm",
      kernelFunc: unsortedSegmentSum,
    });
  }
}
