/** Spec §9 A (internal policy definition) and §2.2 module records, on toy models. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import type { ModelFamily } from "./config.ts";
import { disposeForwardResult, forward, unembed } from "./forward.ts";
import { initWeights } from "./init-weights.ts";
import { rmsNorm } from "./layers.ts";
import { naiveForward } from "./test-utils/naive-forward.ts";
import { bitEqual, maxAbsDiff, perturb, read, toyConfig, toyTokens } from "./test-utils/toy.ts";
import { disposeWeights, namedParameters } from "./weights.ts";

const FAMILIES: ModelFamily[] = ["qwen3", "qwen2", "llama"];

/** Weights with non-trivial norms and biases so every code path matters. */
function toyModel(family: ModelFamily, seed = 1) {
  const config = toyConfig(family);
  const weights = initWeights(config, seed);
  const named = namedParameters(weights, config);
  perturb(
    named.filter((p) => /norm|bias/.test(p.name)).map((p) => p.variable),
    seed,
  );
  return { config, weights };
}

describe("forward", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  for (const backend of ["cpu", "wasm"] as const) {
    for (const family of FAMILIES) {
      it(`${family} on ${backend} matches the naive transformers-style oracle`, async () => {
        await initBackend({ prefer: backend });
        const { config, weights } = toyModel(family);
        const tokens = toyTokens(1, 7, config.vocabSize)[0] as number[];
        const ref = naiveForward(weights, config, tokens);
        const out = forward(weights, config, [tokens], { collectHidden: true });
        expect(maxAbsDiff(read(out.logits), ref.logits.flat())).toBeLessThan(2e-4);
        expect(
          maxAbsDiff(
            read(out.hidden?.[config.numLayers] as tf.Tensor),
            ref.hidden[config.numLayers]?.flat() ?? [],
          ),
        ).toBeLessThan(2e-4);
        disposeForwardResult(out);
        disposeWeights(weights);
        await initBackend({ prefer: "cpu" });
      });
    }
  }

  it("A1: hidden has L+1 raw entries; hiddenStates is the transformers tuple (last entry final-normed)", () => {
    const { config, weights } = toyModel("qwen3");
    const L = config.numLayers;
    const ids = toyTokens(2, 5, config.vocabSize);
    const out = forward(weights, config, ids, { collectHidden: true });
    const hidden = out.hidden as tf.Tensor3D[];
    const states = out.hiddenStates as tf.Tensor3D[];
    expect(hidden).toHaveLength(L + 1);
    expect(states).toHaveLength(L + 1);
    const emb = tf.gather(weights.embedTokens, tf.tensor1d(ids.flat(), "int32"));
    expect(bitEqual(read(hidden[0] as tf.Tensor), read(emb))).toBe(true);
    for (let i = 0; i < L; i++) expect(states[i]).toBe(hidden[i]);
    const normed = rmsNorm(hidden[L] as tf.Tensor3D, weights.norm, config.rmsNormEps);
    expect(bitEqual(read(states[L] as tf.Tensor), read(normed))).toBe(true);
    tf.dispose([emb, normed]);
    disposeForwardResult(out);
    disposeWeights(weights);
  });

  it("A1: internalLogits(L−1) equals the model logits bit for bit", () => {
    for (const family of FAMILIES) {
      const { config, weights } = toyModel(family);
      const ids = toyTokens(2, 6, config.vocabSize);
      const plain = forward(weights, config, ids);
      const out = forward(weights, config, ids, { internalLayer: config.numLayers - 1 });
      expect(out.internalLogits).toBe(out.logits); // the same tensor, not a recomputation
      expect(bitEqual(read(out.internalLogits as tf.Tensor), read(plain.logits))).toBe(true);
      // applyFinalNorm is irrelevant at k = L−1
      const normed = forward(weights, config, ids, {
        internalLayer: config.numLayers - 1,
        applyFinalNorm: true,
      });
      expect(bitEqual(read(normed.internalLogits as tf.Tensor), read(plain.logits))).toBe(true);
      [plain, out, normed].forEach(disposeForwardResult);
      disposeWeights(weights);
    }
  });

  it("A2: internalLogits(k < L−1) == W_U · h_{k+1} raw (and normed lens with applyFinalNorm); tied W_U is E", () => {
    for (const family of FAMILIES) {
      const { config, weights } = toyModel(family);
      if (config.tieWordEmbeddings) expect(weights.lmHead).toBe(weights.embedTokens);
      else expect(weights.lmHead).not.toBe(weights.embedTokens);
      const ids = toyTokens(2, 6, config.vocabSize);
      for (let k = 0; k < config.numLayers - 1; k++) {
        const out = forward(weights, config, ids, { internalLayer: k, collectHidden: true });
        const h = (out.hidden as tf.Tensor3D[])[k + 1] as tf.Tensor3D;
        const expected = tf.matMul(h.reshape([-1, config.hiddenSize]), weights.lmHead, false, true);
        expect(maxAbsDiff(read(out.internalLogits as tf.Tensor), read(expected))).toBeLessThan(1e-6);
        const lens = forward(weights, config, ids, { internalLayer: k, applyFinalNorm: true });
        const normedExp = unembed(weights, rmsNorm(h, weights.norm, config.rmsNormEps));
        expect(maxAbsDiff(read(lens.internalLogits as tf.Tensor), read(normedExp))).toBeLessThan(1e-6);
        tf.dispose([expected, normedExp]);
        disposeForwardResult(out);
        disposeForwardResult(lens);
      }
      disposeWeights(weights);
    }
  });

  it("A3: residual and logit additivity h_l = h_0 + Σ(a_i + f_i), W_U h_l = W_U h_0 + Σ(W_U a_i + W_U f_i)", () => {
    const { config, weights } = toyModel("llama");
    const out = forward(weights, config, toyTokens(2, 5, config.vocabSize), {
      collectHidden: true,
      collectModules: true,
    });
    const hidden = out.hidden as tf.Tensor3D[];
    const mods = out.modules ?? [];
    for (let l = 1; l <= config.numLayers; l++) {
      tf.tidy(() => {
        let sum: tf.Tensor3D = hidden[0] as tf.Tensor3D;
        let logitSum = unembed(weights, hidden[0] as tf.Tensor3D);
        for (let i = 0; i < l; i++) {
          const m = mods[i];
          if (!m) throw new Error("missing module record");
          sum = sum.add(m.attnOut).add(m.ffnOut);
          logitSum = logitSum.add(unembed(weights, m.attnOut)).add(unembed(weights, m.ffnOut));
        }
        expect(maxAbsDiff(read(hidden[l] as tf.Tensor), read(sum))).toBeLessThan(1e-5);
        expect(maxAbsDiff(read(unembed(weights, hidden[l] as tf.Tensor3D)), read(logitSum))).toBeLessThan(
          1e-4,
        );
      });
    }
    disposeForwardResult(out);
    disposeWeights(weights);
  });

  it("A4: softmax of internal logits sums to 1 per position", () => {
    const { config, weights } = toyModel("qwen3");
    const out = forward(weights, config, toyTokens(2, 5, config.vocabSize), { internalLayer: 0 });
    const sums = tf.tidy(() => tf.exp(tf.logSoftmax(out.internalLogits as tf.Tensor3D)).sum(-1));
    for (const s of read(sums)) expect(s).toBeCloseTo(1, 5);
    sums.dispose();
    disposeForwardResult(out);
    disposeWeights(weights);
  });

  it("A5: temperature divides both the internal and the final logits", () => {
    const { config, weights } = toyModel("qwen2");
    const ids = toyTokens(2, 5, config.vocabSize);
    const base = forward(weights, config, ids, { internalLayer: 1 });
    const hot = forward(weights, config, ids, { internalLayer: 1, temperature: 2.5 });
    const div = (t: tf.Tensor) => read(t).map((v) => v / 2.5);
    expect(maxAbsDiff(read(hot.logits), div(base.logits))).toBeLessThan(1e-6);
    expect(
      maxAbsDiff(read(hot.internalLogits as tf.Tensor), div(base.internalLogits as tf.Tensor)),
    ).toBeLessThan(1e-6);
    const last = forward(weights, config, ids, { internalLayer: config.numLayers - 1, temperature: 2.5 });
    expect(last.internalLogits).toBe(last.logits);
    [base, hot, last].forEach(disposeForwardResult);
    disposeWeights(weights);
  });

  it("B6: module records are exactly spec §2.2 (normed inputs, module outputs alone)", () => {
    const { config, weights } = toyModel("qwen3");
    const out = forward(weights, config, toyTokens(2, 5, config.vocabSize), {
      collectHidden: true,
      collectModules: true,
    });
    const hidden = out.hidden as tf.Tensor3D[];
    (out.modules ?? []).forEach((m, l) => {
      const lw = weights.layers[l];
      if (!lw) throw new Error("layer");
      tf.tidy(() => {
        const hPrev = hidden[l] as tf.Tensor3D;
        const u = rmsNorm(hPrev, lw.inputLayernorm, config.rmsNormEps);
        expect(bitEqual(read(m.attnIn), read(u))).toBe(true);
        const v = rmsNorm(hPrev.add(m.attnOut), lw.postAttentionLayernorm, config.rmsNormEps);
        expect(maxAbsDiff(read(m.ffnIn), read(v))).toBeLessThan(1e-6);
        expect(maxAbsDiff(read(hidden[l + 1] as tf.Tensor), read(hPrev.add(m.attnOut).add(m.ffnOut)))).toBe(
          0,
        );
      });
    });
    disposeForwardResult(out);
    disposeWeights(weights);
  });

  it("is causal and left padding with attentionMask reproduces the unpadded row", () => {
    const { config, weights } = toyModel("qwen2");
    const row = toyTokens(1, 6, config.vocabSize)[0] as number[];
    const changed = [...row.slice(0, 5), ((row[5] as number) + 1) % config.vocabSize];
    const a = forward(weights, config, [row]);
    const b = forward(weights, config, [changed]);
    const V = config.vocabSize;
    expect(bitEqual(read(a.logits).slice(0, 5 * V), read(b.logits).slice(0, 5 * V))).toBe(true);
    const padded = forward(weights, config, [[0, 0, ...row]], { attentionMask: [[0, 0, 1, 1, 1, 1, 1, 1]] });
    expect(maxAbsDiff(read(padded.logits).slice(2 * V), read(a.logits))).toBeLessThan(1e-5);
    [a, b, padded].forEach(disposeForwardResult);
    disposeWeights(weights);
  });

  it("keeps tf.memory().numTensors constant across repeated forward calls", () => {
    const { config, weights } = toyModel("qwen3");
    const ids = toyTokens(2, 5, config.vocabSize);
    const run = () =>
      disposeForwardResult(
        forward(weights, config, ids, { internalLayer: 0, collectHidden: true, collectModules: true }),
      );
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    const inTidy = tf.tidy(() => forward(weights, config, ids).logits);
    expect(tf.memory().numTensors).toBe(before + 1);
    inTidy.dispose();
    disposeWeights(weights);
  });

  it("rejects an out-of-range internalLayer", () => {
    const { config, weights } = toyModel("qwen3");
    const before = tf.memory().numTensors;
    expect(() => forward(weights, config, [[1, 2]], { internalLayer: config.numLayers })).toThrow(
      /internalLayer/,
    );
    expect(tf.memory().numTensors).toBe(before);
    disposeWeights(weights);
  });
});
