/**
 * Memory admission for analysis jobs: before anything is loaded, estimate the job's peak resident memory from
 * the model's shapes and stored dtype, the samples and the chunk sizes, and refuse a job that does not fit the
 * allowance (TRAINER_MEMORY_LIMIT_MB, default: available memory minus a margin) or the 4 GiB wasm heap, with a
 * message that names the numbers. Estimates are deliberately a little high (heap fragmentation factor).
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import type { ModelConfig } from "../../model/config.ts";
import { countParameters } from "../../model/config.ts";
import { lensSizes } from "./chunked-lens.ts";

const MiB = 2 ** 20;
/** Node, V8, tfjs and the wasm module before any tensor. */
export const PROCESS_BASE_BYTES = 400 * MiB;
/** wasm32 addresses 4 GiB; keep room for the runtime inside it. */
export const WASM_HEAP_LIMIT_BYTES = 3.75 * 2 ** 30;
/** Kept free for the OS and other processes when no explicit limit is set. */
export const DEFAULT_MARGIN_BYTES = 1024 * MiB;
/** The heap grows to its peak and fragments: estimates of heap terms are scaled by this. */
const HEAP_SLACK = 1.2;

export interface MemoryEstimate {
  mode: "streamed" | "in-heap";
  /** Peak resident bytes of the job (process included). */
  totalBytes: number;
  /** Of which inside the wasm heap (must stay under {@link WASM_HEAP_LIMIT_BYTES}). */
  heapBytes: number;
  /** Named terms (bytes), for the refusal message and the benchmark table. */
  terms: Record<string, number>;
}

export interface JobShape {
  /** Token rows of the analysed samples (lengths only matter). */
  sampleLengths: number[];
  /** Max equal-length samples per forward (default 16). */
  batchSize?: number;
  /** Bytes per stored weight element (2 for BF16/F16, 4 for F32). */
  storedBytesPerElement: number;
  lens?: { pendingBytes?: number; chunkBytes?: number; maxLogits?: number };
}

/** Per-layer tensor sizes of a config. */
function layerParams(c: ModelConfig): { total: number; largest: number } {
  const d = c.hiddenSize;
  const q = c.numHeads * c.headDim;
  const kv = c.numKvHeads * c.headDim;
  const total =
    2 * d * q +
    2 * d * kv +
    3 * d * c.intermediateSize +
    2 * d +
    (c.attentionBias ? q + 2 * kv : 0) +
    (c.qkNorm ? 2 * c.headDim : 0);
  return { total, largest: Math.max(d * c.intermediateSize, d * q) };
}

/** Equal-length groups of ≤ batchSize: (rows, length) per group. */
function groupShapes(lengths: number[], batchSize: number): { B: number; T: number }[] {
  const counts = new Map<number, number>();
  for (const T of lengths) counts.set(T, (counts.get(T) ?? 0) + 1);
  const out: { B: number; T: number }[] = [];
  for (const [T, n] of counts)
    for (let i = 0; i < n; i += batchSize) out.push({ B: Math.min(batchSize, n - i), T });
  return out;
}

/** Transient heap of one decoder layer on one group (projections, SwiGLU, scores, softmax, module records). */
function layerActivationBytes(c: ModelConfig, B: number, T: number): number {
  const N = B * T;
  const d = c.hiddenSize;
  const qkv = (c.numHeads + 2 * c.numKvHeads) * c.headDim;
  return 4 * (N * (8 * d + 2 * qkv + 3 * c.intermediateSize) + 3 * B * c.numHeads * T * T);
}

/** Peak of the streamed analysis (analysis/streamed): one layer in float32, queued states, one W_U chunk. */
export function estimateStreamed(c: ModelConfig, job: JobShape): MemoryEstimate {
  const d = c.hiddenSize;
  const groups = groupShapes(job.sampleLengths, Math.max(1, job.batchSize ?? 16));
  const tokens = job.sampleLengths.reduce((a, b) => a + b, 0);
  const { total, largest } = layerParams(c);
  const lens = lensSizes(d, c.vocabSize, job.lens);
  const largestState = Math.max(...groups.map((g) => g.B * g.T)) * d * 4;
  const chunkElems = lens.vocabChunk * d;
  const allStates = (5 * c.numLayers + 2) * tokens * d * 4;
  const queued = Math.min(allStates, lens.pendingBytes + largestState);
  const heap = {
    "layer weights (float32)": 4 * total,
    "residual streams": 4 * tokens * d,
    "layer activations": Math.max(...groups.map((g) => layerActivationBytes(c, g.B, g.T))),
    "queued lens states (+ their concatenation)": 2 * queued,
    "W_U chunk (float32)": 4 * chunkElems,
    logits: 4 * Math.min(lens.rowsPerBlock, Math.ceil(queued / (4 * d))) * lens.vocabChunk,
  };
  const host = {
    "layer bytes read (current + next)": 2 * total * job.storedBytesPerElement,
    "decoded tensor (host)": 4 * largest,
    "W_U chunk reads (host)": chunkElems * (2 * job.storedBytesPerElement + 4),
  };
  return finish("streamed", heap, host);
}

/** Peak of the in-heap analysis (whole model loaded as float32, every state of a batch kept). */
export function estimateInHeap(c: ModelConfig, job: JobShape): MemoryEstimate {
  const params = countParameters(c);
  const d = c.hiddenSize;
  const groups = groupShapes(job.sampleLengths, Math.max(1, job.batchSize ?? 16));
  const states = (5 * c.numLayers + 2) * Math.max(...groups.map((g) => g.B * g.T)) * d * 4;
  const heap = {
    "weights (float32)": 4 * params,
    "W_U transposed": 4 * c.vocabSize * d,
    "recorded states": states,
    "layer activations": Math.max(...groups.map((g) => layerActivationBytes(c, g.B, g.T))),
    logits: 4 * 2 ** 25,
  };
  // loadHfCheckpoint reads each shard whole and decodes every tensor on the host before uploading.
  const host = { "files read + decoded (host)": params * (job.storedBytesPerElement + 4) };
  return finish("in-heap", heap, host);
}

function finish(
  mode: MemoryEstimate["mode"],
  heap: Record<string, number>,
  host: Record<string, number>,
): MemoryEstimate {
  const heapBytes = HEAP_SLACK * Object.values(heap).reduce((a, b) => a + b, 0);
  const hostBytes = Object.values(host).reduce((a, b) => a + b, 0);
  return {
    mode,
    heapBytes,
    totalBytes: PROCESS_BASE_BYTES + heapBytes + hostBytes,
    terms: { process: PROCESS_BASE_BYTES, ...heap, ...host },
  };
}

/** MemAvailable from /proc/meminfo (Linux), else os.freemem(). */
export function availableMemoryBytes(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync("/proc/meminfo", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return os.freemem();
}

export interface Allowance {
  bytes: number;
  /** How it was set, for messages. */
  source: string;
}

/** TRAINER_MEMORY_LIMIT_MB when set, else available memory minus {@link DEFAULT_MARGIN_BYTES}. */
export function memoryAllowance(limitMb: number | undefined, available = availableMemoryBytes()): Allowance {
  if (limitMb !== undefined) return { bytes: limitMb * MiB, source: "TRAINER_MEMORY_LIMIT_MB" };
  return {
    bytes: Math.max(0, available - DEFAULT_MARGIN_BYTES),
    source: `available memory ${formatMiB(available)} minus a ${formatMiB(DEFAULT_MARGIN_BYTES)} margin`,
  };
}

export const formatMiB = (bytes: number) => `${Math.round(bytes / MiB).toLocaleString("en-US")} MiB`;

/** A job refused before it started. */
export class MemoryAdmissionError extends Error {
  constructor(
    message: string,
    readonly estimate: MemoryEstimate,
    readonly allowance: Allowance,
  ) {
    super(message);
    this.name = "MemoryAdmissionError";
  }
}

/** Throws {@link MemoryAdmissionError} naming the numbers unless the estimate fits the allowance and the heap. */
export function admit(estimate: MemoryEstimate, allowance: Allowance, what: string): void {
  const top = Object.entries(estimate.terms)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([k, v]) => `${k} ${formatMiB(v)}`)
    .join(", ");
  if (estimate.totalBytes > allowance.bytes) {
    throw new MemoryAdmissionError(
      `${what} refused: it needs about ${formatMiB(estimate.totalBytes)} (${estimate.mode}: ${top}), but this trainer allows ${formatMiB(allowance.bytes)} (${allowance.source})`,
      estimate,
      allowance,
    );
  }
  if (estimate.heapBytes > WASM_HEAP_LIMIT_BYTES) {
    throw new MemoryAdmissionError(
      `${what} refused: it needs about ${formatMiB(estimate.heapBytes)} of wasm heap (${estimate.mode}: ${top}), more than the ${formatMiB(WASM_HEAP_LIMIT_BYTES)} a wasm32 heap can hold`,
      estimate,
      allowance,
    );
  }
}

/** In-heap when it fits both limits (it is faster for small models), else streamed. */
export function chooseMode(c: ModelConfig, job: JobShape, allowance: Allowance): MemoryEstimate {
  const inHeap = estimateInHeap(c, job);
  if (inHeap.totalBytes <= allowance.bytes && inHeap.heapBytes <= WASM_HEAP_LIMIT_BYTES / 2) return inHeap;
  return estimateStreamed(c, job);
}
