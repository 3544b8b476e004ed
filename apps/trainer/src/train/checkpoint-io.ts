/**
 * Trainer checkpoints: one folder per save, written to `<dir>.tmp` and renamed (a crash never leaves a half
 * checkpoint under the final name).
 *   config.json, model.safetensors, bupo_run_config.json, tokenizer files
 *                          checkpoint/ `saveHfCheckpoint` (HF layout: transformers opens the folder)
 *   optimizer.safetensors  AdamW moments `<param>.exp_avg`, `<param>.exp_avg_sq` (F32)
 *   trainer_state.json     step, warm-start progress, per-parameter optimizer steps, RNG state, run config,
 *                          tokenizer — everything else a resumed run needs
 */
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunConfig } from "@bupo/shared";
import { loadHfCheckpoint } from "../checkpoint/load-checkpoint.ts";
import { encodeSafetensors, parseSafetensors, readTensorAsFloat32 } from "../checkpoint/safetensors.ts";
import { saveHfCheckpoint } from "../checkpoint/save-checkpoint.ts";
import { namedParameters } from "../model/weights.ts";
import type { AdamW, AdamWState } from "./adamw.ts";
import type { LoadedModel } from "./types.ts";

export const CHECKPOINT_FORMAT = "bupo-trainer-checkpoint/1";

/** Every RNG stream of a run is derived from (seed, stream name, counter); the counters are the RNG state. */
export interface RngState {
  seed: number;
  /** Next RL step to run (its prompts and rollout seed derive from it). */
  nextStep: number;
  /** Next warm-start step. */
  nextSftStep: number;
}

export interface TrainerState {
  format: typeof CHECKPOINT_FORMAT;
  /** Last completed RL step (0 = after the warm start). */
  step: number;
  sftStepsDone: number;
  rng: RngState;
  optimizer: {
    lr: number;
    betas: [number, number];
    weightDecay: number;
    eps: number;
    steps: Record<string, number>;
  };
  runConfig: RunConfig;
  tokenizer: unknown;
}

const FILES = {
  optimizer: "optimizer.safetensors",
  state: "trainer_state.json",
} as const;

/**
 * Writes a checkpoint folder `dir` (replaced if present). Returns `dir`.
 * @param tokenizerDir folder whose tokenizer.json / tokenizer_config.json are copied in (HF tokenizers)
 */
export async function saveCheckpoint(
  dir: string,
  model: LoadedModel,
  optimizer: AdamW,
  state: Omit<TrainerState, "format" | "optimizer">,
  tokenizerDir?: string,
): Promise<string> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await saveHfCheckpoint(tmp, model.weights, model.config, { runConfig: state.runConfig, tokenizerDir });
  const params = namedParameters(model.weights, model.config);
  const opt = await optimizer.exportState();
  const moments = params.flatMap((p) => [
    { name: `${p.name}.exp_avg`, shape: p.variable.shape, data: opt.expAvg[p.name] as Float32Array },
    { name: `${p.name}.exp_avg_sq`, shape: p.variable.shape, data: opt.expAvgSq[p.name] as Float32Array },
  ]);
  const full: TrainerState = {
    format: CHECKPOINT_FORMAT,
    ...state,
    optimizer: {
      lr: optimizer.options.lr,
      betas: [...optimizer.options.betas] as [number, number],
      weightDecay: optimizer.options.weightDecay,
      eps: optimizer.options.eps,
      steps: opt.steps,
    },
  };
  await writeFile(path.join(tmp, FILES.optimizer), encodeSafetensors(moments));
  await writeFile(path.join(tmp, FILES.state), `${JSON.stringify(full, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}

/** Loads the model of a checkpoint folder (checkpoint/ `loadHfCheckpoint`). Caller owns the weights. */
export async function loadModelDir(dir: string): Promise<LoadedModel> {
  const loaded = await loadHfCheckpoint(dir, { tokenizer: false });
  return { config: loaded.config, weights: loaded.weights };
}

/** Reads `trainer_state.json` and the optimizer moments of a checkpoint folder. */
export async function loadTrainerState(dir: string): Promise<{ state: TrainerState; optimizer: AdamWState }> {
  const statePath = path.join(dir, FILES.state);
  const state = JSON.parse(await readFile(statePath, "utf8")) as TrainerState;
  if (state.format !== CHECKPOINT_FORMAT)
    throw new Error(`${statePath}: unknown checkpoint format ${String(state.format)}`);
  const optPath = path.join(dir, FILES.optimizer);
  const file = parseSafetensors(new Uint8Array(await readFile(optPath)), optPath);
  const optimizer: AdamWState = { steps: state.optimizer.steps, expAvg: {}, expAvgSq: {} };
  for (const name of Object.keys(state.optimizer.steps)) {
    optimizer.expAvg[name] = readTensorAsFloat32(file, `${name}.exp_avg`, optPath);
    optimizer.expAvgSq[name] = readTensorAsFloat32(file, `${name}.exp_avg_sq`, optPath);
  }
  return { state, optimizer };
}
