/** Spec §9 B (modular entropy, telescoping, pooling) and the analysis memory contract. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { disposeForwardResult, forward, unembed } from "../model/forward.ts";
import { initWeights } from "../model/init-weights.ts";
import { rmsNorm } from "../model/layers.ts";
import { maxAbsDiff, perturb, toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights, namedParameters } from "../model/weights.ts";
import { entropyFromLogits } from "../tensor/fused-ops.ts";
import { analyzeInternalPolicies } from "./internal-policy.ts";
import { poolTokenMeans } from "./pooling.ts";

const config = toyConfig("qwen3");
/** Per-position entropy of W_U·x for x [1, T, d], computed directly. */
const H = (w: ReturnType<typeof initWeights>, x: tf.Tensor3D) =>
  tf.tidy(() => Array.from(entropyFromLogits(unembed(w, x)).dataSync()));

describe("analyzeInternalPolicies", () => {
  let weights: ReturnType<typeof initWeights>;
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
    weights = initWeights(config, 21);
    perturb(
      namedParameters(weights, config)
        .filter((p) => p.name.includes("norm"))
        .map((p) => p.variable),
      3,
      0.3,
    );
  });

  it("records match direct entropies of hidden states, module records and both heads (§2.2)", async () => {
    const L = config.numLayers;
    const tokens = toyTokens(1, 7, config.vocabSize)[0] as number[];
    const res = await analyzeInternalPolicies(weights, config, [tokens]);
    const s = res.samples[0];
    if (!s) throw new Error("no sample");
    expect(s.layerEntropy).toHaveLength(L + 1);
    expect(s.attnInputEntropy).toHaveLength(L);
    expect(s.layerEntropy[0]).toHaveLength(7);
    const out = forward(weights, config, [tokens], { collectHidden: true, collectModules: true });
    const hidden = out.hidden as tf.Tensor3D[];
    hidden.forEach((h, i) => {
      expect(maxAbsDiff(s.layerEntropy[i] ?? [], H(weights, h))).toBeLessThan(1e-5);
    });
    (out.modules ?? []).forEach((m, j) => {
      expect(maxAbsDiff(s.attnInputEntropy[j] ?? [], H(weights, m.attnIn))).toBeLessThan(1e-5);
      expect(maxAbsDiff(s.attnOutputEntropy[j] ?? [], H(weights, m.attnOut))).toBeLessThan(1e-5);
      expect(maxAbsDiff(s.ffnInputEntropy[j] ?? [], H(weights, m.ffnIn))).toBeLessThan(1e-5);
      expect(maxAbsDiff(s.ffnOutputEntropy[j] ?? [], H(weights, m.ffnOut))).toBeLessThan(1e-5);
      expect(s.deltaAttn[j]?.[3]).toBeCloseTo(
        (s.attnOutputEntropy[j]?.[3] ?? 0) - (s.attnInputEntropy[j]?.[3] ?? 0),
        6,
      );
      expect(s.deltaFfn[j]?.[3]).toBeCloseTo(
        (s.ffnOutputEntropy[j]?.[3] ?? 0) - (s.ffnInputEntropy[j]?.[3] ?? 0),
        6,
      );
    });
    const finalH = tf.tidy(() => Array.from(entropyFromLogits(out.logits).dataSync()));
    expect(maxAbsDiff(s.finalEntropy, finalH)).toBeLessThan(1e-5);
    // the layer-k internal policy π_k (repo k ↔ layerEntropy[k+1]) is what the analysis measures
    const pi0 = forward(weights, config, [tokens], { internalLayer: 0 });
    const pi0H = tf.tidy(() => Array.from(entropyFromLogits(pi0.internalLogits as tf.Tensor3D).dataSync()));
    expect(maxAbsDiff(s.layerEntropy[1] ?? [], pi0H)).toBeLessThan(1e-5);
    [out, pi0].forEach(disposeForwardResult);
  });

  it("ΔH_layer telescopes to H(W_U h_L) − H(W_U h_0); trueLastLayer ends at the true policy entropy", async () => {
    const L = config.numLayers;
    const tokens = toyTokens(1, 6, config.vocabSize, 2)[0] as number[];
    const out = forward(weights, config, [tokens], { collectHidden: true });
    const hidden = out.hidden as tf.Tensor3D[];
    const h0 = H(weights, hidden[0] as tf.Tensor3D);
    const hL = H(weights, hidden[L] as tf.Tensor3D);
    const finalH = tf.tidy(() => Array.from(entropyFromLogits(out.logits).dataSync()));
    disposeForwardResult(out);
    const sumDelta = (rows: number[][]) =>
      rows[0]?.map((_, t) => rows.reduce((acc, r) => acc + (r[t] as number), 0)) ?? [];
    const repo = (await analyzeInternalPolicies(weights, config, [tokens])).samples[0];
    const tru = (await analyzeInternalPolicies(weights, config, [tokens], { trueLastLayer: true }))
      .samples[0];
    if (!repo || !tru) throw new Error("no sample");
    expect(
      maxAbsDiff(
        sumDelta(repo.deltaLayer),
        hL.map((v, t) => v - (h0[t] as number)),
      ),
    ).toBeLessThan(1e-5);
    expect(
      maxAbsDiff(
        sumDelta(tru.deltaLayer),
        finalH.map((v, t) => v - (h0[t] as number)),
      ),
    ).toBeLessThan(1e-5);
    expect(tru.layerEntropy[L]).toEqual(tru.finalEntropy);
    expect(maxAbsDiff(repo.layerEntropy[L] ?? [], repo.finalEntropy)).toBeGreaterThan(1e-3); // raw h_L ≠ policy
    expect(repo.layerEntropy.slice(0, L)).toEqual(tru.layerEntropy.slice(0, L));
  });

  it("normed lens unembeds RMSNorm_final(h_i) for every layer", async () => {
    const tokens = toyTokens(1, 5, config.vocabSize, 3)[0] as number[];
    const res = await analyzeInternalPolicies(weights, config, [tokens], { lens: "normed" });
    const out = forward(weights, config, [tokens], { collectHidden: true });
    (out.hidden as tf.Tensor3D[]).forEach((h, i) => {
      const expected = tf.tidy(() => H(weights, rmsNorm(h, weights.norm, config.rmsNormEps)));
      expect(maxAbsDiff(res.samples[0]?.layerEntropy[i] ?? [], expected)).toBeLessThan(1e-5);
    });
    disposeForwardResult(out);
  });

  it("means pool response positions of all samples token-weighted (prompt excluded)", async () => {
    const samples = [
      toyTokens(1, 5, config.vocabSize, 4)[0] as number[],
      toyTokens(1, 9, config.vocabSize, 5)[0] as number[],
    ];
    const ranges = [{ start: 3 }, { start: 2, end: 8 }];
    const res = await analyzeInternalPolicies(weights, config, samples, { ranges });
    const [a, b] = res.samples;
    if (!a || !b) throw new Error("samples");
    const pooled = [...a.finalEntropy.slice(3), ...b.finalEntropy.slice(2, 8)];
    expect(res.means.tokenCount).toBe(8);
    expect(res.means.finalEntropy).toBeCloseTo(pooled.reduce((x, y) => x + y, 0) / pooled.length, 6);
    const perSample =
      (a.finalEntropy.slice(3).reduce((x, y) => x + y, 0) / 2 +
        b.finalEntropy.slice(2, 8).reduce((x, y) => x + y, 0) / 6) /
      2;
    expect(Math.abs(res.means.finalEntropy - perSample)).toBeGreaterThan(1e-6); // not a mean of means
    const ffn1 = [...(a.deltaFfn[1]?.slice(3) ?? []), ...(b.deltaFfn[1]?.slice(2, 8) ?? [])];
    expect(res.means.deltaFfn[1]).toBeCloseTo(ffn1.reduce((x, y) => x + y, 0) / ffn1.length, 6);
    expect(res.means.layerEntropy).toHaveLength(config.numLayers + 1);
    expect(poolTokenMeans([a], [{ start: 5 }]).tokenCount).toBe(0);
  });

  it("batching equal lengths gives the same numbers in the caller's order; no tensors leak", async () => {
    const samples = [
      ...toyTokens(3, 6, config.vocabSize, 6),
      [1, 2, 3],
      ...toyTokens(2, 6, config.vocabSize, 7),
    ];
    const one = await analyzeInternalPolicies(weights, config, samples, { batchSize: 1 });
    const before = tf.memory().numTensors;
    const many = await analyzeInternalPolicies(weights, config, samples, {
      batchSize: 16,
      maxChunkElements: 100,
    });
    await analyzeInternalPolicies(weights, config, samples);
    expect(tf.memory().numTensors).toBe(before);
    many.samples.forEach((s, n) => {
      expect(s.length).toBe(samples[n]?.length);
      expect(maxAbsDiff(s.layerEntropy.flat(), one.samples[n]?.layerEntropy.flat() ?? [])).toBeLessThan(1e-5);
      expect(maxAbsDiff(s.deltaFfn.flat(), one.samples[n]?.deltaFfn.flat() ?? [])).toBeLessThan(1e-5);
    });
    disposeWeights(initWeights(config, 1)); // sanity: creating and disposing weights is balanced
    expect(tf.memory().numTensors).toBe(before);
  });
});
