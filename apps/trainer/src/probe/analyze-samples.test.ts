/** Chunked analysis pools exactly like one call over all samples (§3.2); cancels between chunks; no leaks. */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeInternalPolicies } from "../analysis/internal-policy.ts";
import { PooledStates } from "../analysis/pooled-states.ts";
import { initBackend } from "../backend/index.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { analyzeSamples } from "./analyze-samples.ts";
import { ProbeAbortedError } from "./input-error.ts";
import type { ProbeSample } from "./samples.ts";

const config = toyConfig("qwen3");
let weights: ReturnType<typeof initWeights>;
beforeAll(async () => {
  await initBackend({ prefer: "cpu" });
  weights = initWeights(config, 3);
});
afterAll(() => disposeWeights(weights));

// Three lengths, ranges of different sizes (one empty).
const samples: ProbeSample[] = [
  { tokens: toyTokens(1, 6, config.vocabSize, 1)[0] as number[], range: [2, 6] },
  { tokens: toyTokens(1, 4, config.vocabSize, 2)[0] as number[], range: [1, 4] },
  { tokens: toyTokens(1, 6, config.vocabSize, 3)[0] as number[], range: [6, 6] },
  { tokens: toyTokens(1, 5, config.vocabSize, 4)[0] as number[], range: [0, 5] },
];

describe("analyzeSamples", () => {
  it("chunks of 1 give the same token-weighted means as one analyzeInternalPolicies call", async () => {
    const opts = { lens: "raw" as const, trueLastLayer: false };
    const ranges = samples.map((s) => ({ start: s.range[0], end: s.range[1] }));
    const before = tf.memory().numTensors;
    const chunked = await analyzeSamples({ config, weights }, samples, { ...opts, chunkSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const whole = await analyzeInternalPolicies(
      weights,
      config,
      samples.map((s) => s.tokens),
      { ...opts, ranges },
    );
    expect(chunked.means.tokenCount).toBe(4 + 3 + 0 + 5);
    expect(chunked.means.tokenCount).toBe(whole.means.tokenCount);
    const close = (a: number[], b: number[]) => {
      expect(a).toHaveLength(b.length);
      for (const [i, v] of a.entries()) expect(v).toBeCloseTo(b[i] as number, 5);
    };
    close(chunked.means.layerEntropy, whole.means.layerEntropy);
    close(chunked.means.deltaFfn, whole.means.deltaFfn);
    close(chunked.means.attnInputEntropy, whole.means.attnInputEntropy);
    expect(chunked.means.finalEntropy).toBeCloseTo(whole.means.finalEntropy, 5);
    expect(chunked.samples.map((s) => s.length)).toEqual([6, 4, 6, 5]);
    // representation similarity spans the chunks too (issue 15): same as one collector over one call
    const pooled = new PooledStates(
      config.numLayers + 1,
      samples.map((s) => s.tokens.length),
      ranges,
    );
    await analyzeInternalPolicies(
      weights,
      config,
      samples.map((s) => s.tokens),
      { ...opts, ranges, pooledStates: { into: pooled } },
    );
    const one = await pooled.similarityToTop();
    expect(chunked.similarity?.numTokens).toBe(12);
    close(chunked.similarity?.cka ?? [], one?.cka ?? [0]);
    close(chunked.similarity?.cosine ?? [], one?.cosine ?? [0]);
  });

  it("stops between chunks once the signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      analyzeSamples({ config, weights }, samples, {
        lens: "raw",
        trueLastLayer: false,
        signal: controller.signal,
      }),
    ).rejects.toThrow(ProbeAbortedError);
  });
});
