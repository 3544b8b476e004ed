import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { maskedMean, maskedSum, maskedVar, maskedWhiten } from "./masked.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const values = () =>
  tf.tensor2d([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]); // [B=2, T=4]
const mask = () =>
  tf.tensor2d([
    [1, 1, 1, 0],
    [1, 1, 0, 0],
  ]); // ragged: 3 + 2 tokens

describe("masked reductions", () => {
  it("sum and mean over all elements ignore masked-out values", () => {
    tf.tidy(() => {
      expect(maskedSum(values(), mask()).arraySync()).toBe(17); // 1+2+3+5+6
      expect(maskedMean(values(), mask()).arraySync()).toBeCloseTo(17 / 5, 6);
    });
  });

  it("per-row reductions along axis 1", () => {
    tf.tidy(() => {
      expect(maskedSum(values(), mask(), 1).arraySync()).toEqual([6, 11]);
      const rowMean = maskedMean(values(), mask(), 1).arraySync() as number[];
      expect(rowMean[0]).toBeCloseTo(2, 6);
      expect(rowMean[1]).toBeCloseTo(5.5, 6);
    });
  });

  it("an all-masked input has mean 0 (1e-8 guard), not NaN", () => {
    tf.tidy(() => {
      expect(maskedMean(values(), tf.zerosLike(values())).arraySync()).toBe(0);
    });
  });

  it("variance: unbiased by default (Bessel n/(n−1) with n = Σ mask)", () => {
    tf.tidy(() => {
      // masked values 1,2,3,5,6: mean 3.4, Σ(x−μ)² = 5.76+1.96+0.16+2.56+6.76 = 17.2
      expect(maskedVar(values(), mask(), false).arraySync()).toBeCloseTo(17.2 / 5, 5);
      expect(maskedVar(values(), mask()).arraySync()).toBeCloseTo(17.2 / 4, 5);
    });
  });

  it("whitening gives masked mean 0 and unit unbiased variance", () => {
    tf.tidy(() => {
      const w = maskedWhiten(values(), mask());
      expect(maskedMean(w, mask()).arraySync()).toBeCloseTo(0, 5);
      expect(maskedVar(w, mask()).arraySync()).toBeCloseTo(1, 4);
    });
  });

  it("each call leaves exactly its returned tensor", () => {
    const v = values();
    const m = mask();
    for (const fn of [
      () => maskedSum(v, m),
      () => maskedMean(v, m, 1),
      () => maskedVar(v, m),
      () => maskedWhiten(v, m),
    ]) {
      const before = tf.memory().numTensors;
      const out = fn();
      expect(tf.memory().numTensors - before).toBe(1);
      out.dispose();
    }
    tf.dispose([v, m]);
  });
});
