/**
 * What a model folder holds, read without loading weights: config.json (architecture, family, dimensions),
 * the safetensors headers (parameter count from the shapes, stored dtypes), the files' size on disk, and
 * whether a tokenizer and a chat template are present. A folder this trainer cannot load is still described,
 * with the reason. Messages never carry the folder's absolute path.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { ModelFacts } from "@bupo/shared/model-library";
import { type HfConfigJson, modelConfigFromHf } from "../checkpoint/hf-config.ts";
import { CheckpointTensorReader } from "../checkpoint/tensor-reader.ts";
import type { ModelConfig } from "../model/config.ts";

/** Why well-known architectures this trainer does not implement are refused (prefix of the architecture). */
const KNOWN_UNSUPPORTED: [RegExp, string][] = [
  [/Moe|Mixtral|DeepseekV[23]/i, "mixture-of-experts layers (routed FFN experts) are not implemented"],
  [/^Mistral/, "Mistral uses sliding-window attention, which is not implemented"],
  [/^Gemma/, "Gemma (GeGLU, scaled embeddings, extra norms, soft-capping) is not implemented"],
  [/^Phi/, "Phi (partial rotary embeddings, dense biases) is not implemented"],
];

export interface ModelFolderFacts {
  facts: ModelFacts;
  /** Undefined when the trainer can load the folder, else why not. */
  unsupported?: string;
  sizeBytes: number;
  tokenizer: boolean;
  chatTemplate: boolean;
  /** The parsed config of a supported folder (for the memory estimate). */
  config?: ModelConfig;
  /** Bytes per stored weight element (largest dtype in the headers). */
  storedBytesPerElement: number;
}

const int = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) ? v : undefined;

/** The text-model part of a config (multimodal configs nest it under text_config). */
function textConfig(json: HfConfigJson): HfConfigJson {
  const nested = json.text_config;
  return typeof nested === "object" && nested !== null ? { ...json, ...(nested as HfConfigJson) } : json;
}

function architectureOf(json: HfConfigJson): string {
  const archs = Array.isArray(json.architectures) ? json.architectures : [];
  const first = archs.find((a): a is string => typeof a === "string");
  return (first ?? (typeof json.model_type === "string" ? json.model_type : "unknown")).slice(0, 200);
}

function unsupportedReason(architecture: string, error: unknown): string {
  const known = KNOWN_UNSUPPORTED.find(([pattern]) => pattern.test(architecture));
  if (known) return `${architecture}: ${known[1]}`;
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

async function readJson(file: string): Promise<HfConfigJson | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, "utf8"));
    return typeof value === "object" && value !== null ? (value as HfConfigJson) : undefined;
  } catch {
    return undefined;
  }
}

/** Files of the folder (hub snapshots are symlinks into blobs: stat follows them). */
async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    const s = await stat(path.join(dir, name)).catch(() => null);
    if (s?.isFile()) total += s.size;
  }
  return total;
}

/** Parameters and dtypes from the safetensors headers; the error names files relative to the folder. */
async function weightFacts(
  dir: string,
): Promise<{ parameters: number; dtypes: string[] } | { error: string }> {
  try {
    const reader = await CheckpointTensorReader.open(dir);
    try {
      let parameters = 0;
      const dtypes = new Set<string>();
      for (const name of reader.names()) {
        const t = reader.get(name);
        parameters += t.shape.reduce((a, b) => a * b, 1);
        dtypes.add(t.dtype);
      }
      return { parameters, dtypes: [...dtypes].sort() };
    } finally {
      await reader.close();
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { error: message.split(`${dir}${path.sep}`).join("").split(dir).join("the folder").slice(0, 500) };
  }
}

async function chatTemplateIn(dir: string): Promise<boolean> {
  if (existsSync(path.join(dir, "chat_template.jinja"))) return true;
  const tokenizerConfig = await readJson(path.join(dir, "tokenizer_config.json"));
  const template = tokenizerConfig?.chat_template;
  return typeof template === "string" || Array.isArray(template);
}

/** Describes the model folder `dir` (a real, resolved path). */
export async function describeModelFolder(dir: string): Promise<ModelFolderFacts> {
  const [sizeBytes, chatTemplate] = await Promise.all([folderSize(dir), chatTemplateIn(dir)]);
  const tokenizer = existsSync(path.join(dir, "tokenizer.json"));
  const base = { sizeBytes, tokenizer, chatTemplate };
  const json = await readJson(path.join(dir, "config.json"));
  if (json === undefined) {
    return {
      ...base,
      facts: { architecture: "unknown" },
      unsupported: "config.json is missing or not valid JSON",
      storedBytesPerElement: 2,
    };
  }
  const text = textConfig(json);
  const architecture = architectureOf(json);
  const heads = int(text.num_attention_heads);
  const weights = await weightFacts(dir);
  const facts: ModelFacts = {
    architecture,
    layers: int(text.num_hidden_layers),
    hiddenSize: int(text.hidden_size),
    heads,
    kvHeads: int(text.num_key_value_heads) ?? heads,
    vocabSize: int(text.vocab_size),
    ...("error" in weights ? {} : { parameters: weights.parameters, dtype: weights.dtypes.join("+") }),
  };
  const storedBytesPerElement = "error" in weights || !weights.dtypes.includes("F32") ? 2 : 4;
  let config: ModelConfig;
  try {
    config = modelConfigFromHf(json, "config.json");
  } catch (e) {
    return { ...base, facts, unsupported: unsupportedReason(architecture, e), storedBytesPerElement };
  }
  const withFamily = { ...facts, family: config.family };
  if ("error" in weights)
    return { ...base, facts: withFamily, unsupported: weights.error, storedBytesPerElement };
  return { ...base, facts: withFamily, config, storedBytesPerElement };
}
