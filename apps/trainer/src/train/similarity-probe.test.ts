/**
 * Issue 15: the in-training probe measures representation similarity to h_L next to the entropies, only reads
 * (the step's metrics and weights are bit-identical with and without it) and leaves no tensors behind.
 */
import { StepMetricsSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { bitEqual } from "../model/test-utils/toy.ts";
import { runRlStep } from "./rl-step.ts";
import { snapshot, toyRunConfig, toyStepContext, withoutTimings } from "./test-fixtures.ts";

describe("similarity probe", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });

  it("adds cosine and CKA per depth, keeps the step bit-identical and the tensor count constant", async () => {
    const cfg = toyRunConfig({ rl: { iterativeSteps: 1, internalLayer: 0 } });
    const plain = toyStepContext(cfg);
    const probed = toyStepContext(cfg);
    const L = plain.model.config.numLayers;
    try {
      for (let step = 1; step <= 2; step++) {
        const a = await runRlStep(plain, step, false);
        const before = tf.memory().numTensors;
        const b = await runRlStep(probed, step, true);
        expect(tf.memory().numTensors).toBe(before);
        const sim = b.metrics.layers?.similarity;
        expect(sim?.cka).toHaveLength(L + 1);
        expect(sim?.cosine).toHaveLength(L + 1);
        expect(sim?.cka[L]).toBeCloseTo(1, 5);
        expect(sim?.numTokens).toBe(b.metrics.layers?.numTokens);
        expect(() => StepMetricsSchema.parse(b.metrics)).not.toThrow();
        const { layers: _, ...rest } = b.metrics;
        expect(withoutTimings(rest)).toEqual(withoutTimings(a.metrics));
        const wa = snapshot(plain);
        const wb = snapshot(probed);
        for (const [name, values] of wa)
          expect(bitEqual(values, wb.get(name) as Float32Array), name).toBe(true);
      }
    } finally {
      plain.dispose();
      probed.dispose();
    }
  });
});
