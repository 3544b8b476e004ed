/**
 * An entropy-analysis job end to end (run kind "analysis"): load the model (preset, `train` checkpoint or
 * imported Hugging Face folder), build the probe samples (built-in task: sampled and graded; dataset: the rows'
 * responses, sampled where missing), analyse the internal policies and return the validated `AnalysisResult`.
 * Cancellation: `signal` is checked between stages and chunks ({@link ProbeAbortedError}).
 * Checkpoints are opened headers-only first; memory admission (src/analysis/streamed/memory-plan.ts) then keeps
 * the whole model in memory when that fits comfortably, else streams it layer by layer (sampling included), and
 * refuses a job that fits neither way before any weight is read.
 */
import type { AnalysisConfig, AnalysisResult } from "@bupo/shared";
import { modelSourceText } from "@bupo/shared/model-config";
import { admit, chooseMode, estimateStreamed, memoryAllowance } from "../analysis/streamed/memory-plan.ts";
import type { StreamedProgress } from "../analysis/streamed/streamed-analysis.ts";
import { readTrainerEnv } from "../env.ts";
import { NO_FILE_ROOTS } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import { disposeWeights } from "../model/weights.ts";
import { buildAnalysisResult } from "./analysis-result.ts";
import { analyzeSamples } from "./analyze-samples.ts";
import { datasetTaskSamples } from "./dataset-samples.ts";
import { checkAborted } from "./input-error.ts";
import { loadCheckpointModel, loadModelSource, type ProbeModel } from "./model-source.ts";
import type { SamplingModel } from "./sample-responses.ts";
import { type ProbeSampleSet, withPromptFallback } from "./samples.ts";
import {
  analyzeSamplesStreamed,
  openStreamedCheckpoint,
  type StreamedProbeModel,
  streamedJobShape,
} from "./streamed-model.ts";
import { builtinTaskSamples } from "./task-samples.ts";
import { buildTokenViews } from "./token-views.ts";
import { loadTokenizerJson } from "./tokenizer.ts";

export interface EntropyAnalysisOptions {
  signal?: AbortSignal;
  /** Progress lines (model loaded, samples ready). */
  log?: (message: string) => void;
  /** Opens the model folder, dataset and tokenizer the config names. Default: none may be opened. */
  files?: RunFiles;
  /** Memory the job may use (MiB); default TRAINER_MEMORY_LIMIT_MB, else available memory minus a margin. */
  memoryLimitMb?: number;
}

/** Prompt length assumed when choosing the mode before the prompts are encoded (the paper's prompts ≤ 1024). */
const PLANNED_PROMPT_TOKENS = 512;
/** Progress lines of a streamed analysis: at most one per this many ms (plus the last). */
const PROGRESS_LOG_MS = 15_000;

/** The probe samples of the job's task. */
async function taskSamples(
  cfg: AnalysisConfig,
  model: SamplingModel & Pick<ProbeModel, "tokenizer">,
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

/** "analysis 42% · layer 12/36 · 4 samples, 512 tokens · ETA 3:10" lines, throttled. */
function progressLogger(log: ((message: string) => void) | undefined): (p: StreamedProgress) => void {
  const started = performance.now();
  let last = Number.NEGATIVE_INFINITY;
  return (p) => {
    const now = performance.now();
    if (log === undefined || (now - last < PROGRESS_LOG_MS && p.stage !== "done")) return;
    last = now;
    const frac = p.stage === "done" ? 1 : p.doneFlops / Math.max(1, p.totalFlops);
    const eta = frac > 0 ? ((now - started) / frac - (now - started)) / 1000 : Number.NaN;
    const stage = p.stage === "layers" ? `layer ${p.layer}/${p.layers}` : p.stage;
    const etaText = Number.isFinite(eta) ? ` · ETA ${Math.round(eta)} s` : "";
    log(
      `analysis ${Math.floor(frac * 100)}% · ${stage} · ${p.samples} samples, ${p.tokens} tokens${etaText}`,
    );
  };
}

/** The in-memory path: weights loaded as float32, samples, analysis, token views of the first samples. */
async function analyzeInMemory(
  cfg: AnalysisConfig,
  model: ProbeModel,
  files: RunFiles,
  opts: EntropyAnalysisOptions,
): Promise<AnalysisResult> {
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
    checkAborted(opts.signal);
    const views = await buildTokenViews(model, set.samples, cfg);
    return buildAnalysisResult(model.info, analysis, set, views);
  } finally {
    disposeWeights(model.weights);
  }
}

/** The streamed path: sampling and analysis read the weights from the files one layer at a time. */
async function analyzeStreamedModel(
  cfg: AnalysisConfig,
  model: StreamedProbeModel,
  files: RunFiles,
  opts: EntropyAnalysisOptions,
  allowance: ReturnType<typeof memoryAllowance>,
): Promise<AnalysisResult> {
  const i = model.info;
  opts.log?.(
    `analysing ${i.family} L${i.numLayers} d${i.hiddenSize} V${i.vocabSize} (${modelSourceText(cfg.model)}), streamed from its files`,
  );
  const set = withPromptFallback(await taskSamples(cfg, model, files, opts.signal));
  admit(estimateStreamed(model.config, streamedJobShape(model, set.samples)), allowance, "analysis job");
  const tokens = set.samples.reduce((n, s) => n + s.tokens.length, 0);
  opts.log?.(`probing ${set.samples.length} sample(s), ${tokens} tokens, ${set.positions} positions pooled`);
  const analysis = await analyzeSamplesStreamed(model, set.samples, {
    lens: cfg.lens,
    trueLastLayer: cfg.trueLastLayer,
    onProgress: progressLogger(opts.log),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });
  return buildAnalysisResult(model.info, analysis, set);
}

/** Runs the analysis of `cfg`; disposes everything it creates. */
export async function runEntropyAnalysis(
  cfg: AnalysisConfig,
  opts: EntropyAnalysisOptions = {},
): Promise<AnalysisResult> {
  checkAborted(opts.signal);
  const files = opts.files ?? new RunFiles(NO_FILE_ROOTS);
  const source = cfg.model;
  if (source.source === "preset")
    return analyzeInMemory(cfg, await loadModelSource(source, cfg.seed, files), files, opts);
  const allowance = memoryAllowance(opts.memoryLimitMb ?? readTrainerEnv().TRAINER_MEMORY_LIMIT_MB);
  const streamed = await files.loadModel(source, openStreamedCheckpoint);
  let inMemory = false;
  try {
    const planned = {
      ...streamedJobShape(streamed, []),
      sampleLengths: new Array<number>(cfg.sampleSize).fill(PLANNED_PROMPT_TOKENS + cfg.maxResponseTokens),
    };
    const estimate = chooseMode(streamed.config, planned, allowance);
    admit(estimate, allowance, "analysis job");
    inMemory = estimate.mode === "in-heap";
    if (!inMemory) return await analyzeStreamedModel(cfg, streamed, files, opts, allowance);
  } finally {
    await streamed.reader.close();
  }
  return analyzeInMemory(cfg, await files.loadModel(source, loadCheckpointModel), files, opts);
}
