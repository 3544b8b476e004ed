/**
 * An entropy-analysis job end to end (run kind "analysis"): load the model (preset, `train` checkpoint or
 * imported Hugging Face folder), build the probe samples (built-in task: sampled and graded; dataset: the rows'
 * responses, sampled where missing), analyse the internal policies and return the validated `AnalysisResult`.
 * Cancellation: `signal` is checked between stages and chunks ({@link ProbeAbortedError}).
 */
import type { AnalysisConfig, AnalysisResult } from "@bupo/shared";
import { disposeWeights } from "../model/weights.ts";
import { buildAnalysisResult } from "./analysis-result.ts";
import { analyzeSamples } from "./analyze-samples.ts";
import { datasetTaskSamples } from "./dataset-samples.ts";
import { checkAborted, ProbeInputError } from "./input-error.ts";
import { loadModelSource, type ProbeModel } from "./model-source.ts";
import { type ProbeSampleSet, withPromptFallback } from "./samples.ts";
import { builtinTaskSamples } from "./task-samples.ts";
import { loadTokenizerJson } from "./tokenizer.ts";

export interface EntropyAnalysisOptions {
  signal?: AbortSignal;
  /** Progress lines (model loaded, samples ready). */
  log?: (message: string) => void;
}

/** The probe samples of the job's task. */
async function taskSamples(
  cfg: AnalysisConfig,
  model: ProbeModel,
  signal?: AbortSignal,
): Promise<ProbeSampleSet> {
  const opts = { ...cfg, signal };
  const task = cfg.task;
  if (task.source === "builtin") return builtinTaskSamples(task, model, opts);
  // The model's own tokenizer first (its ids are the model's); else the dataset's tokenizerPath.
  const tok = model.tokenizer ?? (await loadTokenizerJson(task.tokenizerPath));
  if (!tok) {
    throw new ProbeInputError(
      `no tokenizer for dataset ${task.path}: the model has none and ${task.tokenizerPath} has no tokenizer.json`,
    );
  }
  return datasetTaskSamples(task, model, tok, opts);
}

/** Runs the analysis of `cfg`; disposes everything it creates. */
export async function runEntropyAnalysis(
  cfg: AnalysisConfig,
  opts: EntropyAnalysisOptions = {},
): Promise<AnalysisResult> {
  checkAborted(opts.signal);
  const model = await loadModelSource(cfg.model, cfg.seed);
  try {
    const i = model.info;
    opts.log?.(
      `analysing ${i.family} L${i.numLayers} d${i.hiddenSize} V${i.vocabSize} (${i.source === "preset" ? `preset ${i.preset}` : i.path})`,
    );
    checkAborted(opts.signal);
    const set = withPromptFallback(await taskSamples(cfg, model, opts.signal));
    const tokens = set.samples.reduce((n, s) => n + s.tokens.length, 0);
    opts.log?.(
      `probing ${set.samples.length} sample(s), ${tokens} tokens, ${set.positions} positions pooled`,
    );
    const analysis = await analyzeSamples(model, set.samples, { ...cfg, signal: opts.signal });
    return buildAnalysisResult(model.info, analysis, set);
  } finally {
    disposeWeights(model.weights);
  }
}
