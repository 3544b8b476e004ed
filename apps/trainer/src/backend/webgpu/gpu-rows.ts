/**
 * Row ranges of tensors on the webgpu backend by GPU buffer copies. A buffer may be up to maxBufferSize (4 GiB on
 * lavapipe) but a kernel may bind at most maxStorageBufferBindingSize of it (128 MiB there, 2 GiB − 4 on NVIDIA
 * in Dawn's source); copies are not bindings, so axis-0 ranges (contiguous in row-major order) can be cut out of,
 * and put together into, tensors of any size.
 */
import type * as tf from "@tensorflow/tfjs";

/** The parts of tfjs-backend-webgpu's WebGPUBackend used here (public in its JS, not all in its d.ts). */
export interface WebgpuInternals {
  device: GPUDevice;
  commandEncoder: GPUCommandEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  tensorMap: { get(dataId: object): { resource: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.TypedArray): tf.TensorInfo;
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  disposeData(dataId: object): boolean;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
/** Bytes of a tensor on webgpu: 4 per element for float32, int32 and bool alike. */
export const bytesOf = (shape: readonly number[]): number => 4 * sizeOf(shape);
/** Bytes of one axis-0 row. */
export const rowBytesOf = (shape: readonly number[]): number => bytesOf(shape.slice(1));

let copies = 0;

/** Number of row copies made so far: tests check that a split really happened. */
export const rowCopies = (): number => copies;

function bufferOf(backend: WebgpuInternals, t: tf.TensorInfo): GPUBuffer {
  backend.uploadToGPU(t.dataId);
  const resource = backend.tensorMap.get(t.dataId)?.resource;
  if (resource === undefined || resource === null) throw new Error("webgpu split: tensor has no GPU buffer");
  return resource as GPUBuffer;
}

function copy(
  backend: WebgpuInternals,
  src: tf.TensorInfo,
  srcOffset: number,
  dst: tf.TensorInfo,
  dstOffset: number,
  bytes: number,
): void {
  if (bytes === 0) return;
  copies += 1;
  const from = bufferOf(backend, src);
  const to = bufferOf(backend, dst);
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  (backend.commandEncoder as GPUCommandEncoder).copyBufferToBuffer(from, srcOffset, to, dstOffset, bytes);
  // Keep both alive until the command buffer is submitted (as runWebGPUProgram does).
  backend.commandQueueOwnedIds.add(src.dataId);
  backend.commandQueueOwnedIds.add(dst.dataId);
}

/** Rows [start, end) of `x` along axis 0, as a new tensor the caller disposes. */
export function copyRows(
  backend: WebgpuInternals,
  x: tf.TensorInfo,
  start: number,
  end: number,
): tf.TensorInfo {
  const shape = [end - start, ...x.shape.slice(1)];
  const out = backend.makeTensorInfo(shape, x.dtype);
  copy(backend, x, start * rowBytesOf(x.shape), out, 0, bytesOf(shape));
  return out;
}

/** Concatenation along axis 0 by copies; disposes the parts when `consume` is set. */
export function concatRows(
  backend: WebgpuInternals,
  parts: tf.TensorInfo[],
  consume: boolean,
): tf.TensorInfo {
  const first = parts[0];
  if (first === undefined) throw new Error("webgpu split: nothing to concatenate");
  const rows = parts.reduce((n, p) => n + (p.shape[0] ?? 1), 0);
  const out = backend.makeTensorInfo([rows, ...first.shape.slice(1)], first.dtype);
  let offset = 0;
  for (const p of parts) {
    const bytes = bytesOf(p.shape);
    copy(backend, p, 0, out, offset, bytes);
    offset += bytes;
  }
  if (consume) for (const p of parts) backend.disposeData(p.dataId);
  return out;
}

/** [start, end) row ranges of at most `maxRows` rows covering `rows`. */
export function rowRanges(rows: number, maxRows: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = 0; s < rows; s += maxRows) out.push([s, Math.min(rows, s + maxRows)]);
  return out;
}
