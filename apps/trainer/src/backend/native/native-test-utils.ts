/**
 * Test-only helpers for the native kernels: seeded host inputs, "run the same function on the cpu backend and on
 * wasm + native kernels and compare", the relative-error metric and call counting on the addon (to prove that a
 * case really went through the native kernel and not through a fallback). Not exported from index.ts.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeAddon } from "./addon-types.ts";
import { DEFAULT_ADDON_PATH, loadNativeAddon } from "./load-addon.ts";

/** The addon that `installNativeKernels()` uses (same path, so the same cached module object). */
export const addonLoad = loadNativeAddon(DEFAULT_ADDON_PATH, 1);
export const nativeAvailable = addonLoad.ok;
/** Suite-name suffix saying why the native-vs-cpu suites are skipped. */
export const skipNote = addonLoad.ok
  ? ""
  : ` (SKIPPED: native addon unavailable: ${addonLoad.reason}; build it with \`node native/build.cjs\`)`;
if (!addonLoad.ok) console.warn(`native kernel tests skipped: ${addonLoad.reason}`);

export function addon(): NativeAddon {
  if (!addonLoad.ok) throw new Error(`native addon unavailable: ${addonLoad.reason}`);
  return addonLoad.addon;
}

export function wasmBackend(): BackendWasm {
  if (tf.getBackend() !== "wasm") throw new Error(`expected the wasm backend, got ${tf.getBackend()}`);
  return tf.engine().backend as unknown as BackendWasm;
}

/** Live wasm dataIds (tensor buffers on the wasm heap). */
export const wasmDataIds = (): number => wasmBackend().numDataIds();

/** Byte length of the wasm heap now. */
export const heapBytes = (): number =>
  (wasmBackend().wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer.byteLength;

// ---- seeded host data -----------------------------------------------------------------------------------

/** mulberry32: a small seeded uniform generator in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi]. */
export const randInt = (next: () => number, lo: number, hi: number): number =>
  lo + Math.floor(next() * (hi - lo + 1));

/** Input data living on the host, uploaded afresh to each backend. */
export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Seeded N(mean, std²) values. */
export function randn(shape: number[], seed: number, std = 1, mean = 0): HostTensor {
  const next = rng(seed);
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) {
    const u = Math.max(next(), 1e-12);
    values[i] = mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  }
  return { shape, values };
}

export const host = (shape: number[], values: ArrayLike<number>): HostTensor => {
  if (values.length !== sizeOf(shape)) throw new Error(`${values.length} values for shape [${shape}]`);
  return { shape, values: Float32Array.from(values) };
};

// ---- running on both backends ---------------------------------------------------------------------------

export type Side = "cpu" | "wasm";
export type TensorFn = (side: Side, ...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/** Uploads `inputs` to `side`, runs `fn` in a tidy and reads every output back (host copies). */
export async function runOn(side: Side, inputs: readonly HostTensor[], fn: TensorFn): Promise<HostTensor[]> {
  await tf.setBackend(side);
  const outs = tf.tidy(() => {
    const r = fn(side, ...inputs.map((h) => tf.tensor(h.values, h.shape, "float32")));
    return Array.isArray(r) ? r : [r];
  });
  const data = outs.map((t) => ({ shape: [...t.shape], values: Float32Array.from(t.dataSync()) }));
  tf.dispose(outs);
  return data;
}

/**
 * max|Δ| / max|ref| over the finite reference values; non-finite reference values (±Inf, NaN) must be matched
 * exactly. A non-finite result where the reference is finite gives Infinity.
 */
export function relErr(ref: Float32Array, got: Float32Array): number {
  if (ref.length !== got.length) throw new Error(`length ${got.length}, expected ${ref.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    const g = got[i] as number;
    if (!Number.isFinite(r)) {
      if (!Object.is(r, g) && !(Number.isNaN(r) && Number.isNaN(g))) return Number.POSITIVE_INFINITY;
      continue;
    }
    if (!Number.isFinite(g)) return Number.POSITIVE_INFINITY;
    maxDiff = Math.max(maxDiff, Math.abs(g - r));
    maxRef = Math.max(maxRef, Math.abs(r));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** Largest error seen per label prefix (printed by {@link reportErrors}). */
const observed = new Map<string, number>();

export function recordError(family: string, err: number): void {
  observed.set(family, Math.max(observed.get(family) ?? 0, err));
}

export function reportErrors(file: string): void {
  if (observed.size === 0) return;
  const parts = [...observed].map(([k, v]) => `${k} ${v.toExponential(2)}`);
  console.info(`${file} max relative error: ${parts.join(" · ")}`);
}

export interface Comparison {
  /** Max relative error per output. */
  errors: number[];
  ref: HostTensor[];
  got: HostTensor[];
}

/**
 * Runs `fn` on the cpu backend (the reference: composite ops for the fused kernels) and on wasm with the native
 * kernels, and measures each output. `ref` defaults to `fn` (give it to prepare the cpu side differently).
 */
export async function compareBackends(
  family: string,
  inputs: readonly HostTensor[],
  fn: TensorFn,
  ref: TensorFn = fn,
): Promise<Comparison> {
  const expected = await runOn("cpu", inputs, ref);
  const got = await runOn("wasm", inputs, fn);
  if (got.length !== expected.length) throw new Error(`${got.length} outputs, expected ${expected.length}`);
  const errors = expected.map((r, i) => {
    const g = got[i] as HostTensor;
    if (g.shape.join() !== r.shape.join())
      throw new Error(`output ${i}: shape [${g.shape}], expected [${r.shape}]`);
    return relErr(r.values, g.values);
  });
  for (const e of errors) recordError(family, e);
  return { errors, ref: expected, got };
}

/** Largest |value| (to check that a reference is not trivially zero). */
export const maxAbs = (xs: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i] as number));
  return m;
};

// ---- call counting --------------------------------------------------------------------------------------

type AddonFn = Exclude<keyof NativeAddon, "blasInfo" | "setThreads">;

/**
 * Counts calls of the named addon functions while `fn` runs (the kernels look their addon function up at each
 * call, so wrapping the module object's property sees them).
 */
export async function countAddonCalls<T>(
  names: readonly AddonFn[],
  fn: () => T | Promise<T>,
  onCall?: (name: AddonFn, args: unknown[]) => void,
): Promise<{ result: T; calls: Record<string, number> }> {
  const a = addon() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const calls: Record<string, number> = {};
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const name of names) {
    const original = a[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    calls[name] = 0;
    a[name] = (...args: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      onCall?.(name, args);
      return original.apply(a, args);
    };
  }
  try {
    return { result: await fn(), calls };
  } finally {
    for (const [name, original] of originals) a[name] = original;
  }
}
