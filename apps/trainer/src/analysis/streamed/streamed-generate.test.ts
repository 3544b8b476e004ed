/** Streamed sampling = in-heap `generate` (same ids, log-probs within 1e-4) on a tiny checkpoint, padded prompts. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../backend/index.ts";
import { customHubConfig } from "../../checkpoint/hub-configs.ts";
import { loadHfCheckpoint } from "../../checkpoint/load-checkpoint.ts";
import { writeSyntheticCheckpoint } from "../../checkpoint/synthetic-checkpoint.ts";
import { CheckpointTensorReader } from "../../checkpoint/tensor-reader.ts";
import { generate } from "../../model/generate.ts";
import { disposeWeights } from "../../model/weights.ts";
import { generateStreamed } from "./streamed-generate.ts";

describe("generateStreamed", () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
    dir = await mkdtemp(path.join(os.tmpdir(), "bupo-streamed-gen-"));
    await writeSyntheticCheckpoint(
      dir,
      customHubConfig("Qwen2.5-1.5B", {
        hiddenSize: 64,
        numLayers: 3,
        numHeads: 4,
        numKvHeads: 2,
        intermediateSize: 96,
        vocabSize: 500,
      }),
      { maxShardBytes: 50_000 },
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const temperature of [0, 1]) {
    it(`temperature ${temperature}: same tokens as generate, batched and left-padded, no leaks`, async () => {
      const loaded = await loadHfCheckpoint(dir, { tokenizer: false });
      const reader = await CheckpointTensorReader.open(dir);
      const prompts = [
        [1, 2, 3, 4, 5],
        [9, 8],
        [100, 200, 300],
      ];
      const opts = { maxNewTokens: 6, temperature, seed: 3, stopIds: [7] };
      try {
        const heap = await generate(loaded.weights, loaded.config, prompts, opts);
        const before = tf.memory().numTensors;
        const steps: number[] = [];
        const streamed = await generateStreamed(reader, loaded.config, prompts, {
          ...opts,
          onStep: (s) => steps.push(s),
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(streamed.tokens).toEqual(heap.tokens);
        expect(streamed.finishReasons).toEqual(heap.finishReasons);
        expect(steps.length).toBe(Math.max(...streamed.tokens.map((t) => t.length)));
        streamed.logProbs.forEach((row, b) => {
          row.forEach((v, t) => {
            expect(Math.abs(v - (heap.logProbs[b]?.[t] as number))).toBeLessThan(1e-4);
          });
        });
      } finally {
        await reader.close();
        disposeWeights(loaded.weights);
      }
    });
  }
});
