/**
 * Shared shapes of the training engine. Host-side data (token ids, rewards) are plain arrays; tensors only live
 * inside a step. Dimension names: B responses, P prompt tokens, R response tokens, T = P + R, V vocab.
 */
import type { ModelConfig } from "../model/config.ts";
import type { forward } from "../model/forward.ts";
import type { generate } from "../model/generate.ts";
import type { ModelWeights } from "../model/weights.ts";
import type { ChatMessage, PromptOptions, TextTokenizer as TextTokenizerFull } from "../tokenizer/types.ts";

/**
 * What the engine needs from a tokenizer: a structural subset of `tokenizer/` `TextTokenizer`, so its
 * `CharTokenizer` (built-in tasks) and `HfTokenizer` (datasets, chat template) plug in unchanged.
 */
export type TrainTokenizer = Pick<
  TextTokenizerFull,
  "vocabSize" | "padId" | "eosId" | "stopIds" | "encode" | "decode" | "encodePrompt" | "encodeResponse"
>;
/** Alias kept for existing imports. */
export type TextTokenizer = TrainTokenizer;

/** One problem: prompt text or chat messages, reference answer, optional warm-start target. */
export interface TrainingProblem {
  prompt: string | ChatMessage[];
  groundTruth: string;
  /** Full target response for the warm start (`\boxed{answer}`); absent for datasets. */
  target?: string;
  /** Reward routing (dataset `data_source`); built-in tasks grade by task. */
  dataSource?: string;
}

/** Problems and grading for one run; every stream is a pure function of its index, so resume is exact. */
export interface TrainingTask {
  /** Data source / task id (`EvalMetrics.dataSource`). */
  name: string;
  /** Prompts of RL step `step` (1-based). Same arguments ⇒ same problems. */
  trainBatch(step: number, count: number): TrainingProblem[];
  /** Problems with targets for warm-start step `step` (1-based); absent when the task has no targets. */
  sftBatch?(step: number, count: number): TrainingProblem[];
  /** Fixed held-out problems for evaluation (never returned by the samplers above). */
  heldOut: readonly TrainingProblem[];
  /** Reward of one decoded response (special tokens skipped): 1 correct, 0 otherwise. */
  grade(response: string, problem: TrainingProblem): number;
  /** Options for `tokenizer.encodePrompt` (e.g. Qwen3 `enableThinking`). */
  promptOptions?: PromptOptions;
}

/** The model functions the engine calls; injectable so tests can instrument them. */
export interface ModelFns {
  forward: typeof forward;
  generate: typeof generate;
}

/** A model in memory: its config and variables (the caller of `loadModel`/`initWeights` owns them). */
export interface LoadedModel {
  config: ModelConfig;
  weights: ModelWeights;
}

/** One prompt's group of sampled responses and rewards. Host arrays only. */
export interface RolloutSample {
  /** Index of the prompt within the step (GRPO group id). */
  group: number;
  promptIds: number[];
  /** Sampled ids; ends with EOS when one was sampled (EOS counts as a response token). */
  responseIds: number[];
  responseText: string;
  groundTruth: string;
  reward: number;
  /** True when the response was cut at `maxResponseTokens` without EOS. */
  truncated: boolean;
}

export interface Rollout {
  samples: RolloutSample[];
  /** Number of prompts (groups); samples are ordered group by group. */
  numGroups: number;
}
