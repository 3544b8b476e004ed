/**
 * What a run needs besides its config, built from the config when the caller injects nothing: the task, the
 * tokenizer and the initial model (fresh preset, a model folder or a run checkpoint). Every file a config names
 * is opened through RunFiles (src/files), inside the trainer's roots.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type RunConfig, resolveTieEmbeddings } from "@bupo/shared";
import { loadHfCheckpoint } from "../checkpoint/load-checkpoint.ts";
import type { RunFiles } from "../files/run-files.ts";
import type { ModelConfig } from "../model/config.ts";
import { initWeights } from "../model/init-weights.ts";
import { modelPreset } from "../model/presets.ts";
import { builtinAlphabet } from "../tasks/registry.ts";
import { deriveSeed } from "../tasks/rng.ts";
import { type CharTokenizer, createCharTokenizer } from "../tokenizer/char-tokenizer.ts";
import { loadHfTokenizer } from "../tokenizer/hf-tokenizer.ts";
import { tokenizerFromJson } from "./char-tokenizer.ts";
import { builtinTrainingTask, datasetTrainingTask } from "./task-source.ts";
import type { LoadedModel, TrainingTask, TrainTokenizer } from "./types.ts";

/** The run's task: built-in generator or dataset file(s) opened through `files`. */
export async function taskFromConfig(config: RunConfig, files: RunFiles): Promise<TrainingTask> {
  if (config.task.source === "builtin")
    return builtinTrainingTask(config.task, { seed: config.seed, heldOutCount: config.schedule.evalPrompts });
  return datasetTrainingTask(
    config.task,
    { seed: config.seed, promptsPerStep: config.rl.promptsPerStep },
    files,
  );
}

/** One char vocabulary for every built-in task (tokenizer/ CharTokenizer), so checkpoints move between tasks. */
export function defaultTokenizer(): CharTokenizer {
  return createCharTokenizer(builtinAlphabet());
}

/**
 * The run's tokenizer: a dataset's tokenizer.json; for built-in tasks the tokenizer recorded beside a checkpoint
 * model (trainer_state.json), else {@link defaultTokenizer}.
 */
export async function tokenizerFromConfig(config: RunConfig, files: RunFiles): Promise<TrainTokenizer> {
  if (config.task.source === "dataset")
    return files.load("tokenizer", config.task.tokenizer, loadHfTokenizer);
  if (config.model.source === "preset") return defaultTokenizer();
  return files.loadModel(config.model, async (dir) => {
    const state = path.join(dir, "trainer_state.json");
    if (!existsSync(state)) return defaultTokenizer();
    const json = JSON.parse(await readFile(state, "utf8")) as { tokenizer?: unknown };
    return tokenizerFromJson(json.tokenizer, dir);
  });
}

/** Model config of a preset run: vocabulary from the tokenizer, EOS id set, tying as configured. */
export function presetModelConfig(
  config: RunConfig,
  tokenizer: Pick<TrainTokenizer, "vocabSize" | "eosId">,
): ModelConfig {
  if (config.model.source !== "preset") throw new Error("presetModelConfig needs model.source = preset");
  const { family, preset, tieEmbeddings } = config.model;
  return modelPreset(preset, family, tokenizer.vocabSize, {
    tieWordEmbeddings: resolveTieEmbeddings(family, tieEmbeddings),
    eosTokenId: tokenizer.eosId,
  });
}

/** Fresh seeded weights (preset) or the weights of the model folder (HF layout). Caller owns them. */
export async function initialModel(
  config: RunConfig,
  tokenizer: TrainTokenizer,
  files: RunFiles,
): Promise<LoadedModel> {
  if (config.model.source !== "preset") {
    const loaded = await files.loadModel(config.model, (dir) => loadHfCheckpoint(dir, { tokenizer: false }));
    return { config: loaded.config, weights: loaded.weights };
  }
  const modelConfig = presetModelConfig(config, tokenizer);
  return { config: modelConfig, weights: initWeights(modelConfig, deriveSeed(config.seed, "init")) };
}

/** Throws when the model cannot represent the run (vocabulary, BuPO layer, sequence length). */
export function checkModelForRun(
  config: RunConfig,
  model: ModelConfig,
  tokenizer: Pick<TrainTokenizer, "vocabSize">,
): void {
  if (model.vocabSize < tokenizer.vocabSize)
    throw new Error(
      `model vocabulary ${model.vocabSize} is smaller than the tokenizer's ${tokenizer.vocabSize}`,
    );
  if (config.algorithm === "bupo" && config.rl.internalLayer >= model.numLayers)
    throw new Error(
      `rl.internalLayer ${config.rl.internalLayer} must be < the model's ${model.numLayers} layers`,
    );
  const need = config.rl.maxPromptTokens + config.rl.maxResponseTokens;
  if (need > model.maxPositionEmbeddings)
    throw new Error(
      `maxPromptTokens + maxResponseTokens = ${need} exceeds maxPositionEmbeddings ${model.maxPositionEmbeddings}`,
    );
}
