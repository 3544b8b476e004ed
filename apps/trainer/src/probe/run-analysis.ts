/**
 * An entropy-analysis job end to end (run kind "analysis"): load the model (preset, `train` checkpoint or
 * imported Hugging Face folder), build the probe samples (built-in task: sampled and graded; dataset: the rows'
 * responses, sampled where missing), analyse the internal policies and return the validated `AnalysisResult`.
 * Cancellation: `signal` is checked between stages and chunks ({@link ProbeAbortedError}).
 */
import type { AnalysisConfig, AnalysisResult } from "@bupo/shared";
import { modelSourceText } from "@bupo/shared/model-config";
import { NO_FILE_ROOTS } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import { disposeWeights } from "../model/weights.ts";
import { buildAnalysisResult } from "./analysis-result.ts";
import { analyzeSamples } from "./analyze-samples.ts";
import { datasetTaskSamples } from "./dataset-samples.ts";
import { checkAborted } from "./input-error.ts";
import { loadModelSource, type ProbeModel } from "./model-source.ts";
import { type ProbeSampleSet, withPromptFallback } from "./samples.ts";
import { builtinTaskSamples } from "./task-samples.ts";
import { loadTokenizerJson } from "./tokenizer.ts";

export interface EntropyAnalysisOptions {
  signal?: AbortSignal;
  /** Progress lines (model loaded, samples ready). */
  log?: (message: string) => void;
  /** Opens the model folder, dataset and tokenizer the config names. Default: none may be opened. */
  files?: RunFiles;
}

/** The probe samples of the job's task. */
async function taskSamples(
  cfg: AnalysisConfig,
  model: ProbeModel,
  files: RunFiles,
  signal?: AbortSignal,
): Promise<ProbeSampleSet> {
  const opts = { ...cfg, signal };
  const task = cfg.task;
  if (task.source === "builtin") return builtinTaskSamples(task, model, opts);
  // The model's own tokenizer first (its ids are the model's); else the dataset's tokenizer folder.
  const tok =
    model.tokenizer ??
    (await files.load("tokenizer", task.tokenizer, async (dir) => {
      const found = await loadTokenizerJson(dir);
      if (!found) throw new Error(`${dir} has no tokenizer.json`);
      return found;
    }));
  return datasetTaskSamples(task, model, tok, opts, files);
}

/** Runs the analysis of `cfg`; disposes everything it creates. */
export async function runEntropyAnalysis(
  cfg: AnalysisConfig,
  opts: EntropyAnalysisOptions = {},
): Promise<AnalysisResult> {
  checkAborted(opts.signal);
  const files = opts.files ?? new RunFiles(NO_FILE_ROOTS);
  const model = await loadModelSource(cfg.model, cfg.seed, files);
  try {
    const i = model.info;
    opts.log?.(
      `analysing ${i.family} L${i.numLayers} d${i.hiddenSize} V${i.vocabSize} (${modelSourceText(cfg.model)})`,
    );
    checkAborted(opts.signal);
    const set = withPromptFallback(await taskSamples(cfg, model, files, opts.signal));
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
