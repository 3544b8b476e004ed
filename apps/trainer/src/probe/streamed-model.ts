/**
 * A checkpoint opened for streamed analysis: config.json, tokenizer and the safetensors headers only — weights
 * stay in the files until a streamed pass reads them layer by layer (src/analysis/streamed). Used for models
 * whose in-heap analysis would not fit (memory admission picks the mode). `dir` must already be resolved.
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { JobShape } from "../analysis/streamed/memory-plan.ts";
import {
  analyzeStreamed,
  type StreamedProgress,
  type StreamedRunStats,
} from "../analysis/streamed/streamed-analysis.ts";
import { unembeddingName } from "../analysis/streamed/streamed-weights.ts";
import type { InternalPolicyAnalysis, LensMode } from "../analysis/types.ts";
import { BYTES_PER_ELEMENT } from "../checkpoint/dtypes.ts";
import { modelConfigFromHf } from "../checkpoint/hf-config.ts";
import { RUN_CONFIG_FILE } from "../checkpoint/load-checkpoint.ts";
import { CheckpointTensorReader } from "../checkpoint/tensor-reader.ts";
import { countParameters, type ModelConfig } from "../model/config.ts";
import { checkAborted, inputError, ProbeAbortedError, ProbeInputError } from "./input-error.ts";
import type { ProbeModelInfo } from "./model-source.ts";
import type { ProbeSample } from "./samples.ts";
import { loadCheckpointTokenizer, type ProbeTokenizer } from "./tokenizer.ts";

export interface StreamedProbeModel {
  config: ModelConfig;
  tokenizer?: ProbeTokenizer;
  info: ProbeModelInfo;
  reader: CheckpointTensorReader;
  /** Bytes per stored element of W_U (2 for BF16/F16, 4 for F32): sizes the memory estimate. */
  storedBytesPerElement: number;
}

async function readJsonIfPresent(file: string): Promise<unknown> {
  return existsSync(file) ? JSON.parse(await readFile(file, "utf8")) : undefined;
}

/** Opens `dir` (config, tokenizer, headers); any problem is a {@link ProbeInputError} naming it. Close `reader`. */
export async function openStreamedCheckpoint(dir: string): Promise<StreamedProbeModel> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ProbeInputError(`checkpoint directory not found: ${dir}`);
  let config: ModelConfig;
  let reader: CheckpointTensorReader;
  try {
    const configPath = path.join(dir, "config.json");
    if (!existsSync(configPath)) throw new Error("no config.json (expected a Hugging Face model directory)");
    config = modelConfigFromHf(JSON.parse(await readFile(configPath, "utf8")), configPath);
    reader = await CheckpointTensorReader.open(dir);
  } catch (e) {
    throw inputError(`checkpoint ${dir}`, e);
  }
  try {
    const tokenizer = await loadCheckpointTokenizer(
      dir,
      await readJsonIfPresent(path.join(dir, RUN_CONFIG_FILE)),
    );
    const info: ProbeModelInfo = {
      source: "checkpoint",
      path: path.resolve(dir),
      family: config.family,
      numLayers: config.numLayers,
      hiddenSize: config.hiddenSize,
      vocabSize: config.vocabSize,
      parameters: countParameters(config),
      tieWordEmbeddings: config.tieWordEmbeddings,
      tokenizer: tokenizer?.kind ?? "none",
    };
    const wu = reader.find(unembeddingName(config));
    if (wu === undefined) throw new Error(`tensor ${unembeddingName(config)} not found`);
    return {
      config,
      info,
      reader,
      storedBytesPerElement: BYTES_PER_ELEMENT[wu.dtype],
      ...(tokenizer === undefined ? {} : { tokenizer }),
    };
  } catch (e) {
    await reader.close();
    throw inputError(`checkpoint ${dir}`, e);
  }
}

/** The job shape memory admission needs, for these samples. */
export function streamedJobShape(
  m: Pick<StreamedProbeModel, "storedBytesPerElement">,
  samples: readonly ProbeSample[],
): JobShape {
  return {
    sampleLengths: samples.map((s) => s.tokens.length),
    storedBytesPerElement: m.storedBytesPerElement,
  };
}

export interface StreamedSamplesOptions {
  lens: LensMode;
  trueLastLayer: boolean;
  signal?: AbortSignal;
  onProgress?: (p: StreamedProgress) => void;
}

/** Per-position entropies and pooled means of probe samples, streamed. Leaves no tensors behind. */
export async function analyzeSamplesStreamed(
  model: Pick<StreamedProbeModel, "config" | "reader">,
  samples: readonly ProbeSample[],
  opts: StreamedSamplesOptions,
): Promise<InternalPolicyAnalysis & { stats: StreamedRunStats }> {
  checkAborted(opts.signal);
  try {
    return await analyzeStreamed(
      model.reader,
      model.config,
      samples.map((s) => s.tokens),
      {
        lens: opts.lens,
        trueLastLayer: opts.trueLastLayer,
        ranges: samples.map((s) => ({ start: s.range[0], end: s.range[1] })),
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
        ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
      },
    );
  } catch (e) {
    if (opts.signal?.aborted) throw new ProbeAbortedError("analysis aborted");
    throw e;
  }
}
