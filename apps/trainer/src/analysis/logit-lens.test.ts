import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { parseModelConfig } from "../model/config.ts";
import { forward } from "../model/forward.ts";
import { initWeights } from "../model/init-weights.ts";
import { familyDefaults } from "../model/presets.ts";
import { argMax } from "../model/sampling.ts";
import { toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { analyzeInternalPolicies } from "./internal-policy.ts";
import { logitLens } from "./logit-lens.ts";

describe("logitLens", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
  });
  afterAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  it("returns a [L+1][positions] grid of sorted top-k; true last row = model argmax; no leaks", async () => {
    const config = toyConfig("llama");
    const weights = initWeights(config, 8);
    const tokens = toyTokens(1, 6, config.vocabSize)[0] as number[];
    const before = tf.memory().numTensors;
    const grid = await logitLens(weights, config, tokens, {
      topK: 3,
      positions: [1, 4, 5],
      trueLastLayer: true,
    });
    await logitLens(weights, config, tokens, { lens: "normed" });
    expect(tf.memory().numTensors).toBe(before);
    expect(grid.cells).toHaveLength(config.numLayers + 1);
    expect(grid.cells[0]).toHaveLength(3);
    const out = forward(weights, config, [tokens]);
    const logits = out.logits.dataSync();
    out.logits.dispose();
    const V = config.vocabSize;
    grid.positions.forEach((p, j) => {
      const cell = grid.cells[config.numLayers]?.[j];
      expect(cell?.tokenIds[0]).toBe(argMax(logits.subarray(p * V, (p + 1) * V)));
      expect(cell?.probs[0]).toBeGreaterThanOrEqual(cell?.probs[1] ?? 0);
      expect(cell?.tokenIds).toHaveLength(3);
    });
    disposeWeights(weights);
  });

  it("handles a real Qwen3-size vocabulary (V = 151,936) without materialising [layers × tokens × V]", async () => {
    await initBackend({ prefer: "wasm" });
    const V = 151_936;
    const config = parseModelConfig({
      family: "qwen3",
      vocabSize: V,
      hiddenSize: 16,
      numLayers: 2,
      numHeads: 2,
      numKvHeads: 1,
      headDim: 8,
      intermediateSize: 32,
      maxPositionEmbeddings: 64,
      ...familyDefaults("qwen3"),
    });
    const weights = initWeights(config, 1);
    const T = 16;
    const tokens = Array.from({ length: T }, (_, t) => (t * 9973) % V);
    const before = tf.memory();
    let analysis: Awaited<ReturnType<typeof analyzeInternalPolicies>> | undefined;
    const profile = await tf.profile(async () => {
      analysis = await analyzeInternalPolicies(weights, config, [tokens], { maxChunkElements: 2 * V });
    });
    const layerStatesBytes = (config.numLayers + 1) * T * V * 4;
    expect(profile.peakBytes - before.numBytes).toBeLessThan(layerStatesBytes);
    const s = analysis?.samples[0];
    expect(s?.layerEntropy).toHaveLength(3);
    for (const h of s?.finalEntropy ?? []) {
      expect(h).toBeGreaterThan(0);
      expect(h).toBeLessThanOrEqual(Math.log(V) + 1e-3);
    }
    const grid = await logitLens(weights, config, tokens.slice(0, 4), { topK: 2, maxChunkElements: V });
    expect(grid.cells[2]?.[3]?.tokenIds).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    disposeWeights(weights);
  });
});
