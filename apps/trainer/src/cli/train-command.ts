/**
 * `train`: validates a run config file with the shared RunConfigSchema, then runs src/train's engine
 * (`runTraining`: warm start → GRPO/BuPO steps, evaluations, checkpoints, metrics JSONL) with a progress bar,
 * ETA and live metrics on stderr. Ctrl-C stops after the current step and saves a checkpoint; a second Ctrl-C
 * quits at once.
 *
 * Output folder: `metrics.jsonl` (one record per warm-start step, RL step and evaluation), `run-config.json`
 * (the parsed config, every default filled) and `checkpoints/step-<N>/` (HF model + optimizer + trainer state).
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EvalMetrics, RunConfig, StepMetrics } from "@bupo/shared";
import { fileRefText } from "@bupo/shared/file-ref";
import { modelSourceText } from "@bupo/shared/model-config";
import { describeBackend, initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv, webgpuOptions } from "../env.ts";
import { fileRootsFromEnv } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import type { TrainerEventMap } from "../train/events.ts";
import { runTraining, type TrainerListeners } from "../train/trainer.ts";
import {
  type CliIo,
  type CommandFn,
  enumFlag,
  intFlag,
  parseFlags,
  runCommand,
  str,
  UsageError,
} from "./args.ts";
import { BACKENDS } from "./model-flags.ts";
import { createProgress, formatDuration, type Progress } from "./progress.ts";
import { ConfigError, readRunConfigFile, validateRunConfig } from "./run-config-file.ts";

export const TRAIN_USAGE = `usage: bupo-trainer train --config FILE [--out DIR] [--resume CHECKPOINT] [--backend B] [--micro-batch N]

Runs GRPO / BuPO training from a run config JSON (shared RunConfigSchema; omitted fields take their defaults,
\`{}\` is a BuPO run of the tiny Qwen3 preset on the addition task). Progress, ETA and live metrics go to
stderr; metrics.jsonl, run-config.json and checkpoints/step-<N>/ go to the output folder.

  --config FILE        run config (JSON); optional with --resume (the checkpoint's config is used)
  --out DIR            output folder (default runs/<config name>-<timestamp>; with --resume: the run folder
                       that holds the checkpoint)
  --resume CHECKPOINT  continue from a checkpoint folder (…/checkpoints/step-<N>); the config must match the
                       checkpoint's except schedule and rl.totalSteps
  --backend B          ${BACKENDS.join(", ")} (default auto)
  --micro-batch N      responses per micro-batch, gradient accumulation (default 64; lower saves memory)
  -h, --help           this text`;

const round = (v: number | undefined, digits = 3) => (v === undefined ? "—" : v.toFixed(digits));

/** One-line live summary of an RL step (H = full-policy entropy; head = π_k in BuPO phase 1, else π). */
export function stepSummary(m: StepMetrics): string {
  const head = m["bupo/phase"] === 1 ? `π_${m["bupo/internal_layer"] ?? "k"}` : "π";
  return [
    `score ${round(m["critic/score/mean"])}`,
    `H ${round(m["actor/entropy"])}`,
    `loss ${round(m["actor/pg_loss"], 4)}`,
    `clip ${round(m["actor/pg_clipfrac"])}`,
    `kl ${round(m["actor/ppo_kl"], 4)}`,
    `|g| ${round(m["actor/grad_norm"])}`,
    `len ${round(m["response_length/mean"], 1)}`,
    `${round(m["perf/time_per_step"], 2)}s/step`,
    `head ${head}`,
  ].join(" · ");
}

export function evalSummary(e: EvalMetrics): string {
  return `eval step ${e.step} (${e.dataSource}, ${e.numPrompts} prompts × ${e.k}): mean@${e.k} ${round(e["mean@k"])} · pass@${e.k} ${round(e["pass@k"])}`;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
}

/** Default output folder: the run folder of a resumed checkpoint, else runs/<config>-<timestamp>. */
function defaultOutDir(configFile: string | undefined, resume: string | undefined): string {
  if (resume) {
    const parent = path.dirname(path.resolve(resume));
    if (path.basename(parent) === "checkpoints") return path.dirname(parent);
    throw new UsageError(
      `--out is required: --resume ${resume} is not inside a <run>/checkpoints/ folder, so the run folder is unknown`,
    );
  }
  const name = configFile ? path.basename(configFile).replace(/\.[^.]+$/, "") : "run";
  return path.join("runs", `${name}-${timestamp()}`);
}

/** The run config of a checkpoint's trainer_state.json (for `--resume` without `--config`). */
function checkpointConfig(dir: string): RunConfig {
  const file = path.join(dir, "trainer_state.json");
  if (!existsSync(file))
    throw new UsageError(`--resume ${dir}: no trainer_state.json (not a train checkpoint)`);
  const state = JSON.parse(readFileSync(file, "utf8")) as { runConfig?: unknown };
  return validateRunConfig(state.runConfig, file);
}

/** Progress bars and event lines on stderr. */
function reporter(io: CliIo, cfg: RunConfig): TrainerListeners & { close(): void } {
  let bar: Progress | undefined;
  let barKind: "warm-start" | "rl" | undefined;
  const open = (kind: "warm-start" | "rl", total: number, initial: number) => {
    if (barKind === kind) return bar as Progress;
    bar?.finish();
    barKind = kind;
    bar = createProgress({
      total,
      initial,
      label: kind === "rl" ? "RL " : "SFT",
      write: io.stderr,
      isTty: io.stderrIsTty,
      columns: io.stderrColumns,
    });
    return bar;
  };
  const line = (text: string) => (bar ? bar.log(text) : io.stderr(`${text}\n`));
  const listeners: TrainerListeners = {
    status: (s: TrainerEventMap["status"]) => {
      if (s.status === "training") open("rl", cfg.rl.totalSteps, s.step);
      if (s.status === "warm-start") open("warm-start", cfg.warmStart.sftSteps, 0);
      line(`status: ${s.status} at step ${s.step}${s.message ? ` (${s.message})` : ""}`);
    },
    warmstart: (w) => {
      open("warm-start", w.totalSteps, 0).update(
        w.step,
        `loss ${round(w.loss, 4)} · |g| ${round(w.gradNorm)}`,
      );
    },
    step: (s) => {
      open("rl", cfg.rl.totalSteps, 0).update(s.metrics.step, stepSummary(s.metrics));
    },
    eval: (e) => line(evalSummary(e)),
    phase: (p) =>
      line(
        p.phase === 1
          ? `step ${p.step}: BuPO phase 1, internal layer policy π_${p.internalLayer} (paper layer ${(p.internalLayer ?? 0) + 1})`
          : `step ${p.step}: ${cfg.algorithm === "bupo" ? "BuPO phase 2, " : ""}full policy π`,
      ),
    checkpoint: (c) => line(`checkpoint (${c.reason}) step ${c.step} → ${c.path}`),
    log: (l) => {
      if (l.level !== "debug") line(`${l.level}: ${l.message}`);
    },
  };
  return { ...listeners, close: () => bar?.finish() };
}

export const trainCommand: CommandFn = async (argv: string[], io: CliIo) => {
  const values = parseFlags("train", argv, {
    config: { type: "string" },
    out: { type: "string" },
    resume: { type: "string" },
    backend: { type: "string" },
    "micro-batch": { type: "string" },
  });
  if (values.help) {
    io.stdout(`${TRAIN_USAGE}\n`);
    return 0;
  }
  const configFile = str(values, "config");
  const resume = str(values, "resume");
  if (configFile === undefined && resume === undefined) {
    throw new UsageError("--config FILE is required (or --resume CHECKPOINT to continue a run)");
  }
  if (resume !== undefined && !existsSync(path.join(resume, "trainer_state.json"))) {
    throw new UsageError(
      `--resume must be a train checkpoint folder with trainer_state.json (got ${resume})`,
    );
  }
  const backend = enumFlag(values, "backend", BACKENDS, "auto");
  const microBatchSize = intFlag(values, "micro-batch", { min: 1, max: 4096 }, 64);

  let config: RunConfig;
  try {
    config =
      configFile !== undefined ? await readRunConfigFile(configFile) : checkpointConfig(resume as string);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`error: --config ${e.file} is invalid:\n${e.problems.map((p) => `  ${p}`).join("\n")}\n`);
    return 2;
  }
  if (config.kind !== "train") {
    throw new UsageError(`--config: kind must be "train" for the train command (got "${config.kind}")`);
  }
  const outDir = str(values, "out") ?? defaultOutDir(configFile, resume);
  if (resume === undefined && existsSync(path.join(outDir, "metrics.jsonl"))) {
    throw new UsageError(
      `--out ${outDir} already holds a run (metrics.jsonl); choose a new folder or --resume one of its checkpoints`,
    );
  }

  const env = readTrainerEnv();
  const info = await initBackend({
    prefer: backend,
    native: nativeKernelOptions(env),
    webgpu: webgpuOptions(env),
  });
  // The operator's own machine: refused files are explained on stderr, roots come from the environment.
  const files = new RunFiles(fileRootsFromEnv(env), {
    warn: (detail, msg) => io.stderr(`train: ${msg}: ${JSON.stringify(detail)}\n`),
  });
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, "run-config.json"), `${JSON.stringify(config, null, 2)}\n`);
  const model = modelSourceText(config.model);
  const task =
    config.task.source === "builtin"
      ? `${config.task.name} (level ${config.task.difficulty})`
      : fileRefText(config.task);
  io.stderr(
    `train: ${config.algorithm} · model ${model} · task ${task} · ${config.warmStart.sftSteps} warm-start + ${config.rl.totalSteps} RL steps · ` +
      `${describeBackend(info)} · out ${outDir}\n`,
  );

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    io.stderr(
      "\ninterrupt: stopping after the current step and saving a checkpoint (Ctrl-C again to quit now)\n",
    );
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  const report = reporter(io, config);
  const started = performance.now();
  try {
    const summary = await runTraining(
      config,
      { outDir, resumeFrom: resume, signal: controller.signal, microBatchSize, files },
      report,
    );
    report.close();
    io.stderr(
      `train: ${summary.status} at step ${summary.step} in ${formatDuration((performance.now() - started) / 1000)} · ` +
        `metrics ${path.join(outDir, "metrics.jsonl")} · last checkpoint ${summary.lastCheckpoint ?? "none"}\n`,
    );
    return summary.status === "completed" ? 0 : 130;
  } finally {
    report.close();
    process.off("SIGINT", onSigint);
  }
};

/** Entry point for main.ts. */
export const run = (argv: string[]) => runCommand(trainCommand, argv);
