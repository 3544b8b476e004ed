/**
 * Responses for probing, sampled from the model's FULL policy (model/ `generate`, bupo-spec §3.1: temperature
 * 1, top-p 1 in the paper) in chunks of rows, with a cancellation check between chunks. Seeded: the same seed,
 * weights and prompts give the same responses on one backend.
 */
import { generateStreamed } from "../analysis/streamed/streamed-generate.ts";
import type { CheckpointTensorReader } from "../checkpoint/tensor-reader.ts";
import { generate } from "../model/generate.ts";
import type { ModelWeights } from "../model/weights.ts";
import { deriveSeed } from "../tasks/rng.ts";
import type { ChatMessage } from "../tokenizer/index.ts";
import { checkAborted, inputError } from "./input-error.ts";
import type { ProbeModel } from "./model-source.ts";
import { checkTokenIds } from "./samples.ts";
import type { ProbePromptOptions, ProbeTokenizer } from "./tokenizer.ts";

/** A model responses can be sampled from: weights in memory, or a checkpoint streamed layer by layer. */
export type SamplingModel = Pick<ProbeModel, "config"> &
  ({ weights: ModelWeights } | { reader: CheckpointTensorReader });

export interface ResponseSamplingOptions {
  temperature: number;
  maxResponseTokens: number;
  seed: number;
  signal?: AbortSignal;
  /** Rows per `generate` call (default 16); chunk c samples with `deriveSeed(seed, "chunk/c")`. */
  chunkRows?: number;
}

/** How a task's probe samples are drawn: the first `sampleSize` problems / rows, responses sampled as above. */
export interface ProbeDrawOptions extends Omit<ResponseSamplingOptions, "chunkRows"> {
  sampleSize: number;
}

export interface SampledResponse {
  /** Sampled ids; ends with the stop id when one was sampled. */
  ids: number[];
  /** Decoded with special tokens skipped. */
  text: string;
}

/** Prompt ids for sampling; a prompt the tokenizer cannot encode or the model cannot embed is bad input. */
export function encodeSamplingPrompt(
  model: Pick<ProbeModel, "config">,
  tokenizer: ProbeTokenizer,
  prompt: string | readonly ChatMessage[],
  where: string,
  opts: ProbePromptOptions = {},
): number[] {
  let ids: number[];
  try {
    ids = tokenizer.encodePrompt(prompt, opts);
  } catch (e) {
    throw inputError(where, e);
  }
  if (ids.length === 0) throw inputError(where, "encodes to zero tokens");
  checkTokenIds(ids, model.config.vocabSize, where);
  return ids;
}

/** One response per prompt row (each row non-empty). Leaves no tensors behind. */
export async function sampleResponses(
  model: SamplingModel,
  tokenizer: ProbeTokenizer,
  prompts: readonly number[][],
  opts: ResponseSamplingOptions,
): Promise<SampledResponse[]> {
  const chunkRows = Math.max(1, opts.chunkRows ?? 16);
  const out: SampledResponse[] = [];
  for (let c = 0; c * chunkRows < prompts.length; c++) {
    checkAborted(opts.signal);
    const rows = prompts.slice(c * chunkRows, (c + 1) * chunkRows).map((p) => [...p]);
    const gen = {
      maxNewTokens: opts.maxResponseTokens,
      temperature: opts.temperature,
      seed: deriveSeed(opts.seed, `chunk/${c}`),
      stopIds: [...tokenizer.stopIds],
      padId: tokenizer.padId,
    };
    const g =
      "reader" in model
        ? await generateStreamed(model.reader, model.config, rows, {
            ...gen,
            ...(opts.signal === undefined ? {} : { signal: opts.signal }),
          })
        : await generate(model.weights, model.config, rows, gen);
    for (const ids of g.tokens) out.push({ ids, text: tokenizer.decode(ids) });
  }
  return out;
}
