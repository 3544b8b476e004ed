/** Spec §9 A4 (entropy / softmax identities) and the log-prob helpers. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { entropyFromLogits } from "./entropy.ts";
import { logProbsOfTokens, nextTokenLogProbs } from "./log-probs.ts";
import { maskedMean, maskedSum } from "./masked.ts";
import { assertTensorDelta } from "./memory.ts";

const read = (t: tf.Tensor) => Array.from(t.dataSync());

describe("tensor helpers", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  it("entropy = logsumexp(z) − Σ softmax(z)·z equals −Σ p log p; softmax sums to 1", async () => {
    const z = tf.randomNormal([3, 4, 50], 0, 3, "float32", 9);
    const h = await assertTensorDelta(() => entropyFromLogits(z), 1);
    const direct = tf.tidy(() => {
      const logp = tf.logSoftmax(z);
      return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1));
    });
    const sums = tf.tidy(() => tf.sum(tf.softmax(z), -1));
    read(h).forEach((v, i) => {
      expect(v).toBeCloseTo(read(direct)[i] as number, 5);
    });
    for (const s of read(sums)) expect(s).toBeCloseTo(1, 6);
    tf.dispose([z, h, direct, sums]);
  });

  it("uniform logits give ln V and one-hot-like logits give ≈ 0", () => {
    const V = 1000;
    const [uniform, peaked] = tf.tidy(() => [
      entropyFromLogits(tf.fill([2, V], 3.7)),
      entropyFromLogits(tf.oneHot(tf.tensor1d([5, 17], "int32"), V).mul(100)),
    ]) as [tf.Tensor, tf.Tensor];
    for (const v of read(uniform)) expect(v).toBeCloseTo(Math.log(V), 4);
    for (const v of read(peaked)) expect(Math.abs(v)).toBeLessThan(1e-6);
    tf.dispose([uniform, peaked]);
  });

  it("logProbsOfTokens picks log-softmax entries; nextTokenLogProbs shifts by one; gradient flows", () => {
    const logits = tf.randomNormal([2, 3, 6], 0, 1, "float32", 1) as tf.Tensor3D;
    const targets = [
      [1, 5, 0],
      [2, 2, 4],
    ];
    const lp = logProbsOfTokens(logits, targets);
    const ls = tf.logSoftmax(logits);
    const lsv = ls.arraySync() as number[][][];
    const got = lp.arraySync();
    targets.forEach((row, b) => {
      row.forEach((id, t) => {
        expect(got[b]?.[t]).toBeCloseTo(lsv[b]?.[t]?.[id] as number, 6);
      });
    });
    const next = nextTokenLogProbs(logits, targets).arraySync();
    expect(next[0]).toHaveLength(2);
    expect(next[1]?.[0]).toBeCloseTo(lsv[1]?.[0]?.[2] as number, 6);
    const g = tf.grad((z: tf.Tensor) => logProbsOfTokens(z as tf.Tensor3D, targets).sum())(logits);
    expect(g.shape).toEqual([2, 3, 6]);
    tf.dispose([logits, lp, ls, g]);
  });

  it("maskedMean is Σ x·m / (Σ m + 1e-8) and maskedSum is Σ x·m", () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const m = tf.tensor2d([
      [0, 1, 1],
      [1, 0, 0],
    ]);
    const mean = maskedMean(x, m);
    const sum = maskedSum(x, m);
    expect(mean.dataSync()[0]).toBeCloseTo(3, 6);
    expect(sum.dataSync()[0]).toBe(9);
    tf.dispose([x, m, mean, sum]);
  });
});
