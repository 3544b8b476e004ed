/**
 * The internal-policy probe (bupo-spec §2–§3) behind the `analyze` CLI command and the service's analysis jobs:
 * model sources (preset / checkpoint + tokenizer), probe samples (built-in task, dataset rows), chunked
 * analysis with cancellation, and the `AnalysisResult` record.
 */
export { buildAnalysisResult } from "./analysis-result.ts";
export { type AnalyzeSamplesOptions, analyzeSamples } from "./analyze-samples.ts";
export {
  type DatasetProblem,
  type DatasetSampleOptions,
  type DatasetSource,
  datasetSamples,
  datasetTaskSamples,
  encodeConversation,
  readDatasetProblems,
} from "./dataset-samples.ts";
export { checkAborted, inputError, ProbeAbortedError, ProbeInputError } from "./input-error.ts";
export {
  loadCheckpointModel,
  loadModelSource,
  type PresetSpec,
  type ProbeModel,
  type ProbeModelInfo,
  presetModel,
} from "./model-source.ts";
export { type EntropyAnalysisOptions, runEntropyAnalysis } from "./run-analysis.ts";
export {
  encodeSamplingPrompt,
  type ProbeDrawOptions,
  type ResponseSamplingOptions,
  type SampledResponse,
  sampleResponses,
} from "./sample-responses.ts";
export {
  checkTokenIds,
  joinNotes,
  meanOf,
  type PositionKind,
  type ProbeSample,
  type ProbeSampleSet,
  pooledCount,
  withPromptFallback,
} from "./samples.ts";
export { builtinTaskSamples } from "./task-samples.ts";
export {
  loadCheckpointTokenizer,
  loadTokenizerJson,
  type ProbePromptOptions,
  type ProbeTokenizer,
  printable,
  probeTokenizer,
  trainerCharTokenizer,
} from "./tokenizer.ts";
