/**
 * GatherV2 on axis 0 from a table above the storage binding limit (an embedding of Qwen3-8B's size on NVIDIA,
 * anything above 128 MiB on lavapipe): each row block of the table gathers the ids that fall inside it (ids
 * clamped into the block, rows outside masked to 0) and the blocks' results are added. Forward only: the
 * gradient (UnsortedSegmentSum into a table-sized result) is not split, so training such a table fails with
 * Dawn's validation error (gpu-errors.ts) rather than silently.
 */
import type * as tf from "@tensorflow/tfjs";
import { bytesOf, copyRows, rowBytesOf, rowRanges, type WebgpuInternals } from "./gpu-rows.ts";
import { limitOf, run, unsplittable, view } from "./split-kernels.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type Info = tf.TensorInfo;

export function splitGather(original: KernelFunc): KernelFunc {
  return (args) => {
    const gpu = args.backend as unknown as WebgpuInternals;
    const limit = limitOf(gpu);
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    if (bytesOf(x.shape) <= limit) return original(args);
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    const outShape = [...indices.shape, ...x.shape.slice(1)];
    const maxRows = Math.floor(limit / rowBytesOf(x.shape));
    if (axis !== 0 || batchDims !== 0 || maxRows < 1 || bytesOf(outShape) > limit) {
      return unsplittable(gpu, bytesOf(x.shape), `a gather from [${x.shape}]`, () => original(args));
    }
    const scalar = (v: number) => gpu.makeTensorInfo([], "int32", Int32Array.of(v));
    const free = (...ts: Info[]) => {
      for (const t of ts) gpu.disposeData(t.dataId);
    };
    const zero = scalar(0);
    let acc: Info | undefined;
    for (const [s, e] of rowRanges(x.shape[0] as number, maxRows)) {
      const block = copyRows(gpu, x, s, e);
      const start = scalar(s);
      const last = scalar(e - s - 1);
      const local = run("Sub", gpu, { a: indices, b: start });
      const low = run("Maximum", gpu, { a: local, b: zero });
      const clamped = run("Minimum", gpu, { a: low, b: last });
      const inside = run("Equal", gpu, { a: local, b: clamped });
      const mask = run("Cast", gpu, { x: inside }, { dtype: x.dtype });
      const rows = original({ ...args, inputs: { x: block, indices: clamped } }) as Info;
      const maskView = view(mask, [...indices.shape, ...x.shape.slice(1).map(() => 1)]);
      const part = run("Multiply", gpu, { a: rows, b: maskView });
      free(block, start, last, local, low, clamped, inside, mask, rows);
      if (acc === undefined) {
        acc = part;
      } else {
        const sum = run("Add", gpu, { a: acc, b: part });
        free(acc, part);
        acc = sum;
      }
    }
    free(zero);
    return acc as Info;
  };
}
