/**
 * Entropies of W_U-unembedded states with W_U read from the checkpoint in vocabulary chunks. States queue up
 * (each [N, d] float32 in the heap) until `pendingBytes` is reached; a flush then reads W_U once, chunk by chunk
 * ([Vc, d] float32, decoded from the stored dtype; the next chunk's read overlaps the current chunk's products),
 * multiplies every queued state by it in blocks of rows and merges each block's (logsumexp, entropy) into an
 * online log-sum-exp ({@link OnlineEntropy}). So neither [N, V] logits nor a float32 W_U ever exist; at most
 * `rowsPerBlock × Vc` logits do. Larger `pendingBytes` = fewer passes over W_U.
 */
import * as tf from "@tensorflow/tfjs";
import { BYTES_PER_ELEMENT, decodeToFloat32 } from "../../checkpoint/dtypes.ts";
import type { CheckpointTensorReader } from "../../checkpoint/tensor-reader.ts";
import { logitStats } from "../../tensor/fused-ops.ts";
import { OnlineEntropy } from "./online-entropy.ts";

export interface ChunkedLensOptions {
  /** Bytes of queued states that trigger a flush (default 512 MiB). */
  pendingBytes?: number;
  /** Bytes of one float32 W_U chunk (default 64 MiB). */
  chunkBytes?: number;
  /** Logits alive per product (default 16 Mi = 64 MiB). */
  maxLogits?: number;
  /** Checked between chunks; an aborted signal throws its reason. */
  signal?: AbortSignal;
  /** After each (chunk, state) product: FLOPs of that product. */
  onWork?: (flops: number) => void;
}

export const DEFAULT_LENS_PENDING_BYTES = 512 * 2 ** 20;
export const DEFAULT_LENS_CHUNK_BYTES = 64 * 2 ** 20;
export const DEFAULT_LENS_MAX_LOGITS = 16 * 2 ** 20;

/** The sizes a lens will use for a model of width d and vocabulary V (also used by memory estimates). */
export function lensSizes(d: number, V: number, opts: ChunkedLensOptions = {}) {
  const vocabChunk = Math.max(
    1,
    Math.min(V, Math.floor((opts.chunkBytes ?? DEFAULT_LENS_CHUNK_BYTES) / (4 * d))),
  );
  const rowsPerBlock = Math.max(1, Math.floor((opts.maxLogits ?? DEFAULT_LENS_MAX_LOGITS) / vocabChunk));
  return { vocabChunk, rowsPerBlock, pendingBytes: opts.pendingBytes ?? DEFAULT_LENS_PENDING_BYTES };
}

interface Pending {
  key: string;
  x: tf.Tensor2D;
}

export class ChunkedLens {
  /** Entropies per key once flushed. */
  readonly results = new Map<string, Float32Array>();
  /** Passes over W_U, and time spent waiting for its reads (not overlapped with compute). */
  readonly stats = { passes: 0, readWaitMs: 0 };
  private pending: Pending[] = [];
  private pendingSize = 0;
  private readonly sizes: ReturnType<typeof lensSizes>;
  private readonly V: number;
  private readonly d: number;

  constructor(
    private readonly reader: CheckpointTensorReader,
    private readonly wuName: string,
    private readonly opts: ChunkedLensOptions = {},
  ) {
    const [V, d] = reader.get(wuName).shape as [number, number];
    this.V = V;
    this.d = d;
    this.sizes = lensSizes(d, V, opts);
  }

  /** Queues a state [N, d] (the lens owns it from now on) and flushes when the queue is full. */
  async add(key: string, x: tf.Tensor2D): Promise<void> {
    this.pending.push({ key, x });
    this.pendingSize += x.size * 4;
    if (this.pendingSize >= this.sizes.pendingBytes) await this.flush();
  }

  /** Unembeds every queued state against all of W_U; results land in {@link results}. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingSize = 0;
    try {
      await this.unembed(batch);
    } finally {
      tf.dispose(batch.map((p) => p.x));
    }
  }

  private async unembed(batch: Pending[]): Promise<void> {
    const { vocabChunk, rowsPerBlock } = this.sizes;
    const stored = this.reader.get(this.wuName);
    const rowBytes = this.d * BYTES_PER_ELEMENT[stored.dtype];
    const raw = [new Uint8Array(vocabChunk * rowBytes), new Uint8Array(vocabChunk * rowBytes)];
    const decoded = new Float32Array(vocabChunk * this.d);
    // One tall matrix of every queued row: each W_U chunk is then multiplied by blocks of many rows (a
    // state of a few tokens alone would make the product memory-bound).
    const x =
      batch.length === 1 ? (batch[0] as Pending).x : (tf.concat(batch.map((p) => p.x)) as tf.Tensor2D);
    const N = x.shape[0];
    const acc = new OnlineEntropy(N);
    const read = (v0: number, slot: number) =>
      this.reader.readRows(this.wuName, v0, Math.min(vocabChunk, this.V - v0), raw[slot]);
    let next: Promise<Uint8Array> | undefined = read(0, 0);
    try {
      for (let v0 = 0, slot = 0; v0 < this.V; v0 += vocabChunk, slot ^= 1) {
        const waitStart = performance.now();
        const bytes: Uint8Array = await (next as Promise<Uint8Array>);
        this.stats.readWaitMs += performance.now() - waitStart;
        next = v0 + vocabChunk < this.V ? read(v0 + vocabChunk, slot ^ 1) : undefined;
        this.opts.signal?.throwIfAborted();
        const n = bytes.byteLength / rowBytes;
        const w = tf.tensor2d(decodeToFloat32(bytes, stored.dtype, decoded).subarray(0, n * this.d), [
          n,
          this.d,
        ]);
        try {
          for (let r0 = 0; r0 < N; r0 += rowsPerBlock) {
            const rows = Math.min(rowsPerBlock, N - r0);
            const s = tf.tidy(() => {
              const xs = rows === N ? x : tf.slice(x, [r0, 0], [rows, this.d]);
              return logitStats(tf.matMul(xs, w, false, true)); // [rows, 2]
            });
            const values = s.dataSync();
            s.dispose();
            acc.add(r0, values);
            this.opts.onWork?.(2 * rows * n * this.d);
          }
        } finally {
          w.dispose();
        }
      }
    } finally {
      next?.catch(() => undefined); // a read still in flight after an abort
      if (x !== batch[0]?.x) x.dispose();
    }
    this.stats.passes++;
    const h = acc.entropies();
    let r0 = 0;
    for (const p of batch) {
      const rows = p.x.shape[0];
      this.results.set(p.key, h.slice(r0, r0 + rows));
      r0 += rows;
    }
  }

  /** Disposes queued states (after an error or abort). */
  dispose(): void {
    tf.dispose(this.pending.map((p) => p.x));
    this.pending = [];
    this.pendingSize = 0;
  }
}
