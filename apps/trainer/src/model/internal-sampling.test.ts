/**
 * Sampling from π_k (issue 15, spec §1.1): k = L−1 is the model's own sampler (same ids and log-probs for the same
 * seed); a lower layer samples from softmax(W_U·h_{k+1}/T) (raw) or with the final norm (normed), a different
 * distribution; the KV cache changes nothing; no tensors are left behind.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { forward } from "./forward.ts";
import { generate } from "./generate.ts";
import { initWeights } from "./init-weights.ts";
import { generateFromLayer } from "./internal-sampling.ts";
import { perturb, toyConfig, toyTokens } from "./test-utils/toy.ts";
import { disposeWeights, namedParameters } from "./weights.ts";

const config = toyConfig("qwen3");
const L = config.numLayers;
const prompts = [toyTokens(1, 5, 37, 1)[0] as number[], toyTokens(1, 3, 37, 2)[0] as number[]];
let w: ReturnType<typeof initWeights>;

beforeAll(async () => {
  await initBackend({ prefer: "wasm" });
  w = initWeights(config, 4);
  // visible final-norm weights, so the raw and normed lenses differ
  perturb(
    namedParameters(w, config)
      .filter((p) => p.name.includes("norm"))
      .map((p) => p.variable),
    5,
    0.3,
  );
});
afterAll(() => disposeWeights(w));

/** log-softmax at the prompt's last position of the given head, for one prompt. */
function firstStepLogProbs(
  prompt: number[],
  layer: number,
  applyFinalNorm: boolean,
  T: number,
): Float32Array {
  return tf.tidy(() => {
    const out = forward(w, config, [prompt], { internalLayer: layer, applyFinalNorm, temperature: T });
    const z = out.internalLogits as tf.Tensor3D; // [1, P, V]
    const last = tf.slice(z, [0, prompt.length - 1, 0], [1, 1, -1]); // [1, 1, V]
    return tf.logSoftmax(tf.reshape(last, [1, -1])).dataSync() as Float32Array;
  });
}

describe("generateFromLayer", () => {
  const opts = { maxNewTokens: 6, temperature: 0.8, seed: 11 };

  it("layer L−1 (raw or normed lens) gives exactly the model sampler's ids and log-probs for the same seed", async () => {
    const full = await generate(w, config, prompts, opts);
    for (const applyFinalNorm of [false, true]) {
      const top = await generateFromLayer(w, config, prompts, { ...opts, layer: L - 1, applyFinalNorm });
      expect(top.tokens).toEqual(full.tokens);
      expect(top.logProbs).toEqual(full.logProbs);
    }
  });

  it("a lower layer samples from softmax(W_U·h_{k+1}/T) (raw) or its normed lens, unlike the model policy", async () => {
    const before = tf.memory().numTensors;
    for (const applyFinalNorm of [false, true]) {
      const r = await generateFromLayer(w, config, prompts, { ...opts, layer: 0, applyFinalNorm });
      prompts.forEach((p, b) => {
        const expected = firstStepLogProbs(p, 0, applyFinalNorm, opts.temperature);
        const id = r.tokens[b]?.[0] as number;
        expect(r.logProbs[b]?.[0]).toBeCloseTo(expected[id] as number, 4);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    const p = prompts[0] as number[];
    const raw = firstStepLogProbs(p, 0, false, 1);
    const normed = firstStepLogProbs(p, 0, true, 1);
    const final = firstStepLogProbs(p, L - 1, false, 1);
    const tv = (a: Float32Array, b: Float32Array) =>
      a.reduce((s, v, i) => s + Math.abs(Math.exp(v) - Math.exp(b[i] as number)), 0) / 2;
    expect(tv(raw, final)).toBeGreaterThan(0.05);
    expect(tv(normed, final)).toBeGreaterThan(0.05);
    expect(tv(raw, normed)).toBeGreaterThan(0.01);
    // and over many seeds the sampled first tokens differ from the model policy's
    const seeds = Array.from({ length: 12 }, (_, s) => s);
    const firstOf = async (layer: number) =>
      Promise.all(
        seeds.map(
          async (seed) =>
            (await generateFromLayer(w, config, [p], { maxNewTokens: 1, seed, layer })).tokens[0]?.[0],
        ),
      );
    expect(await firstOf(0)).not.toEqual(await firstOf(L - 1));
  });

  it("the KV cache changes nothing; layers outside [0, L−1] are refused", async () => {
    const a = await generateFromLayer(w, config, prompts, { ...opts, layer: 1 });
    const b = await generateFromLayer(w, config, prompts, { ...opts, layer: 1, useKvCache: false });
    expect(b.tokens).toEqual(a.tokens);
    b.logProbs.forEach((row, i) => {
      row.forEach((v, t) => {
        expect(v).toBeCloseTo(a.logProbs[i]?.[t] as number, 4);
      });
    });
    expect(() => generateFromLayer(w, config, prompts, { ...opts, layer: L })).toThrow(/layer must be/);
  });
});
