/**
 * Saves a model in the Hugging Face layout so `AutoModelForCausalLM.from_pretrained(dir)` opens it:
 * `config.json` (architectures, model_type, torch_dtype …), `model.safetensors` written by hand (or shards plus
 * `model.safetensors.index.json` when `maxShardBytes` is set), optionally our run config JSON and the tokenizer
 * files copied from another directory.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ModelConfig } from "../model/config.ts";
import { type ModelWeights, namedParameters } from "../model/weights.ts";
import { BYTES_PER_ELEMENT, type SafetensorsFloatDtype } from "./dtypes.ts";
import { hfConfigFromModel } from "./hf-config.ts";
import { RUN_CONFIG_FILE } from "./load-checkpoint.ts";
import { encodeSafetensors, type TensorToWrite } from "./safetensors.ts";

export interface SaveCheckpointOptions {
  /** Stored dtype (default F32). BF16/F16 round to nearest even. */
  dtype?: SafetensorsFloatDtype;
  /** Written as bupo_run_config.json beside the model (parsed config, seed, task id, git SHA …). */
  runConfig?: unknown;
  /** Copy tokenizer.json / tokenizer_config.json / special_tokens_map.json from this directory. */
  tokenizerDir?: string;
  /** Split weights into shards of at most this many data bytes (HF naming); default: one file. */
  maxShardBytes?: number;
}

const TORCH_DTYPE: Record<SafetensorsFloatDtype, string> = {
  F32: "float32",
  F16: "float16",
  BF16: "bfloat16",
};
const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

/** Groups tensors into consecutive shards of ≤ maxBytes (a single oversized tensor gets its own shard). */
function shard(tensors: TensorToWrite[], bytesPer: number, maxBytes: number): TensorToWrite[][] {
  const shards: TensorToWrite[][] = [[]];
  let size = 0;
  for (const t of tensors) {
    const bytes = t.data.length * bytesPer;
    const current = shards[shards.length - 1] as TensorToWrite[];
    if (current.length > 0 && size + bytes > maxBytes) {
      shards.push([t]);
      size = bytes;
    } else {
      current.push(t);
      size += bytes;
    }
  }
  return shards;
}

/** Writes the checkpoint; returns the list of files written (relative names). */
export async function saveHfCheckpoint(
  dir: string,
  weights: ModelWeights,
  config: ModelConfig,
  opts: SaveCheckpointOptions = {},
): Promise<string[]> {
  const dtype = opts.dtype ?? "F32";
  const hfConfig = { ...hfConfigFromModel(config), torch_dtype: TORCH_DTYPE[dtype] };
  await mkdir(dir, { recursive: true });
  const tensors: TensorToWrite[] = [];
  for (const p of namedParameters(weights, config)) {
    tensors.push({ name: p.name, shape: p.variable.shape, data: (await p.variable.data()) as Float32Array });
  }
  const written = ["config.json"];
  await writeFile(path.join(dir, "config.json"), `${JSON.stringify(hfConfig, null, 2)}\n`);
  if (opts.maxShardBytes === undefined) {
    await writeFile(path.join(dir, "model.safetensors"), encodeSafetensors(tensors, dtype));
    written.push("model.safetensors");
  } else {
    const shards = shard(tensors, BYTES_PER_ELEMENT[dtype], opts.maxShardBytes);
    const pad = (n: number) => String(n).padStart(5, "0");
    const weightMap: Record<string, string> = {};
    let totalSize = 0;
    for (const [i, group] of shards.entries()) {
      const name = `model-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`;
      await writeFile(path.join(dir, name), encodeSafetensors(group, dtype));
      written.push(name);
      for (const t of group) {
        weightMap[t.name] = name;
        totalSize += t.data.length * BYTES_PER_ELEMENT[dtype];
      }
    }
    const index = { metadata: { total_size: totalSize }, weight_map: weightMap };
    await writeFile(path.join(dir, "model.safetensors.index.json"), `${JSON.stringify(index, null, 2)}\n`);
    written.push("model.safetensors.index.json");
  }
  if (opts.runConfig !== undefined) {
    await writeFile(path.join(dir, RUN_CONFIG_FILE), `${JSON.stringify(opts.runConfig, null, 2)}\n`);
    written.push(RUN_CONFIG_FILE);
  }
  if (opts.tokenizerDir !== undefined) {
    for (const f of TOKENIZER_FILES) {
      const src = path.join(opts.tokenizerDir, f);
      if (existsSync(src)) {
        await copyFile(src, path.join(dir, f));
        written.push(f);
      }
    }
  }
  return written;
}
