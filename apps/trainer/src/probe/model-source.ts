/**
 * Where a probed model comes from: a checkpoint directory (a `train` checkpoint or an imported Hugging Face
 * folder: config.json + safetensors [+ tokenizer]) or a freshly initialised preset, each with its text tokenizer
 * (./tokenizer.ts). The caller owns the returned weights (`disposeWeights`).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { defaultRunConfig, type ModelSource, type TieEmbeddings } from "@bupo/shared";
import { loadHfCheckpoint } from "../checkpoint/index.ts";
import type { RunFiles } from "../files/run-files.ts";
import { countParameters, type ModelConfig, type ModelFamily } from "../model/config.ts";
import { initWeights } from "../model/init-weights.ts";
import type { ModelPresetName } from "../model/presets.ts";
import { disposeWeights, type ModelWeights } from "../model/weights.ts";
import { deriveSeed } from "../tasks/rng.ts";
import { defaultTokenizer, presetModelConfig } from "../train/run-setup.ts";
import { inputError, ProbeInputError } from "./input-error.ts";
import { loadCheckpointTokenizer, type ProbeTokenizer, probeTokenizer } from "./tokenizer.ts";

export interface ProbeModelInfo {
  source: "checkpoint" | "preset";
  path?: string;
  preset?: ModelPresetName;
  seed?: number;
  family: ModelFamily;
  numLayers: number;
  hiddenSize: number;
  vocabSize: number;
  parameters: number;
  tieWordEmbeddings: boolean;
  tokenizer: ProbeTokenizer["kind"] | "none";
}

export interface ProbeModel {
  config: ModelConfig;
  weights: ModelWeights;
  tokenizer?: ProbeTokenizer;
  /** Plain description for reports. */
  info: ProbeModelInfo;
}

export interface PresetSpec {
  preset: ModelPresetName;
  family: ModelFamily;
  /** Default "auto" (family default: Qwen tied, Llama untied). */
  tieEmbeddings?: TieEmbeddings;
}

function describe(
  config: ModelConfig,
  tokenizer: ProbeTokenizer | undefined,
  where: Pick<ProbeModelInfo, "source" | "path" | "preset" | "seed">,
): ProbeModelInfo {
  return {
    ...where,
    family: config.family,
    numLayers: config.numLayers,
    hiddenSize: config.hiddenSize,
    vocabSize: config.vocabSize,
    parameters: countParameters(config),
    tieWordEmbeddings: config.tieWordEmbeddings,
    tokenizer: tokenizer?.kind ?? "none",
  };
}

/** Loads a checkpoint directory; any problem with it or its files is a {@link ProbeInputError} naming `dir`. */
export async function loadCheckpointModel(dir: string): Promise<ProbeModel> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ProbeInputError(
      `checkpoint directory not found: ${dir} (expected a folder with config.json + model.safetensors)`,
    );
  }
  if (!existsSync(path.join(dir, "config.json"))) {
    throw new ProbeInputError(`checkpoint ${dir}: no config.json (expected a Hugging Face model directory)`);
  }
  let loaded: Awaited<ReturnType<typeof loadHfCheckpoint>>;
  try {
    loaded = await loadHfCheckpoint(dir, { tokenizer: false }); // loaded below, once
  } catch (e) {
    throw inputError(`checkpoint ${dir}`, e);
  }
  let tokenizer: ProbeTokenizer | undefined;
  try {
    tokenizer = await loadCheckpointTokenizer(dir, loaded.runConfig);
  } catch (e) {
    disposeWeights(loaded.weights);
    throw inputError(`checkpoint ${dir}: tokenizer`, e);
  }
  const info = describe(loaded.config, tokenizer, { source: "checkpoint", path: path.resolve(dir) });
  return { config: loaded.config, weights: loaded.weights, tokenizer, info };
}

/**
 * A freshly initialised preset (weights deterministic in `initSeed`) with the trainer's char tokenizer: the
 * config `train` builds for it (src/train `presetModelConfig`: V from the tokenizer, EOS id, tying).
 */
export function presetModel(spec: PresetSpec, initSeed: number): ProbeModel {
  const train = defaultTokenizer();
  const model = { ...spec, source: "preset" as const, tieEmbeddings: spec.tieEmbeddings ?? "auto" };
  const config = presetModelConfig({ ...defaultRunConfig(), model }, train);
  const tokenizer = probeTokenizer(train);
  const info = describe(config, tokenizer, { source: "preset", preset: spec.preset, seed: initSeed });
  return { config, weights: initWeights(config, initSeed), tokenizer, info };
}

/**
 * The model of a run config's `model` section; a model folder or run checkpoint is opened through `files`.
 * A preset is initialised exactly like a `train` run with the same seed (src/train `initialModel`: init seed
 * derived from `seed` and "init").
 */
export async function loadModelSource(
  source: ModelSource,
  seed: number,
  files: RunFiles,
): Promise<ProbeModel> {
  return source.source === "preset"
    ? presetModel(source, deriveSeed(seed, "init"))
    : files.loadModel(source, loadCheckpointModel);
}
