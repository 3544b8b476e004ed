/**
 * Public API of the training engine (BuPO / GRPO on the TF.js model core; bupo-spec §4–§5, §9 C/D).
 *
 * Typical use (the backend is initialised by the caller):
 * ```ts
 * await initBackend();
 * const summary = await runTraining(config, { outDir, signal }, {
 *   step: ({ metrics }) => …, eval: (m) => …, phase: (p) => …, checkpoint: (c) => …,
 * });
 * ```
 * Building blocks (for benches, analysis and tests): `runRlStep` (one step), `runSftStep` (one warm-start step),
 * `policyHeadForStep` (THE head decision), `AdamW`, `evaluatePolicy`, `probeLayerEntropies`, checkpoints.
 */
export { AdamW, type AdamWOptions, type AdamWState } from "./adamw.ts";
export {
  buildMicroBatches,
  disposeMicroBatchTensors,
  type MicroBatch,
  type MicroBatchTensors,
  type SequencePair,
  uploadMicroBatch,
} from "./batching.ts";
export {
  charTokenizerFromJson,
  type TokenizerJson,
  tokenizerFromJson,
  tokenizerToJson,
} from "./char-tokenizer.ts";
export {
  CHECKPOINT_FORMAT,
  loadModelDir,
  loadTrainerState,
  type RngState,
  saveCheckpoint,
  type TrainerState,
} from "./checkpoint-io.ts";
export { type EntropyProbeOptions, pickProbeSamples, probeLayerEntropies } from "./entropy-probe.ts";
export { type EvaluateOptions, evaluatePolicy } from "./evaluate.ts";
export {
  type TrainerEventMap,
  type TrainerEventName,
  TrainerEvents,
  type TrainerListener,
  type TrainerStatus,
} from "./events.ts";
export {
  clipAndStep,
  type GradMap,
  globalGradNorm,
  lossAndGrads,
  type OptimizerStepResult,
} from "./gradients.ts";
export { MetricsJsonlWriter, type MetricsRecord } from "./metrics-writer.ts";
export { headForwardOptions, type PolicyHead, phaseOf, policyHeadForStep } from "./policy-head.ts";
export {
  computeOldLogProbs,
  disposePrepared,
  type LogProbTrace,
  type OldLogProbResult,
  type UpdateContext,
  type UpdateResult,
  updateOnMiniBatch,
} from "./policy-update.ts";
export { type ResponseLogProbs, responseLogProbs } from "./response-log-probs.ts";
export { miniBatchIndices, type RlStepContext, type RlStepResult, runRlStep } from "./rl-step.ts";
export {
  collectRollout,
  decodeResponse,
  encodePrompt,
  type SamplingOptions,
  sampleResponses,
} from "./rollout.ts";
export {
  checkModelForRun,
  defaultTokenizer,
  initialModel,
  presetModelConfig,
  taskFromConfig,
  tokenizerFromConfig,
} from "./run-setup.ts";
export { runSftStep, type SftContext, type SftStepResult, sftPairs } from "./sft.ts";
export { buildStepMetrics, type StepMetricsInput, type StepTimings } from "./step-metrics.ts";
export { builtinTrainingTask, datasetTrainingTask } from "./task-source.ts";
export {
  runTraining,
  Trainer,
  type TrainerDeps,
  type TrainerListeners,
  type TrainingSummary,
} from "./trainer.ts";
export type {
  LoadedModel,
  ModelFns,
  Rollout,
  RolloutSample,
  TextTokenizer,
  TrainingProblem,
  TrainingTask,
  TrainTokenizer,
} from "./types.ts";
