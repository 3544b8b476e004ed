/**
 * Whether a model fits this trainer, for the library: analysis uses the memory admission of analysis jobs
 * (analysis/streamed/memory-plan.ts: in-heap when it fits, else streamed one layer at a time) on a typical job
 * of 10 samples × 512 tokens (the paper's plot analyses the first 10 MATH-500 problems). Training keeps the
 * whole model in the tensor heap as float32 with its gradients and AdamW's two moments: 16 bytes per parameter
 * (activations come on top and depend on the batch, so a "fits" here is necessary, not sufficient); on the
 * wasm backend that must stay under the 4 GiB wasm heap, and everywhere under the trainer's memory allowance.
 */
import type { ModelFit } from "@bupo/shared/model-library";
import {
  type Allowance,
  chooseMode,
  PROCESS_BASE_BYTES,
  WASM_HEAP_LIMIT_BYTES,
} from "../analysis/streamed/memory-plan.ts";
import { countParameters, type ModelConfig } from "../model/config.ts";

/** Typical analysis job of the library's estimate. */
const TYPICAL_SAMPLES = 10;
const TYPICAL_TOKENS = 512;
/** float32 weights + gradients + AdamW m and v. */
const TRAINING_BYTES_PER_PARAMETER = 16;

export interface FitLimits {
  allowance: Allowance;
  /** Tensor memory of the backend: the wasm heap limit, or a GPU's memory when known; undefined = no cap. */
  tensorMemoryBytes?: number;
}

/** The analysis and training estimates of `config` against `limits`. */
export function estimateFit(config: ModelConfig, storedBytesPerElement: number, limits: FitLimits): ModelFit {
  const analysis = chooseMode(
    config,
    { sampleLengths: Array.from({ length: TYPICAL_SAMPLES }, () => TYPICAL_TOKENS), storedBytesPerElement },
    limits.allowance,
  );
  const trainingHeap = TRAINING_BYTES_PER_PARAMETER * countParameters(config);
  const trainingBytes = PROCESS_BASE_BYTES + trainingHeap;
  const allowed = limits.allowance.bytes;
  const heapCap = limits.tensorMemoryBytes ?? Number.POSITIVE_INFINITY;
  return {
    analysis: analysis.totalBytes <= allowed && analysis.heapBytes <= WASM_HEAP_LIMIT_BYTES,
    training: trainingBytes <= allowed && trainingHeap <= heapCap,
    analysisBytes: Math.round(analysis.totalBytes),
    trainingBytes,
    allowedBytes: allowed,
  };
}

/** Tensor memory of a backend: wasm addresses 4 GiB; a GPU's memory when the adapter reports it. */
export function tensorMemoryOf(backend: string, gpuMemoryBytes?: number): number | undefined {
  if (backend === "wasm" || backend === "cpu") return WASM_HEAP_LIMIT_BYTES;
  return gpuMemoryBytes;
}
