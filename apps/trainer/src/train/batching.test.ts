/** Spec §9 D17: response mask = sampled tokens incl. EOS; prompt and padding excluded; left-padded prompts. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { buildMicroBatches, disposeMicroBatchTensors, uploadMicroBatch } from "./batching.ts";

const EOS = 1;
const PAD = 0;

describe("buildMicroBatches", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });

  it("left-pads prompts, right-pads responses, masks exactly the response tokens (EOS included)", () => {
    const pairs = [
      { promptIds: [5, 6, 7], responseIds: [8, EOS] },
      { promptIds: [9], responseIds: [2, 3, 4] }, // truncated: no EOS
      { promptIds: [4, 4], responseIds: [EOS] },
    ];
    const [mb, ...rest] = buildMicroBatches(pairs, [0, 1, 2], {
      microBatchSize: 8,
      padId: PAD,
      advantages: [1, -1, 0.5],
    });
    expect(rest).toHaveLength(0);
    expect(mb?.promptWidth).toBe(3);
    expect(mb?.responseWidth).toBe(3);
    expect(mb?.ids).toEqual([
      [5, 6, 7, 8, EOS, PAD],
      [PAD, PAD, 9, 2, 3, 4],
      [PAD, 4, 4, EOS, PAD, PAD],
    ]);
    expect(mb?.attentionMask).toEqual([
      [1, 1, 1, 1, 1, 0],
      [0, 0, 1, 1, 1, 1],
      [0, 1, 1, 1, 0, 0],
    ]);
    expect(mb?.mask).toEqual([
      [1, 1, 0],
      [1, 1, 1],
      [1, 0, 0],
    ]);
    expect(mb?.targets).toEqual([
      [8, EOS, PAD],
      [2, 3, 4],
      [EOS, PAD, PAD],
    ]);
    expect(mb?.numTokens).toBe(6);
    expect(mb?.advantages).toEqual([1, -1, 0.5]);
  });

  it("splits a mini-batch into equal-width micro-batches; unpadded batches carry no attention mask", () => {
    const pairs = Array.from({ length: 5 }, (_, i) => ({
      promptIds: [2, 3],
      responseIds: i === 4 ? [5] : [5, 6],
    }));
    const mbs = buildMicroBatches(pairs, [0, 1, 2, 3, 4], { microBatchSize: 2, padId: PAD });
    expect(mbs.map((m) => m.indices)).toEqual([[0, 1], [2, 3], [4]]);
    expect(new Set(mbs.map((m) => m.ids[0]?.length))).toEqual(new Set([4]));
    const same = buildMicroBatches(pairs, [0, 1], { microBatchSize: 2, padId: PAD });
    expect(same[0]?.attentionMask).toBeUndefined();
  });

  it("uploads [B, T] ids, [B, R] targets/mask and Â broadcast on response tokens only", () => {
    const before = tf.memory().numTensors;
    const [mb] = buildMicroBatches(
      [
        { promptIds: [3], responseIds: [4, EOS] },
        { promptIds: [3], responseIds: [4] },
      ],
      [0, 1],
      {
        microBatchSize: 4,
        padId: PAD,
        advantages: [2, -1],
      },
    );
    const t = uploadMicroBatch(mb as NonNullable<typeof mb>);
    expect(t.ids.shape).toEqual([2, 3]);
    expect(t.advantages.arraySync().map((r) => r.map((v) => v + 0))).toEqual([
      [2, 2],
      [-1, 0],
    ]);
    disposeMicroBatchTensors(t);
    expect(tf.memory().numTensors).toBe(before);
  });
});
