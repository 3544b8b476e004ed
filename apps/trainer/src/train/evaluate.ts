/**
 * Evaluation of the FULL policy π on held-out prompts (spec §4.4: validation never uses π_k): k samples per
 * prompt at the rollout temperature / top-p, sampled and graded as a rollout (`collectRollout`, group = prompt);
 * mean@k (paper Avg@K, verl mean@N) and pass@k.
 */
import type { EvalMetrics } from "@bupo/shared";
import { computeAtK } from "../reward/eval-metrics.ts";
import type { PromptOptions } from "../tokenizer/types.ts";
import { collectRollout, type SamplingOptions } from "./rollout.ts";
import type { LoadedModel, ModelFns, TrainingProblem, TrainTokenizer } from "./types.ts";

export interface EvaluateOptions extends SamplingOptions {
  step: number;
  dataSource: string;
  /** Samples per prompt. */
  k: number;
  seed: number;
  /** Rows per `generate` call (bounds KV-cache memory). Default 64. */
  chunkRows?: number;
  promptOptions?: PromptOptions;
}

export async function evaluatePolicy(
  fns: Pick<ModelFns, "generate">,
  model: LoadedModel,
  tokenizer: TrainTokenizer,
  problems: readonly TrainingProblem[],
  grade: (response: string, problem: TrainingProblem) => number,
  opts: EvaluateOptions,
): Promise<EvalMetrics> {
  const { samples } = await collectRollout(fns, model, tokenizer, problems, grade, {
    ...opts,
    groupSize: opts.k,
    chunkRows: opts.chunkRows ?? 64,
  });
  const rewards = problems.map((_, i) => samples.slice(i * opts.k, (i + 1) * opts.k).map((s) => s.reward));
  const atK = computeAtK(rewards);
  const lengths = samples.map((s) => s.responseIds.length);
  return {
    step: opts.step,
    dataSource: opts.dataSource,
    k: opts.k,
    numPrompts: problems.length,
    "mean@k": atK["mean@k"],
    "pass@k": atK["pass@k"],
    "std@k": atK["std@k"],
    "response_length/mean": lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 0,
  };
}
