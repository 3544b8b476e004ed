/**
 * Checkpoint comparison at any size (issue 15): the streamed Grams (weights read one layer at a time from the
 * files) equal the in-heap Grams on a checkpoint that fits both, in F32 and BF16 files; no tensors left behind;
 * cancellation between layers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { loadHfCheckpoint } from "../checkpoint/load-checkpoint.ts";
import { saveHfCheckpoint } from "../checkpoint/save-checkpoint.ts";
import { CheckpointTensorReader } from "../checkpoint/tensor-reader.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { ckaMatrix, layerGrams } from "./layer-comparison.ts";
import { streamedLayerGrams } from "./streamed-layer-grams.ts";

const config = toyConfig("llama", { numLayers: 4 });
const samples = [9, 6, 9, 12].map((T, n) => toyTokens(1, T, config.vocabSize, n + 1)[0] as number[]);
const ranges = [{ start: 2 }, { start: 1 }, undefined, { start: 5 }];
let tmp: string;

beforeAll(async () => {
  await initBackend({ prefer: "wasm" });
  tmp = await mkdtemp(path.join(os.tmpdir(), "bupo-grams-"));
  const w = initWeights(config, 8);
  try {
    await saveHfCheckpoint(path.join(tmp, "f32"), w, config);
    await saveHfCheckpoint(path.join(tmp, "bf16"), w, config, { dtype: "BF16" });
  } finally {
    disposeWeights(w);
  }
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("streamedLayerGrams", () => {
  for (const dtype of ["f32", "bf16"]) {
    it(`equals the in-heap Grams of the same checkpoint (${dtype}), with the same CKA matrix`, async () => {
      const dir = path.join(tmp, dtype);
      const loaded = await loadHfCheckpoint(dir);
      const inHeap = await layerGrams(loaded.weights, loaded.config, samples, ranges, { maxTokens: 24 });
      disposeWeights(loaded.weights);
      const reader = await CheckpointTensorReader.open(dir);
      const before = tf.memory().numTensors;
      try {
        const streamed = await streamedLayerGrams(reader, loaded.config, samples, ranges, {
          maxTokens: 24,
          batchSize: 1,
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(streamed.numTokens).toBe(24);
        expect(streamed.grams).toHaveLength(config.numLayers + 1);
        streamed.grams.forEach((k, i) => {
          const ref = inHeap.grams[i] as Float32Array;
          const diff = k.reduce((m, v, j) => Math.max(m, Math.abs(v - (ref[j] as number))), 0);
          expect(diff).toBeLessThan(1e-5);
        });
        const a = ckaMatrix(inHeap, streamed);
        a.forEach((row, i) => {
          expect(row[i]).toBeCloseTo(1, 5);
        });
      } finally {
        await reader.close();
      }
    });
  }

  it("stops between layers once the signal is aborted, leaving no tensors", async () => {
    const reader = await CheckpointTensorReader.open(path.join(tmp, "f32"));
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    try {
      await expect(
        streamedLayerGrams(reader, config, samples, ranges, { signal: controller.signal }),
      ).rejects.toThrow("stop");
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await reader.close();
    }
  });
});
