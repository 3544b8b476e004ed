/**
 * BatchMatMul with an operand or a result above the storage binding limit (the unembedding W_U [V, d] and the
 * logits [T, V], forward and backward), as matMuls over blocks that fit (see split-kernels.ts):
 * - over M (rows of the result), joined by copies;
 * - over N (rows of a transposed B, e.g. vocabulary blocks of W_U), joined with Concat on axis 1;
 * - over K (the contracted axis, e.g. dX = dZ·W_U), partial products added.
 * Rank 2 only, or a batch of 1; a real batch above the limit is refused with a clear error.
 */
import type * as tf from "@tensorflow/tfjs";
import { bytesOf, concatRows, copyRows, rowRanges, sizeOf, type WebgpuInternals } from "./gpu-rows.ts";
import { limitOf, run, unsplittable, view } from "./split-kernels.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type Info = tf.TensorInfo;

interface MatMulCtx {
  gpu: WebgpuInternals;
  limit: number;
  attrs: Record<string, unknown>;
  original: KernelFunc;
}

const fail = (limit: number, what: string): never => {
  throw new Error(
    `webgpu: matMul ${what} exceeds the storage binding limit (${limit} bytes) and cannot be split`,
  );
};

/** Columns [s, e) of a 2-D tensor that fits a binding (the stock Slice kernel). */
const columns = (ctx: MatMulCtx, t: Info, s: number, e: number): Info =>
  run("Slice", ctx.gpu, { x: t }, { begin: [0, s], size: [t.shape[0] as number, e - s] });

function dispose(ctx: MatMulCtx, ...ts: Info[]): void {
  for (const t of ts) ctx.gpu.disposeData(t.dataId);
}

function matMul2d(ctx: MatMulCtx, a: Info, b: Info, ta: boolean, tb: boolean): Info {
  const M = (ta ? a.shape[1] : a.shape[0]) as number;
  const K = (ta ? a.shape[0] : a.shape[1]) as number;
  const N = (tb ? b.shape[0] : b.shape[1]) as number;
  const { limit } = ctx;
  const aBig = bytesOf(a.shape) > limit;
  const bBig = bytesOf(b.shape) > limit;
  const outBig = 4 * M * N > limit;
  if (!aBig && !bBig && !outBig) {
    return ctx.original({
      inputs: { a, b },
      backend: ctx.gpu as never,
      attrs: { ...ctx.attrs, transposeA: ta, transposeB: tb },
    }) as Info;
  }
  if (aBig && !ta) return overM(ctx, a, b, ta, tb, M, K, N);
  if ((aBig && ta) || (bBig && !tb)) return overK(ctx, a, b, ta, tb, M, K, N);
  if (outBig) return overM(ctx, a, b, ta, tb, M, K, N);
  return overN(ctx, a, b, ta, M, K, N);
}

function overM(
  ctx: MatMulCtx,
  a: Info,
  b: Info,
  ta: boolean,
  tb: boolean,
  M: number,
  K: number,
  N: number,
): Info {
  const maxRows = Math.floor(ctx.limit / (4 * Math.max(K, N)));
  if (maxRows < 1 || M < 2) fail(ctx.limit, `[${M}×${K}]·[${K}×${N}] over rows`);
  const parts = rowRanges(M, maxRows).map(([s, e]) => {
    const block = ta ? columns(ctx, a, s, e) : copyRows(ctx.gpu, a, s, e);
    const out = matMul2d(ctx, block, b, ta, tb);
    dispose(ctx, block);
    return out;
  });
  return concatRows(ctx.gpu, parts, true);
}

function overN(ctx: MatMulCtx, a: Info, b: Info, ta: boolean, M: number, K: number, N: number): Info {
  const maxRows = Math.floor(ctx.limit / (4 * Math.max(K, M)));
  if (maxRows < 1) fail(ctx.limit, `[${M}×${K}]·[${K}×${N}] over columns`);
  const parts = rowRanges(N, maxRows).map(([s, e]) => {
    const block = copyRows(ctx.gpu, b, s, e); // b is [N, K] (transposed)
    const out = matMul2d(ctx, a, block, ta, true);
    dispose(ctx, block);
    return out;
  });
  const out = run("Concat", ctx.gpu, parts, { axis: 1 });
  dispose(ctx, ...parts);
  return out;
}

function overK(
  ctx: MatMulCtx,
  a: Info,
  b: Info,
  ta: boolean,
  tb: boolean,
  M: number,
  K: number,
  N: number,
): Info {
  const maxK = Math.floor(ctx.limit / (4 * Math.max(M, N)));
  if (maxK < 1) fail(ctx.limit, `[${M}×${K}]·[${K}×${N}] over the contracted axis`);
  let acc: Info | undefined;
  for (const [s, e] of rowRanges(K, maxK)) {
    const aBlock = ta ? copyRows(ctx.gpu, a, s, e) : columns(ctx, a, s, e);
    const bBlock = tb ? columns(ctx, b, s, e) : copyRows(ctx.gpu, b, s, e);
    const part = matMul2d(ctx, aBlock, bBlock, ta, tb);
    dispose(ctx, aBlock, bBlock);
    if (acc === undefined) {
      acc = part;
    } else {
      const sum = run("Add", ctx.gpu, { a: acc, b: part });
      dispose(ctx, acc, part);
      acc = sum;
    }
  }
  return acc as Info;
}

/** The BatchMatMul wrapper: stock kernel when everything fits, blocks otherwise. */
export function splitMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const limit = limitOf(gpu);
    const { a, b } = args.inputs as { a: Info; b: Info };
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const ta = Boolean(attrs.transposeA);
    const tb = Boolean(attrs.transposeB);
    const rows = (t: Info, tr: boolean) => t.shape[t.shape.length - (tr ? 1 : 2)] as number;
    const cols = (t: Info, tr: boolean) => t.shape[t.shape.length - (tr ? 2 : 1)] as number;
    const outBytes =
      4 * Math.max(sizeOf(a.shape.slice(0, -2)), sizeOf(b.shape.slice(0, -2))) * rows(a, ta) * cols(b, tb);
    if (bytesOf(a.shape) <= limit && bytesOf(b.shape) <= limit && outBytes <= limit) return original(args);
    if (sizeOf(a.shape.slice(0, -2)) !== 1 || sizeOf(b.shape.slice(0, -2)) !== 1) {
      const maxBytes = Math.max(bytesOf(a.shape), bytesOf(b.shape), outBytes);
      return unsplittable(gpu, maxBytes, `a batched matMul [${a.shape}]·[${b.shape}]`, () => original(args));
    }
    const a2 = view(a, a.shape.slice(-2));
    const b2 = view(b, b.shape.slice(-2));
    const ctx: MatMulCtx = { gpu, limit, attrs: args.attrs as Record<string, unknown>, original };
    const out = matMul2d(ctx, a2, b2, ta, tb);
    const batch = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
    return view(out, [...batch, ...out.shape]);
  };
}
