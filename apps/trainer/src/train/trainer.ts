/**
 * The training driver: warm start → (eval at step 0) → RL steps 1..totalSteps with periodic entropy probes,
 * evaluations and checkpoints; typed events; metrics JSONL; cancellation between steps; exact resume.
 *
 * Determinism: on one backend, a run is a pure function of (config, initial weights): prompts and rollout seeds
 * derive from (seed, step), the optimizer state is saved exactly, so resuming at step N reproduces the
 * uninterrupted run's metrics and weights from step N+1 on.
 *
 * The backend must be initialised by the caller (`initBackend`), once per process.
 */
import path from "node:path";
import { type RunConfig, type RunConfigInput, RunConfigSchema, type StepMetrics } from "@bupo/shared";
import { NO_FILE_ROOTS } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import { forward } from "../model/forward.ts";
import { generate } from "../model/generate.ts";
import { disposeWeights, namedParameters } from "../model/weights.ts";
import { deriveSeed } from "../tasks/rng.ts";
import { AdamW } from "./adamw.ts";
import { tokenizerFromJson, tokenizerToJson } from "./char-tokenizer.ts";
import { loadModelDir, loadTrainerState, saveCheckpoint, type TrainerState } from "./checkpoint-io.ts";
import { evaluatePolicy } from "./evaluate.ts";
import { type TrainerEventMap, TrainerEvents } from "./events.ts";
import { MetricsJsonlWriter } from "./metrics-writer.ts";
import { phaseOf, policyHeadForStep } from "./policy-head.ts";
import type { LogProbTrace } from "./policy-update.ts";
import { type RlStepContext, runRlStep } from "./rl-step.ts";
import { checkModelForRun, initialModel, taskFromConfig, tokenizerFromConfig } from "./run-setup.ts";
import { runSftStep, type SftContext } from "./sft.ts";
import type { LoadedModel, ModelFns, TrainingTask, TrainTokenizer } from "./types.ts";

export interface TrainerDeps {
  /** Run folder: `metrics.jsonl` and `checkpoints/step-<N>/` go here. */
  outDir: string;
  /** Milliseconds since some origin (timing metrics only). Default `Date.now`. */
  clock?: () => number;
  /** Default: built from `config.task` (built-in generator or dataset files). */
  task?: TrainingTask;
  /** Default: the dataset's tokenizer.json, else the char tokenizer over every built-in alphabet (or the one
   *  recorded in the checkpoint being resumed / loaded). */
  tokenizer?: TrainTokenizer;
  /** Initial model instead of `config.model` (not disposed by the trainer). Ignored when resuming. */
  model?: LoadedModel;
  /** Model functions (instrumentation in tests). Default: model/ `forward` and `generate`. */
  modelFns?: Partial<ModelFns>;
  /** Checked between steps; an aborted run saves a checkpoint (unless `checkpointOnCancel` is false). */
  signal?: AbortSignal;
  checkpointOnCancel?: boolean;
  /** Checkpoint folder to resume from (the run continues with that folder's config). */
  resumeFrom?: string;
  /** Opens the files the config names (model folder, dataset, tokenizer). Default: none may be opened. */
  files?: RunFiles;
  /** Responses per micro-batch (gradient accumulation). Default 64. Not in RunConfig. */
  microBatchSize?: number;
  /** Rows per `generate` call during evaluation. Default 64. */
  evalChunkRows?: number;
  /** Log-prob pass instrumentation (which head each old/update pass used). */
  trace?: (e: LogProbTrace) => void;
  /** Return the trained model in the summary (the caller then owns and disposes it). */
  keepModel?: boolean;
}

export interface TrainingSummary {
  status: "completed" | "cancelled";
  /** Last completed RL step. */
  step: number;
  lastCheckpoint: string | null;
  lastMetrics: StepMetrics | null;
  model?: LoadedModel;
}

/** Config fields a resumed run must share with its checkpoint (schedule and totalSteps may change). */
function comparable(c: RunConfig): unknown {
  return { ...c, rl: { ...c.rl, totalSteps: 0 }, schedule: null, name: "", tags: [] };
}

export class Trainer extends TrainerEvents {
  readonly config: RunConfig;
  private readonly deps: TrainerDeps;
  private readonly clock: () => number;
  private readonly fns: ModelFns;
  private readonly writer: MetricsJsonlWriter;
  /** Last completed RL step (for the `failed` status). */
  private progress = 0;

  constructor(config: RunConfig | RunConfigInput, deps: TrainerDeps) {
    super();
    this.config = RunConfigSchema.parse(config);
    if (this.config.kind !== "train") throw new Error(`run kind "${this.config.kind}" is not a training run`);
    this.deps = deps;
    this.clock = deps.clock ?? Date.now;
    this.fns = { forward: deps.modelFns?.forward ?? forward, generate: deps.modelFns?.generate ?? generate };
    this.writer = new MetricsJsonlWriter(path.join(deps.outDir, "metrics.jsonl"));
  }

  /** Runs to completion or cancellation. Rejects (after a `failed` status) on errors. */
  async run(): Promise<TrainingSummary> {
    this.emit("status", { status: "starting", step: 0 });
    try {
      return await this.runInner();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.emit("status", { status: "failed", step: this.progress, message });
      throw err;
    }
  }

  private async runInner(): Promise<TrainingSummary> {
    const cfg = this.config;
    const resumed = this.deps.resumeFrom ? await loadTrainerState(this.deps.resumeFrom) : undefined;
    if (resumed && JSON.stringify(comparable(resumed.state.runConfig)) !== JSON.stringify(comparable(cfg)))
      throw new Error("config differs from the checkpoint's run config");
    const files = this.deps.files ?? new RunFiles(NO_FILE_ROOTS);
    const tokenizer =
      this.deps.tokenizer ??
      (resumed
        ? await tokenizerFromJson(resumed.state.tokenizer, this.deps.resumeFrom as string)
        : await tokenizerFromConfig(cfg, files));
    const task = this.deps.task ?? (await taskFromConfig(cfg, files));
    const tokenizerDir =
      cfg.task.source === "dataset" ? await files.resolve("tokenizer", cfg.task.tokenizer) : undefined;
    const ownsModel = resumed !== undefined || this.deps.model === undefined;
    const model = resumed
      ? await loadModelDir(this.deps.resumeFrom as string)
      : (this.deps.model ?? (await initialModel(cfg, tokenizer, files)));
    const params = namedParameters(model.weights, model.config);
    const optimizers: AdamW[] = [];
    let keep = false;
    try {
      checkModelForRun(cfg, model.config, tokenizer);
      const microBatchSize = this.deps.microBatchSize ?? 64;
      const sftOpt = new AdamW(params, {
        lr: cfg.warmStart.lr,
        betas: cfg.rl.betas,
        weightDecay: cfg.rl.weightDecay,
      });
      const rlOpt = new AdamW(params, {
        lr: cfg.rl.lr,
        betas: cfg.rl.betas,
        weightDecay: cfg.rl.weightDecay,
      });
      optimizers.push(sftOpt, rlOpt);
      let sftDone = resumed?.state.sftStepsDone ?? 0;
      let lastStep = resumed?.state.step ?? 0;
      if (resumed) {
        (sftDone < cfg.warmStart.sftSteps && lastStep === 0 && task.sftBatch ? sftOpt : rlOpt).importState(
          resumed.optimizer,
        );
        await this.writer.truncateAfter(lastStep, sftDone);
      }
      let lastCheckpoint: string | null = this.deps.resumeFrom ?? null;
      const save = async (reason: "periodic" | "final" | "cancel", optimizer: AdamW) => {
        const dir = path.join(this.deps.outDir, "checkpoints", `step-${lastStep}`);
        const state: Omit<TrainerState, "format" | "optimizer"> = {
          step: lastStep,
          sftStepsDone: sftDone,
          rng: { seed: cfg.seed, nextStep: lastStep + 1, nextSftStep: sftDone + 1 },
          runConfig: cfg,
          tokenizer: tokenizerToJson(tokenizer),
        };
        lastCheckpoint = await saveCheckpoint(dir, model, optimizer, state, tokenizerDir);
        this.emit("checkpoint", { step: lastStep, path: dir, reason });
      };
      const cancelled = async (optimizer: AdamW): Promise<TrainingSummary> => {
        if ((this.deps.checkpointOnCancel ?? true) && lastCheckpoint !== this.checkpointDir(lastStep))
          await save("cancel", optimizer);
        this.emit("status", { status: "cancelled", step: lastStep });
        return { status: "cancelled", step: lastStep, lastCheckpoint, lastMetrics: null };
      };

      // ---- warm start ----------------------------------------------------------------------------------
      const sftCtx: SftContext = {
        model,
        params,
        optimizer: sftOpt,
        task,
        tokenizer,
        fns: this.fns,
        microBatchSize,
        gradClip: cfg.rl.gradClip,
        maxPromptTokens: cfg.rl.maxPromptTokens,
        maxResponseTokens: cfg.rl.maxResponseTokens,
      };
      const sftSteps = task.sftBatch ? cfg.warmStart.sftSteps : 0;
      if (sftSteps < cfg.warmStart.sftSteps)
        this.emit("log", { level: "warn", message: `task ${task.name} has no targets: warm start skipped` });
      if (sftDone < sftSteps) this.emit("status", { status: "warm-start", step: 0 });
      while (sftDone < sftSteps) {
        if (this.deps.signal?.aborted) return await cancelled(sftOpt);
        const r = await runSftStep(sftCtx, sftDone + 1, cfg.warmStart.batchSize);
        sftDone += 1;
        await this.writer.append({ type: "warmstart", step: r.step, loss: r.loss, gradNorm: r.gradNorm });
        if (sftDone % cfg.schedule.logEvery === 0 || sftDone === sftSteps)
          this.emit("warmstart", { step: r.step, totalSteps: sftSteps, loss: r.loss, gradNorm: r.gradNorm });
      }

      // ---- RL ------------------------------------------------------------------------------------------
      this.emit("status", { status: "training", step: lastStep });
      const rlCtx: RlStepContext = {
        config: cfg,
        model,
        params,
        optimizer: rlOpt,
        task,
        tokenizer,
        fns: this.fns,
        microBatchSize,
        clock: this.clock,
        trace: this.deps.trace,
      };
      // step-0 evaluation, unless a resumed run already did it (it runs right after the warm start)
      const evalDone = resumed !== undefined && (lastStep > 0 || resumed.state.sftStepsDone >= sftSteps);
      if (cfg.schedule.evalEvery > 0 && !evalDone) await this.evaluate(0, model, tokenizer, task);
      let lastMetrics: StepMetrics | null = null;
      let previousPhase: 1 | 2 | null = null;
      for (let step = lastStep + 1; step <= cfg.rl.totalSteps; step++) {
        if (this.deps.signal?.aborted) return await cancelled(rlOpt);
        const phase = phaseOf(policyHeadForStep(cfg, step));
        if (phase !== previousPhase) {
          const internalLayer = phase === 1 ? cfg.rl.internalLayer : null;
          this.emit("phase", { step, phase, previous: previousPhase, internalLayer });
          previousPhase = phase;
        }
        const every = (n: number) => n > 0 && step % n === 0;
        const r = await runRlStep(rlCtx, step, every(cfg.schedule.entropyEvery));
        lastStep = step;
        this.progress = step;
        lastMetrics = r.metrics;
        await this.writer.append({ type: "step", ...r.metrics });
        if (every(cfg.schedule.logEvery) || step === cfg.rl.totalSteps)
          this.emit("step", { metrics: r.metrics, updates: r.updates });
        if (every(cfg.schedule.evalEvery)) await this.evaluate(step, model, tokenizer, task);
        if (step === cfg.rl.totalSteps) await save("final", rlOpt);
        else if (every(cfg.schedule.checkpointEvery)) await save("periodic", rlOpt);
      }
      this.emit("status", { status: "completed", step: lastStep });
      keep = this.deps.keepModel === true;
      return { status: "completed", step: lastStep, lastCheckpoint, lastMetrics, ...(keep ? { model } : {}) };
    } finally {
      for (const o of optimizers) o.dispose();
      if (ownsModel && !keep) disposeWeights(model.weights);
    }
  }

  private checkpointDir(step: number): string {
    return path.join(this.deps.outDir, "checkpoints", `step-${step}`);
  }

  private async evaluate(step: number, model: LoadedModel, tokenizer: TrainTokenizer, task: TrainingTask) {
    const cfg = this.config;
    const problems = task.heldOut.slice(0, cfg.schedule.evalPrompts);
    if (problems.length === 0) return;
    const m = await evaluatePolicy(this.fns, model, tokenizer, problems, task.grade, {
      ...cfg.rl,
      step,
      dataSource: task.name,
      k: cfg.schedule.evalSamples,
      seed: deriveSeed(cfg.seed, `eval/${step}`),
      chunkRows: this.deps.evalChunkRows,
      promptOptions: task.promptOptions,
    });
    await this.writer.append({ type: "eval", ...m });
    this.emit("eval", m);
  }
}

export type TrainerListeners = Partial<{
  [K in keyof TrainerEventMap]: (payload: TrainerEventMap[K]) => void;
}>;

/** Convenience: construct, subscribe `listeners`, run. */
export async function runTraining(
  config: RunConfig | RunConfigInput,
  deps: TrainerDeps,
  listeners: TrainerListeners = {},
): Promise<TrainingSummary> {
  const trainer = new Trainer(config, deps);
  for (const [event, fn] of Object.entries(listeners)) {
    if (fn) trainer.on(event as keyof TrainerEventMap, fn as never);
  }
  return trainer.run();
}
