import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { countParameters } from "./config.ts";
import { forward } from "./forward.ts";
import { initWeights } from "./init-weights.ts";
import { modelPreset } from "./presets.ts";
import { read, toyConfig, toyTokens } from "./test-utils/toy.ts";
import { disposeWeights, namedParameters, weightSpecs } from "./weights.ts";

describe("weights", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  it("presets have the documented sizes for every family", () => {
    for (const family of ["qwen3", "qwen2", "llama"] as const) {
      const tiny = countParameters(modelPreset("tiny", family, 64));
      const small = countParameters(modelPreset("small", family, 64));
      const medium = countParameters(modelPreset("medium", family, 64));
      expect(tiny).toBeGreaterThan(0.9e6);
      expect(tiny).toBeLessThan(1.1e6);
      expect(small).toBeGreaterThan(3.8e6);
      expect(small).toBeLessThan(4.3e6);
      expect(medium).toBeGreaterThan(5.8e6);
      expect(medium).toBeLessThan(6.4e6);
    }
    expect(modelPreset("tiny", "qwen3", 64)).toMatchObject({
      qkNorm: true,
      tieWordEmbeddings: true,
      ropeTheta: 1e6,
    });
    expect(modelPreset("tiny", "qwen2", 64)).toMatchObject({ attentionBias: true, qkNorm: false });
    expect(modelPreset("tiny", "llama", 64)).toMatchObject({ tieWordEmbeddings: false, ropeTheta: 5e5 });
  });

  it("initWeights is seeded, creates exactly one tensor per variable and disposes cleanly", () => {
    const config = toyConfig("qwen2");
    const before = tf.memory().numTensors;
    const a = initWeights(config, 42);
    const named = namedParameters(a, config);
    expect(tf.memory().numTensors - before).toBe(named.length); // no leftover init copies
    const total = named.reduce((s, p) => s + p.variable.size, 0);
    expect(total).toBe(countParameters(config));
    const b = initWeights(config, 42);
    const c = initWeights(config, 43);
    expect(Array.from(read(b.layers[1]?.mlp.upProj as tf.Tensor))).toEqual(
      Array.from(read(a.layers[1]?.mlp.upProj as tf.Tensor)),
    );
    expect(read(c.embedTokens)[0]).not.toBe(read(a.embedTokens)[0]);
    [a, b, c].forEach(disposeWeights);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names and shapes follow the Hugging Face state dict ([out, in] linears; lm_head only when untied)", () => {
    const q3 = toyConfig("qwen3");
    const names = weightSpecs(q3).map((s) => s.name);
    expect(names).toContain("model.layers.0.self_attn.q_norm.weight");
    expect(names).not.toContain("lm_head.weight");
    expect(names.filter((n) => n.endsWith(".bias"))).toEqual([]);
    const spec = (c: typeof q3, n: string) => weightSpecs(c).find((s) => s.name === n)?.shape;
    expect(spec(q3, "model.layers.2.self_attn.k_proj.weight")).toEqual([2 * 8, 32]);
    expect(spec(q3, "model.layers.2.self_attn.o_proj.weight")).toEqual([32, 4 * 8]);
    expect(spec(q3, "model.layers.2.mlp.down_proj.weight")).toEqual([32, 64]);
    const q2 = toyConfig("qwen2");
    expect(spec(q2, "model.layers.0.self_attn.v_proj.bias")).toEqual([16]);
    const llama = toyConfig("llama");
    expect(spec(llama, "lm_head.weight")).toEqual([37, 32]);
    const w = initWeights(llama, 1);
    expect(namedParameters(w, llama).map((p) => p.name)).toEqual(weightSpecs(llama).map((s) => s.name));
    disposeWeights(w);
  });

  it("gradient through internalLogits(k) reaches E, layers 0..k and W_U only; through logits everything", () => {
    for (const family of ["qwen3", "llama"] as const) {
      const config = toyConfig(family);
      const weights = initWeights(config, 2);
      const named = namedParameters(weights, config);
      const hfName = new Map(named.map((p) => [p.variable.name, p.name]));
      const ids = toyTokens(2, 5, config.vocabSize);
      const k = 0;
      const gradNames = (useInternal: boolean) => {
        const { grads, value } = tf.variableGrads(
          () => {
            const out = forward(weights, config, ids, { internalLayer: k });
            const z = useInternal ? (out.internalLogits as tf.Tensor3D) : out.logits;
            return tf.mean(tf.logSoftmax(z)) as tf.Scalar;
          },
          named.map((p) => p.variable),
        );
        const nonZero = Object.entries(grads)
          .filter(([, g]) => tf.tidy(() => g.abs().max().dataSync()[0] as number) > 0)
          .map(([n]) => hfName.get(n) as string);
        tf.dispose([value, ...Object.values(grads)]);
        return nonZero.sort();
      };
      const internal = gradNames(true);
      const expected = named
        .map((p) => p.name)
        .filter(
          (n) =>
            n === "model.embed_tokens.weight" || n === "lm_head.weight" || n.startsWith(`model.layers.${k}.`),
        )
        .sort();
      expect(internal).toEqual(expected);
      expect(gradNames(false)).toEqual(named.map((p) => p.name).sort());
      disposeWeights(weights);
    }
  });
});
