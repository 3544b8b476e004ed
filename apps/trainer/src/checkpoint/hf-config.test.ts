/** Real config.json files of released checkpoints parse into the right model (field values as published). */
import { describe, expect, it } from "vitest";
import { countParameters } from "../model/config.ts";
import { modelPreset } from "../model/presets.ts";
import { ropeInverseFrequencies } from "../model/rope.ts";
import { hfConfigFromModel, modelConfigFromHf } from "./hf-config.ts";

const QWEN3_0_6B = {
  architectures: ["Qwen3ForCausalLM"],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151645,
  head_dim: 128,
  hidden_act: "silu",
  hidden_size: 1024,
  initializer_range: 0.02,
  intermediate_size: 3072,
  max_position_embeddings: 40960,
  max_window_layers: 28,
  model_type: "qwen3",
  num_attention_heads: 16,
  num_hidden_layers: 28,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-6,
  rope_scaling: null,
  rope_theta: 1000000,
  sliding_window: null,
  tie_word_embeddings: true,
  torch_dtype: "bfloat16",
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

const QWEN2_5_0_5B = {
  architectures: ["Qwen2ForCausalLM"],
  bos_token_id: 151643,
  eos_token_id: 151643,
  hidden_act: "silu",
  hidden_size: 896,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  max_window_layers: 24,
  model_type: "qwen2",
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 32768,
  tie_word_embeddings: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

const LLAMA_3_2_1B = {
  architectures: ["LlamaForCausalLM"],
  attention_bias: false,
  bos_token_id: 128000,
  eos_token_id: 128001,
  head_dim: 64,
  hidden_act: "silu",
  hidden_size: 2048,
  intermediate_size: 8192,
  max_position_embeddings: 131072,
  mlp_bias: false,
  model_type: "llama",
  num_attention_heads: 32,
  num_hidden_layers: 16,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_scaling: {
    factor: 32.0,
    high_freq_factor: 4.0,
    low_freq_factor: 1.0,
    original_max_position_embeddings: 8192,
    rope_type: "llama3",
  },
  rope_theta: 500000.0,
  tie_word_embeddings: true,
  vocab_size: 128256,
};

describe("HF config.json", () => {
  it("parses Qwen3-0.6B, Qwen2.5-0.5B and Llama-3.2-1B with their published parameter counts", () => {
    const q3 = modelConfigFromHf(QWEN3_0_6B);
    expect(q3).toMatchObject({
      family: "qwen3",
      headDim: 128,
      numKvHeads: 8,
      qkNorm: true,
      attentionBias: false,
      tieWordEmbeddings: true,
    });
    expect(countParameters(q3)).toBe(596_049_920);
    const q2 = modelConfigFromHf(QWEN2_5_0_5B);
    expect(q2).toMatchObject({ family: "qwen2", headDim: 64, attentionBias: true, qkNorm: false });
    expect(countParameters(q2)).toBe(494_032_768);
    const ll = modelConfigFromHf(LLAMA_3_2_1B);
    expect(ll).toMatchObject({ family: "llama", ropeTheta: 500000, rmsNormEps: 1e-5, eosTokenId: 128001 });
    expect(countParameters(ll)).toBe(1_235_814_400);
  });

  it("applies Llama-3 RoPE scaling: high frequencies kept, low divided by factor, middle interpolated", () => {
    const ll = modelConfigFromHf(LLAMA_3_2_1B);
    const plain = ropeInverseFrequencies({ ...ll, ropeScaling: null });
    const scaled = ropeInverseFrequencies(ll);
    expect(scaled[0]).toBe(plain[0]); // wavelen 2π < 8192/4
    expect(scaled[31]).toBeCloseTo((plain[31] as number) / 32, 12); // wavelen ≫ 8192
    const mid = Array.from(plain).findIndex((f) => {
      const wl = (2 * Math.PI) / f;
      return wl > 2048 && wl < 8192;
    });
    expect(mid).toBeGreaterThan(0);
    expect(scaled[mid]).toBeLessThan(plain[mid] as number);
    expect(scaled[mid]).toBeGreaterThan((plain[mid] as number) / 32);
  });

  it("round-trips our presets and refuses configs transformers would compute differently", () => {
    for (const family of ["qwen3", "qwen2", "llama"] as const) {
      const c = modelPreset("tiny", family, 64);
      expect(modelConfigFromHf(hfConfigFromModel(c))).toEqual(c);
    }
    expect(() => hfConfigFromModel(modelPreset("tiny", "qwen2", 64, { attentionBias: false }))).toThrow(
      /attentionBias must be true/,
    );
    expect(() => hfConfigFromModel(modelPreset("tiny", "llama", 64, { qkNorm: true }))).toThrow(
      /qkNorm must be false/,
    );
    expect(() => modelConfigFromHf({ ...QWEN3_0_6B, use_sliding_window: true })).toThrow(
      /use_sliding_window/,
    );
    expect(() =>
      modelConfigFromHf({ ...LLAMA_3_2_1B, rope_scaling: { rope_type: "yarn", factor: 4 } }),
    ).toThrow(/rope_scaling type yarn/);
    expect(() => modelConfigFromHf({ model_type: "gpt2" })).toThrow(/unsupported model_type gpt2/);
  });
});
