/**
 * Kernels that split tensors above the binding limit (see gpu-rows.ts): above maxStorageBufferBindingSize a WebGPU
 * kernel writes zeros or garbage (shared/docs/gpu-webgpu.md, pitfalls 2 and 7). Each wrapper runs the stock
 * kernel unchanged when every tensor fits, and otherwise on axis-0 row blocks that fit, cut and joined by buffer
 * copies:
 * - BatchMatMul (rank 2, or batch 1): the unembedding [T, d]·[V, d]ᵀ and its gradients, over N, M or K blocks;
 * - elementwise unary/binary ops, Fill, Softmax (last axis), Sum/Max/Min: row blocks of the output;
 * - Slice, SplitV and Concat along axis 0: pure copies.
 * GatherV2 from a table above the limit: split-gather.ts. Not split: UnsortedSegmentSum into a table above the
 * limit (the gradient of such an embedding) and ops not listed here; those still bind the whole tensor, and Dawn's validation error fails the job (gpu-errors.ts).
 */
import * as tf from "@tensorflow/tfjs";
import {
  bytesOf,
  concatRows,
  copyRows,
  rowBytesOf,
  rowRanges,
  sizeOf,
  type WebgpuInternals,
} from "./gpu-rows.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type KernelParams = Parameters<KernelFunc>[0];
type Info = tf.TensorInfo;

let limitOverride: number | undefined;

/** Test hook: split above `bytes` instead of the device's limit (undefined = the device's). */
export function setSplitLimitForTests(bytes: number | undefined): void {
  limitOverride = bytes;
}

function limitOf(gpu: WebgpuInternals): number {
  const device = gpu.device.limits.maxStorageBufferBindingSize;
  return limitOverride === undefined ? device : Math.min(device, limitOverride);
}

const run = (name: string, backend: unknown, inputs: object, attrs: object = {}): Info => {
  const k = tf.getKernel(name, "webgpu");
  if (k === undefined) throw new Error(`webgpu kernel ${name} is not registered`);
  return k.kernelFunc({ inputs, backend, attrs } as unknown as KernelParams) as Info;
};

/** A view of `t` with another shape of the same size (no copy; not registered, never disposed). */
const view = (t: Info, shape: number[]): Info => ({ dataId: t.dataId, shape, dtype: t.dtype });

/**
 * An op this module cannot split: the stock kernel when its tensors fit the device's own limit (only a test limit
 * was crossed), else a clear error rather than Dawn's.
 */
function unsplittable(
  gpu: WebgpuInternals,
  maxBytes: number,
  what: string,
  stock: () => Info | Info[],
): Info | Info[] {
  const device = gpu.device.limits.maxStorageBufferBindingSize;
  if (maxBytes <= device) return stock();
  throw new Error(`webgpu: ${what} exceeds the storage binding limit (${device} bytes) and cannot be split`);
}

/** Rows of the reference shape per block, or 0 when it cannot be cut into blocks that fit. */
function blockRows(limit: number, ref: number[], rowInputs: Info[]): number {
  const rowBytes = Math.max(rowBytesOf(ref), ...rowInputs.map((t) => rowBytesOf(t.shape)));
  const maxRows = Math.floor(limit / rowBytes);
  return (ref[0] ?? 1) < 2 || maxRows < 1 ? 0 : maxRows;
}

/**
 * Runs `compute(rows)` on row blocks of a reference shape [R, ...]: `rowInputs` are cut to the block (copies),
 * the others passed whole; blocks are joined along axis 0.
 */
function overRows(
  gpu: WebgpuInternals,
  limit: number,
  ref: number[],
  rowInputs: Info[],
  compute: (block: Info[], rows: number) => Info,
): Info {
  const maxRows = blockRows(limit, ref, rowInputs);
  if (maxRows === 0)
    throw new Error(`webgpu: internal: [${ref}] cannot be cut into blocks of ${limit} bytes`);
  const parts = rowRanges(ref[0] as number, maxRows).map(([s, e]) => {
    const block = rowInputs.map((t) => copyRows(gpu, t, s, e));
    const out = compute(block, e - s);
    for (const b of block) gpu.disposeData(b.dataId);
    return out;
  });
  return concatRows(gpu, parts, true);
}

/** `t`'s dims right-aligned to rank `n` (missing leading dims are 1). */
const aligned = (t: Info, n: number): number[] => [...new Array(n - t.shape.length).fill(1), ...t.shape];

/**
 * How many leading axes of `ref` merge into one row axis: each input must either match `ref` on all of them
 * (cut into rows) or be 1 on all of them (broadcast, passed whole).
 */
function mergeableLead(ref: number[], inputs: Info[]): number {
  for (let k = ref.length - 1; k >= 1; k--) {
    const ok = inputs.every((t) => {
      const d = aligned(t, ref.length).slice(0, k);
      return d.every((x, i) => x === ref[i]) || d.every((x) => x === 1);
    });
    if (ok) return k;
  }
  return 0;
}

/** Elementwise kernels (unary `x` or binary `a`, `b` with broadcasting) over merged leading rows. */
function elementwise(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const limit = limitOf(gpu);
    const named = Object.entries(args.inputs as Record<string, Info>);
    const shapes = named.map(([, t]) => t.shape);
    const ref =
      shapes.length === 1
        ? (shapes[0] as number[])
        : tf.backend_util.assertAndGetBroadcastShape(shapes[0] as number[], shapes[1] as number[]);
    const maxBytes = Math.max(bytesOf(ref), ...shapes.map(bytesOf));
    if (maxBytes <= limit) return original(args);
    const k = mergeableLead(
      ref,
      named.map(([, t]) => t),
    );
    const R = sizeOf(ref.slice(0, k));
    const cut = named.filter(([, t]) =>
      aligned(t, ref.length)
        .slice(0, k)
        .every((x, i) => x === ref[i]),
    );
    const whole = named.filter(([name]) => !cut.some(([n]) => n === name));
    const merged = [R, ...ref.slice(k)];
    const rows = cut.map(([, t]) => view(t, [R, ...aligned(t, ref.length).slice(k)]));
    if (k === 0 || whole.some(([, t]) => bytesOf(t.shape) > limit) || blockRows(limit, merged, rows) === 0) {
      return unsplittable(gpu, maxBytes, `a broadcast to [${ref}]`, () => original(args));
    }
    const out = overRows(gpu, limit, merged, rows, (block) => {
      const inputs: Record<string, Info> = {};
      cut.forEach(([name], i) => {
        inputs[name] = block[i] as Info;
      });
      for (const [name, t] of whole) inputs[name] = t;
      return original({ ...args, inputs }) as Info;
    });
    return view(out, ref);
  };
}

/** Fill (zeros, ones, constants) of a shape above the limit. */
function fill(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const limit = limitOf(gpu);
    const shape = (args.attrs as { shape: number[] }).shape;
    if (bytesOf(shape) <= limit) return original(args);
    const merged = shape.length > 1 ? [shape[0] as number, sizeOf(shape.slice(1))] : [sizeOf(shape), 1];
    if (blockRows(limit, merged, []) === 0) {
      return unsplittable(gpu, bytesOf(shape), `a fill of [${shape}]`, () => original(args));
    }
    const out = overRows(gpu, limit, merged, [], (_, rows) =>
      view(original({ ...args, attrs: { ...args.attrs, shape: [rows, merged[1] as number] } }) as Info, [
        rows,
        merged[1] as number,
      ]),
    );
    return view(out, shape);
  };
}

/** Softmax over the last axis: rows are independent. */
function softmax(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const limit = limitOf(gpu);
    const logits = (args.inputs as { logits: Info }).logits;
    if (bytesOf(logits.shape) <= limit) return original(args);
    const last = logits.shape.length - 1;
    const dim = (args.attrs as { dim: number }).dim;
    if (dim !== -1 && dim !== last) {
      return unsplittable(gpu, bytesOf(logits.shape), `a softmax over axis ${dim}`, () => original(args));
    }
    const V = logits.shape[last] as number;
    const merged = [sizeOf(logits.shape) / V, V];
    if (blockRows(limit, merged, []) === 0) {
      return unsplittable(gpu, bytesOf(logits.shape), `a softmax of [${logits.shape}]`, () => original(args));
    }
    const out = overRows(
      gpu,
      limit,
      merged,
      [view(logits, merged)],
      ([block]) => original({ ...args, inputs: { logits: block as Info }, attrs: { dim: 1 } }) as Info,
    );
    return view(out, logits.shape);
  };
}

const COMBINE: Record<string, string> = { Sum: "Add", Max: "Maximum", Min: "Minimum" };

/** Sum / Max / Min: blocks over axis 0; reduced partials are combined when axis 0 is reduced too. */
function reduction(name: string, original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const limit = limitOf(gpu);
    const x = (args.inputs as { x: Info }).x;
    if (bytesOf(x.shape) <= limit) return original(args);
    // Sum names its axes `axis`, Max and Min `reductionIndices`.
    const key = name === "Sum" ? "axis" : "reductionIndices";
    const attrs = args.attrs as Record<string, number | number[]> & { keepDims: boolean };
    const axes = tf.util.parseAxisParam(attrs[key] as number | number[], x.shape);
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const finalShape = attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    // Leading size-1 axes carry nothing: drop them (e.g. logits [1, T, V]).
    let lead = 0;
    while (lead < x.shape.length - 1 && x.shape[lead] === 1) lead++;
    const shape = x.shape.slice(lead);
    const rest = axes.filter((a) => a >= lead).map((a) => a - lead);
    const xv = view(x, shape);
    if (blockRows(limit, shape, []) === 0) {
      return unsplittable(gpu, bytesOf(x.shape), `a reduction of [${x.shape}]`, () => original(args));
    }
    const inner = { [key]: rest, keepDims: true };
    if (!rest.includes(0)) {
      const out = overRows(
        gpu,
        limit,
        shape,
        [xv],
        ([block]) => original({ ...args, inputs: { x: block as Info }, attrs: inner }) as Info,
      );
      return view(out, finalShape);
    }
    const maxRows = Math.max(1, Math.floor(limit / rowBytesOf(shape)));
    let acc: Info | undefined;
    for (const [s, e] of rowRanges(shape[0] as number, maxRows)) {
      const block = copyRows(gpu, xv, s, e);
      const part = original({ ...args, inputs: { x: block }, attrs: inner }) as Info;
      gpu.disposeData(block.dataId);
      if (acc === undefined) {
        acc = part;
      } else {
        const next = run(COMBINE[name] as string, gpu, { a: acc, b: part });
        gpu.disposeData(acc.dataId);
        gpu.disposeData(part.dataId);
        acc = next;
      }
    }
    return view(acc as Info, finalShape);
  };
}

/** Slice of rows [b, b+n) with every other axis whole: a copy, whatever the input's size. */
function slice(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const x = (args.inputs as { x: Info }).x;
    if (bytesOf(x.shape) <= limitOf(gpu)) return original(args);
    const { begin, size } = args.attrs as { begin: number[]; size: number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
    const rowsOnly = x.shape.every((d, i) => i === 0 || (b[i] === 0 && s[i] === d));
    if (!rowsOnly)
      return unsplittable(gpu, bytesOf(x.shape), `a slice of [${x.shape}]`, () => original(args));
    return copyRows(gpu, x, b[0] as number, (b[0] as number) + (s[0] as number));
  };
}

function splitV(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const x = (args.inputs as { x: Info }).x;
    if (bytesOf(x.shape) <= limitOf(gpu)) return original(args);
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number[] | number; axis: number };
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    if (x.shape.slice(0, $axis).some((d) => d !== 1))
      return unsplittable(gpu, bytesOf(x.shape), `a split of [${x.shape}]`, () => original(args));
    const rows = view(x, x.shape.slice($axis));
    let start = 0;
    return sizes.map((n) => {
      const part = copyRows(gpu, rows, start, start + n);
      start += n;
      return view(part, [...x.shape.slice(0, $axis), ...part.shape]);
    });
  };
}

function concat(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const parts = args.inputs as unknown as Info[];
    const first = parts[0];
    if (first === undefined) return original(args);
    const axis = tf.util.parseAxisParam((args.attrs as { axis: number }).axis, first.shape)[0] as number;
    const outShape = tf.backend_util.computeOutShape(
      parts.map((p) => p.shape),
      axis,
    );
    if (bytesOf(outShape) <= limitOf(gpu)) return original(args);
    if (outShape.slice(0, axis).some((d) => d !== 1))
      return unsplittable(gpu, bytesOf(outShape), `a concat into [${outShape}]`, () => original(args));
    const rows = parts.map((p) => view(p, p.shape.slice(axis)));
    const out = concatRows(gpu, rows, false);
    return view(out, outShape);
  };
}

export const ELEMENTWISE_KERNELS = [
  "Add",
  "Sub",
  "Multiply",
  "RealDiv",
  "Maximum",
  "Minimum",
  "SquaredDifference",
  "Square",
  "Sqrt",
  "Rsqrt",
  "Neg",
  "Exp",
  "Log",
  "Abs",
  "Sigmoid",
  "Tanh",
  "Cast",
  "ZerosLike",
  "OnesLike",
] as const;

/** Wrapper makers by kernel name (BatchMatMul is in split-matmul.ts). */
export function splitWrappers(): Record<string, (original: KernelFunc) => KernelFunc> {
  const out: Record<string, (original: KernelFunc) => KernelFunc> = {
    Fill: fill,
    Softmax: softmax,
    Slice: slice,
    SplitV: splitV,
    Concat: concat,
  };
  for (const name of ELEMENTWISE_KERNELS) out[name] = elementwise;
  for (const name of Object.keys(COMBINE)) out[name] = (original) => reduction(name, original);
  return out;
}

export { limitOf, run, unsplittable, view };
