/**
 * Loads a Hugging Face model directory: `config.json` + `model.safetensors` or sharded
 * `model.safetensors.index.json` (+ shards); F32 / F16 / BF16 tensors become float32 tf.Variables with the exact
 * transformers names and shapes (see model/weights.ts). Optional `tokenizer.json` and our run config JSON.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../model/config.ts";
import { buildWeights, type ModelWeights, weightSpecs } from "../model/weights.ts";
import { type HfConfigJson, modelConfigFromHf } from "./hf-config.ts";
import { type HfTokenizer, loadHfTokenizer } from "./hf-tokenizer.ts";
import { parseSafetensors, readTensorAsFloat32 } from "./safetensors.ts";
import { assertShardName } from "./tensor-reader.ts";

export const RUN_CONFIG_FILE = "bupo_run_config.json";
const SINGLE_FILE = "model.safetensors";
const INDEX_FILE = "model.safetensors.index.json";

export interface LoadCheckpointOptions {
  /** Load tokenizer.json when present (default true). */
  tokenizer?: boolean;
}

export interface LoadedCheckpoint {
  config: ModelConfig;
  weights: ModelWeights;
  /** The raw config.json. */
  hfConfig: HfConfigJson;
  tokenizer?: HfTokenizer;
  /** Contents of bupo_run_config.json when present. */
  runConfig?: unknown;
  /** Tensors in the files that the model does not use (e.g. a tied lm_head, rotary inv_freq buffers). */
  unusedTensors: string[];
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, "utf8"));
}

/** name → shard file, for a single file or a sharded index. */
async function tensorLocations(dir: string): Promise<Map<string, string>> {
  const indexPath = path.join(dir, INDEX_FILE);
  if (existsSync(indexPath)) {
    const index = (await readJson(indexPath)) as { weight_map?: Record<string, string> };
    if (!index.weight_map) throw new Error(`${indexPath}: no weight_map`);
    for (const file of new Set(Object.values(index.weight_map))) assertShardName(indexPath, file);
    return new Map(Object.entries(index.weight_map));
  }
  const single = path.join(dir, SINGLE_FILE);
  if (!existsSync(single)) {
    throw new Error(
      `${dir}: neither ${SINGLE_FILE} nor ${INDEX_FILE} found (pytorch_model.bin is not supported)`,
    );
  }
  const file = parseSafetensors(new Uint8Array(await readFile(single)), single);
  return new Map([...file.entries.keys()].map((name) => [name, SINGLE_FILE]));
}

/** Decodes the needed tensors shard by shard (one shard buffer alive at a time). */
interface HostTensor {
  shape: number[];
  values: Float32Array;
}

async function readNeeded(
  dir: string,
  locations: Map<string, string>,
  needed: Set<string>,
): Promise<Map<string, HostTensor>> {
  const byShard = new Map<string, string[]>();
  for (const name of needed) {
    const shard = locations.get(name);
    if (shard !== undefined) byShard.set(shard, [...(byShard.get(shard) ?? []), name]);
  }
  const out = new Map<string, HostTensor>();
  for (const [shard, names] of byShard) {
    const file = path.join(dir, shard);
    if (!existsSync(file)) throw new Error(`${dir}: shard ${shard} listed in ${INDEX_FILE} is missing`);
    const parsed = parseSafetensors(new Uint8Array(await readFile(file)), file);
    for (const name of names) {
      const shape = parsed.entries.get(name)?.shape ?? [];
      out.set(name, { shape, values: readTensorAsFloat32(parsed, name, file) });
    }
  }
  return out;
}

/**
 * Loads config, weights (as float32 variables; caller disposes with `disposeWeights`), tokenizer and run config.
 * Throws naming every missing tensor, or the tensor whose shape differs from what config.json implies.
 */
export async function loadHfCheckpoint(
  dir: string,
  opts: LoadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  const configPath = path.join(dir, "config.json");
  if (!existsSync(configPath)) throw new Error(`${dir}: config.json not found`);
  const hfConfig = (await readJson(configPath)) as HfConfigJson;
  const config = modelConfigFromHf(hfConfig, configPath);
  const specs = weightSpecs(config);
  const locations = await tensorLocations(dir);
  const missing = specs.filter((s) => !locations.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    const shown = missing.slice(0, 8).join(", ");
    throw new Error(
      `${dir}: checkpoint is missing ${missing.length} tensor(s) required by ${String((hfConfig.architectures as string[] | undefined)?.[0] ?? config.family)}: ${shown}${missing.length > 8 ? ", …" : ""}`,
    );
  }
  const needed = new Set(specs.map((s) => s.name));
  const data = await readNeeded(dir, locations, needed);
  let weights: ModelWeights;
  try {
    weights = buildWeights(config, (spec) => {
      const t = data.get(spec.name) as HostTensor;
      data.delete(spec.name); // free host memory as we go
      return tf.tensor(t.values, t.shape, "float32"); // buildWeights checks the shape against config.json
    });
  } catch (err) {
    throw new Error(`${dir}: ${(err as Error).message}`);
  }
  const result: LoadedCheckpoint = {
    config,
    weights,
    hfConfig,
    unusedTensors: [...locations.keys()].filter((n) => !needed.has(n)),
  };
  if (opts.tokenizer !== false) {
    const tokenizer = await loadHfTokenizer(dir);
    if (tokenizer) result.tokenizer = tokenizer;
  }
  const runPath = path.join(dir, RUN_CONFIG_FILE);
  if (existsSync(runPath)) result.runConfig = await readJson(runPath);
  return result;
}
