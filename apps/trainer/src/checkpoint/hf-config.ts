/**
 * Hugging Face `config.json` ⇄ {@link ModelConfig} for Qwen3ForCausalLM, Qwen2ForCausalLM and LlamaForCausalLM.
 * Defaults for absent fields are those of the transformers config classes. Anything this model cannot represent
 * (o_proj / MLP bias, sliding-window attention, other activations or RoPE types) is rejected with a clear error.
 */
import type { ModelConfig, ModelFamily } from "../model/config.ts";
import { parseModelConfig } from "../model/config.ts";

export const ARCHITECTURES: Record<ModelFamily, string> = {
  qwen3: "Qwen3ForCausalLM",
  qwen2: "Qwen2ForCausalLM",
  llama: "LlamaForCausalLM",
};

/** The subset of HF config fields we read or write. */
export type HfConfigJson = Record<string, unknown>;

function familyOf(json: HfConfigJson, source: string): ModelFamily {
  const archs = Array.isArray(json.architectures) ? (json.architectures as string[]) : [];
  const supported = Object.entries(ARCHITECTURES);
  if (archs.length > 0) {
    const hit = supported.find(([, a]) => archs.includes(a));
    if (hit) return hit[0] as ModelFamily;
    throw new Error(
      `${source}: unsupported architecture ${archs.join(", ")}; supported: ${Object.values(ARCHITECTURES).join(", ")}`,
    );
  }
  const type = json.model_type;
  if (type === "qwen3" || type === "qwen2" || type === "llama") return type;
  throw new Error(`${source}: unsupported model_type ${String(type)}; supported: qwen3, qwen2, llama`);
}

function num(json: HfConfigJson, key: string, source: string, fallback?: number): number {
  const v = json[key];
  if (typeof v === "number") return v;
  if (fallback !== undefined && (v === undefined || v === null)) return fallback;
  throw new Error(`${source}: config field ${key} is missing or not a number`);
}

function firstId(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (Array.isArray(v) && typeof v[0] === "number") return v[0];
  return null;
}

/** Parses an HF config.json object. `source` names the file in error messages. */
export function modelConfigFromHf(json: HfConfigJson, source = "config.json"): ModelConfig {
  const family = familyOf(json, source);
  const unsupported = (what: string) =>
    new Error(`${source}: unsupported ${what} for ${ARCHITECTURES[family]}`);
  const act = json.hidden_act ?? "silu";
  if (act !== "silu") throw unsupported(`hidden_act ${String(act)}`);
  if (family !== "qwen2" && json.attention_bias === true)
    throw unsupported("attention_bias=true (o_proj bias)");
  if (json.mlp_bias === true) throw unsupported("mlp_bias=true");
  if (json.use_sliding_window === true) throw unsupported("use_sliding_window=true");
  const hiddenSize = num(json, "hidden_size", source);
  const numHeads = num(json, "num_attention_heads", source);
  let ropeScaling: ModelConfig["ropeScaling"] = null;
  const rs = json.rope_scaling as Record<string, unknown> | null | undefined;
  if (rs !== null && rs !== undefined) {
    const type = rs.rope_type ?? rs.type;
    if (type === "llama3") {
      ropeScaling = {
        type: "llama3",
        factor: num(rs, "factor", `${source} rope_scaling`),
        lowFreqFactor: num(rs, "low_freq_factor", `${source} rope_scaling`),
        highFreqFactor: num(rs, "high_freq_factor", `${source} rope_scaling`),
        originalMaxPositionEmbeddings: num(rs, "original_max_position_embeddings", `${source} rope_scaling`),
      };
    } else if (type !== "default") throw unsupported(`rope_scaling type ${String(type)}`);
  }
  return parseModelConfig({
    family,
    vocabSize: num(json, "vocab_size", source),
    hiddenSize,
    numLayers: num(json, "num_hidden_layers", source),
    numHeads,
    numKvHeads: num(json, "num_key_value_heads", source, numHeads),
    headDim: num(json, "head_dim", source, hiddenSize / numHeads),
    intermediateSize: num(json, "intermediate_size", source),
    ropeTheta: num(json, "rope_theta", source, 10000),
    ropeScaling,
    rmsNormEps: num(json, "rms_norm_eps", source, 1e-6),
    tieWordEmbeddings: json.tie_word_embeddings === true,
    attentionBias: family === "qwen2",
    qkNorm: family === "qwen3",
    maxPositionEmbeddings: num(json, "max_position_embeddings", source, 2048),
    initializerRange: num(json, "initializer_range", source, 0.02),
    bosTokenId: firstId(json.bos_token_id),
    eosTokenId: firstId(json.eos_token_id),
  });
}

/** Throws unless transformers' class for `c.family` computes exactly what our model computes for `c`. */
export function assertHfCompatible(c: ModelConfig): void {
  const arch = ARCHITECTURES[c.family];
  const problems: string[] = [];
  if (c.attentionBias !== (c.family === "qwen2"))
    problems.push(`attentionBias must be ${c.family === "qwen2"}`);
  if (c.qkNorm !== (c.family === "qwen3")) problems.push(`qkNorm must be ${c.family === "qwen3"}`);
  if (c.family === "qwen2" && c.headDim * c.numHeads !== c.hiddenSize)
    problems.push("headDim must equal hiddenSize / numHeads");
  if (c.ropeScaling !== null && c.family !== "llama")
    problems.push("ropeScaling (llama3) is only written for llama");
  if (problems.length > 0) throw new Error(`config cannot be saved as ${arch}: ${problems.join("; ")}`);
}

/** HF config.json for `c` (float32 weights). */
export function hfConfigFromModel(c: ModelConfig, transformersVersion = "4.56.0"): HfConfigJson {
  assertHfCompatible(c);
  const base: HfConfigJson = {
    architectures: [ARCHITECTURES[c.family]],
    model_type: c.family,
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKvHeads,
    head_dim: c.headDim,
    hidden_act: "silu",
    max_position_embeddings: c.maxPositionEmbeddings,
    initializer_range: c.initializerRange,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    rope_scaling:
      c.ropeScaling === null
        ? null
        : {
            rope_type: "llama3",
            factor: c.ropeScaling.factor,
            low_freq_factor: c.ropeScaling.lowFreqFactor,
            high_freq_factor: c.ropeScaling.highFreqFactor,
            original_max_position_embeddings: c.ropeScaling.originalMaxPositionEmbeddings,
          },
    tie_word_embeddings: c.tieWordEmbeddings,
    attention_dropout: 0.0,
    use_cache: true,
    bos_token_id: c.bosTokenId,
    eos_token_id: c.eosTokenId,
    torch_dtype: "float32",
    transformers_version: transformersVersion,
  };
  if (c.family === "llama") return { ...base, attention_bias: false, mlp_bias: false, pretraining_tp: 1 };
  const sliding = { use_sliding_window: false, sliding_window: null, max_window_layers: c.numLayers };
  return c.family === "qwen3" ? { ...base, attention_bias: false, ...sliding } : { ...base, ...sliding };
}
