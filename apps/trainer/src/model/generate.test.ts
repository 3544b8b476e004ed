import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { nextTokenLogProbs } from "../tensor/log-probs.ts";
import { forward } from "./forward.ts";
import { generate } from "./generate.ts";
import { initWeights } from "./init-weights.ts";
import { argMax, createRng, sampleFromLogProbs } from "./sampling.ts";
import { maxAbsDiff, read, toyConfig, toyTokens } from "./test-utils/toy.ts";
import { disposeWeights } from "./weights.ts";

describe("generate", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  it("KV-cache greedy equals no-cache greedy, also with left-padded prompts of different lengths", async () => {
    for (const family of ["qwen3", "llama"] as const) {
      const config = toyConfig(family);
      const weights = initWeights(config, 3);
      const prompts = [...toyTokens(2, 5, config.vocabSize), [4, 9, 1]];
      const opts = { maxNewTokens: 8, temperature: 0 };
      const cached = await generate(weights, config, prompts, opts);
      const uncached = await generate(weights, config, prompts, { ...opts, useKvCache: false });
      expect(cached.tokens).toEqual(uncached.tokens);
      expect(maxAbsDiff(cached.logProbs.flat(), uncached.logProbs.flat())).toBeLessThan(1e-5);
      // the padded short row samples what it samples alone
      const alone = await generate(weights, config, [[4, 9, 1]], opts);
      expect(alone.tokens[0]).toEqual(cached.tokens[2]);
      disposeWeights(weights);
    }
  });

  it("samples from the full policy: returned log-probs equal teacher-forced final-head log-probs", async () => {
    const config = toyConfig("qwen2");
    const weights = initWeights(config, 4);
    const prompts = toyTokens(3, 4, config.vocabSize);
    for (const temperature of [1, 0.7]) {
      const g = await generate(weights, config, prompts, { maxNewTokens: 6, temperature, seed: 11 });
      const full = prompts.map((p, b) => [...p, ...(g.tokens[b] as number[])]);
      const lp = tf.tidy(() => {
        const out = forward(weights, config, full, { temperature, internalLayer: 0 });
        return nextTokenLogProbs(out.logits, full); // [B, T−1]  final head, never internalLogits
      });
      const teacher = read(lp);
      lp.dispose();
      const T1 = full[0]?.length ? full[0].length - 1 : 0;
      const expected = full.map((_, b) => Array.from(teacher.slice(b * T1 + 3, (b + 1) * T1)));
      expect(maxAbsDiff(g.logProbs.flat(), expected.flat())).toBeLessThan(1e-5);
    }
    disposeWeights(weights);
  });

  it("greedy first token is the argmax of the forward logits at the last prompt position", async () => {
    const config = toyConfig("qwen3");
    const weights = initWeights(config, 5);
    const prompts = toyTokens(2, 6, config.vocabSize);
    const g = await generate(weights, config, prompts, { maxNewTokens: 1, temperature: 0 });
    const out = forward(weights, config, prompts);
    const logits = read(out.logits);
    const V = config.vocabSize;
    prompts.forEach((_, b) => {
      expect(g.tokens[b]).toEqual([argMax(logits.subarray((b * 6 + 5) * V, (b * 6 + 6) * V))]);
    });
    out.logits.dispose();
    disposeWeights(weights);
  });

  it("is seeded-deterministic; eos / stop ids end rows; tiny top-p is greedy", async () => {
    const config = toyConfig("qwen3");
    const weights = initWeights(config, 6);
    const prompts = toyTokens(4, 3, config.vocabSize);
    const a = await generate(weights, config, prompts, { maxNewTokens: 10, seed: 7 });
    const b = await generate(weights, config, prompts, { maxNewTokens: 10, seed: 7 });
    const c = await generate(weights, config, prompts, { maxNewTokens: 10, seed: 8 });
    expect(a).toEqual(b);
    expect(c.tokens).not.toEqual(a.tokens);
    const eosId = a.tokens[0]?.[2] as number;
    const stopped = await generate(weights, config, prompts, { maxNewTokens: 10, seed: 7, eosId });
    expect(stopped.tokens[0]).toEqual(a.tokens[0]?.slice(0, a.tokens[0].indexOf(eosId) + 1));
    expect(stopped.finishReasons[0]).toBe("eos");
    const stop2 = await generate(weights, config, prompts, { maxNewTokens: 10, seed: 7, stopIds: [eosId] });
    expect(stop2.finishReasons[0]).toBe("stop");
    const greedy = await generate(weights, config, prompts, { maxNewTokens: 5, temperature: 0 });
    const nucleus = await generate(weights, config, prompts, { maxNewTokens: 5, topP: 1e-6, seed: 1 });
    expect(nucleus.tokens).toEqual(greedy.tokens);
    disposeWeights(weights);
  });

  it("keeps tf.memory().numTensors constant across repeated generate calls", async () => {
    const config = toyConfig("llama");
    const weights = initWeights(config, 7);
    const prompts = [
      [1, 2, 3],
      [4, 5],
    ];
    await generate(weights, config, prompts, { maxNewTokens: 4, seed: 1 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await generate(weights, config, prompts, { maxNewTokens: 4, seed: i });
    await generate(weights, config, prompts, { maxNewTokens: 4, useKvCache: false });
    expect(tf.memory().numTensors).toBe(before);
    disposeWeights(weights);
  });

  it("sampleFromLogProbs follows the distribution and top-p truncates", () => {
    const logp = [0.5, 0.3, 0.15, 0.05].map(Math.log);
    const rng = createRng(123);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const id = sampleFromLogProbs(logp, rng);
      counts[id] = (counts[id] ?? 0) + 1;
    }
    counts.forEach((n, i) => {
      expect(n / 20_000).toBeCloseTo(Math.exp(logp[i] as number), 1);
    });
    const truncated = [0, 0, 0, 0];
    for (let i = 0; i < 5_000; i++) {
      const id = sampleFromLogProbs(logp, rng, 0.75);
      truncated[id] = (truncated[id] ?? 0) + 1;
    }
    expect(truncated[2]).toBe(0); // 0.5 + 0.3 ≥ 0.75: only the first two survive
    expect(truncated[3]).toBe(0);
  });
});
