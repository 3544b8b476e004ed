import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregateLoss } from "./aggregate.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// Row 0: 3 response tokens (the 3rd is EOS) + 1 pad; row 1: 2 tokens + 2 pads; row 2: an all-padding row.
const lossMat = () =>
  tf.tensor2d([
    [1, 2, 3, 100],
    [5, 6, 100, 100],
    [9, 9, 9, 9],
  ]); // [B=3, T=4]
const mask = () =>
  tf.tensor2d([
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [0, 0, 0, 0],
  ]);

function agg(mode: Parameters<typeof aggregateLoss>[2]): number {
  return tf.tidy(() => aggregateLoss(lossMat(), mask(), mode).arraySync());
}

describe("aggregateLoss", () => {
  it("token-mean = Σ mask·ℓ / (Σ mask + 1e-8): padding excluded, EOS included", () => {
    expect(agg("token-mean")).toBeCloseTo((1 + 2 + 3 + 5 + 6) / 5, 6); // 3.4
  });

  it("token-mean is the default", () => {
    expect(tf.tidy(() => aggregateLoss(lossMat(), mask()).arraySync())).toBeCloseTo(3.4, 6);
  });

  it("seq-mean-token-sum: mean of row sums over non-empty rows", () => {
    expect(agg("seq-mean-token-sum")).toBeCloseTo((6 + 11) / 2, 6);
  });

  it("seq-mean-token-mean: mean of row means over non-empty rows", () => {
    expect(agg("seq-mean-token-mean")).toBeCloseTo((2 + 5.5) / 2, 6);
  });

  it("seq-mean-token-sum-norm: Σ mask·ℓ / T (Dr.GRPO constant)", () => {
    expect(agg("seq-mean-token-sum-norm")).toBeCloseTo(17 / 4, 6);
  });

  it("a fully masked batch gives 0 in every mode", () => {
    for (const mode of [
      "token-mean",
      "seq-mean-token-sum",
      "seq-mean-token-mean",
      "seq-mean-token-sum-norm",
    ] as const) {
      const v = tf.tidy(() => aggregateLoss(lossMat(), tf.zeros([3, 4]), mode).arraySync());
      expect(v).toBe(0);
    }
  });

  it("unknown modes throw listing the valid ones; shape mismatch throws", () => {
    const l = lossMat();
    const m = mask();
    expect(() => aggregateLoss(l, m, "sum" as never)).toThrow(
      'Unknown loss aggregation mode "sum"; valid modes: token-mean, seq-mean-token-sum, seq-mean-token-mean, seq-mean-token-sum-norm',
    );
    const wrong = tf.zeros([3, 3]) as tf.Tensor2D;
    expect(() => aggregateLoss(l, wrong, "token-mean")).toThrow(/equal shape/);
    tf.dispose([l, m, wrong]);
  });

  it("leaves only the returned scalar", () => {
    const l = lossMat();
    const m = mask();
    const before = tf.memory().numTensors;
    const out = aggregateLoss(l, m, "seq-mean-token-mean");
    expect(tf.memory().numTensors - before).toBe(1);
    tf.dispose([out, l, m]);
  });
});
