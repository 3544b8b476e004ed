/**
 * The JS face of the bupo_native addon (apps/trainer/native/src/addon.c). Every function takes the wasm backend's
 * HEAPU8 (re-read after any allocation) and byte offsets into it; each call is synchronous and keeps no pointer.
 */
export interface BlasInfo {
  /** OpenBLAS kernel family in use, e.g. "SkylakeX", "Haswell". */
  coreName: string;
  config: string;
  threads: number;
}

/** Unary op codes of `unary` (elementwise.c). */
export const UNARY_OPS = { exp: 0, tanh: 1, sigmoid: 2 } as const;
export type UnaryOpName = keyof typeof UNARY_OPS;

export interface NativeAddon {
  blasInfo(): BlasInfo;
  setThreads(threads: number): void;
  /** C[i] = op(A[i]) · op(B[i]) (row-major), byte offsets per batch entry. */
  sgemm(
    heap: Uint8Array,
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    offsetsA: Uint32Array,
    offsetsB: Uint32Array,
    offsetsC: Uint32Array,
  ): void;
  unary(heap: Uint8Array, op: number, inOffset: number, outOffset: number, n: number): void;
  /** x viewed as [outer, reduce, inner] → out [outer, inner]. */
  sumAxis(
    heap: Uint8Array,
    inOffset: number,
    outOffset: number,
    outer: number,
    reduce: number,
    inner: number,
  ): void;
  rmsNorm(heap: Uint8Array, x: number, w: number, y: number, rows: number, d: number, eps: number): void;
  rmsNormGrad(
    heap: Uint8Array,
    dy: number,
    x: number,
    w: number,
    dx: number,
    dw: number,
    rows: number,
    d: number,
    eps: number,
  ): void;
  swiglu(heap: Uint8Array, a: number, b: number, y: number, n: number): void;
  swigluGrad(heap: Uint8Array, dy: number, a: number, b: number, da: number, db: number, n: number): void;
  softmax(heap: Uint8Array, x: number, y: number, rows: number, n: number): void;
  softmaxGrad(heap: Uint8Array, y: number, dy: number, dx: number, rows: number, n: number): void;
  /** Rotate-half RoPE with half tables; sign −1 is the gradient. */
  rope(
    heap: Uint8Array,
    x: number,
    cos: number,
    sin: number,
    y: number,
    B: number,
    N: number,
    T: number,
    hd: number,
    tablePerBatch: boolean,
    sign: number,
  ): void;
  entropyRows(heap: Uint8Array, z: number, out: number, rows: number, n: number): void;
  /** out[2r] = logsumexp(z[r]), out[2r+1] = H(softmax(z[r])). */
  logitStatsRows(heap: Uint8Array, z: number, out: number, rows: number, n: number): void;
  adamw(
    heap: Uint8Array,
    p: number,
    g: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
  ): void;
}
