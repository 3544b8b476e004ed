/** Spec §9 A4 (entropy / softmax identities) and the log-prob helpers. */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { entropyFromLogits } from "./fused-ops.ts";
import { logProbsOfTokens, nextTokenLogProbs } from "./log-probs.ts";
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
});

/** log softmax(z)[b, t, ids[b, t]] and its gradient onehot − softmax, in float64 on the host (no tf kernels). */
function hostLogProbs(z: number[][][], ids: number[][]): { logp: number[][]; grad: number[][][] } {
  const logp = z.map((row, b) =>
    row.map((v, t) => {
      const m = Math.max(...v);
      const lse = m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
      return (v[ids[b]?.[t] as number] as number) - lse;
    }),
  );
  const grad = z.map((row, b) =>
    row.map((v, t) => {
      const m = Math.max(...v);
      const e = v.map((x) => Math.exp(x - m));
      const s = e.reduce((a, x) => a + x, 0);
      return e.map((x, i) => (i === ids[b]?.[t] ? 1 : 0) - x / s);
    }),
  );
  return { logp, grad };
}

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
}

describe("log-prob helpers on every backend", () => {
  afterAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  const B = 2;
  const T = 4;
  const V = 9;
  const ids = [
    [0, 8, 3, 3],
    [5, 1, 7, 0],
  ];

  for (const backend of ["cpu", "wasm"] as const) {
    it(`${backend}: logProbsOfTokens / nextTokenLogProbs equal a host log-softmax gather; gradient = onehot − softmax`, async () => {
      await initBackend({ prefer: backend });
      expect(tf.getBackend()).toBe(backend);
      const logits = tf.randomNormal([B, T, V], 0, 2, "float32", 21) as tf.Tensor3D; // [B, T, V]
      const z = logits.arraySync();
      const want = hostLogProbs(z, ids);

      const fromArray = await assertTensorDelta(() => logProbsOfTokens(logits, ids), 1); // [B, T]
      const idTensor = tf.tensor2d(ids.flat(), [B, T], "int32"); // [B, T]
      const fromInt = logProbsOfTokens(logits, idTensor);
      const floatIds = tf.cast(idTensor, "float32") as tf.Tensor2D; // [B, T]
      const fromFloat = logProbsOfTokens(logits, floatIds);
      for (const got of [fromArray, fromInt, fromFloat]) {
        expect(maxAbsDiff(Array.from(got.dataSync()), want.logp.flat())).toBeLessThan(1e-5);
      }
      // not ≈ 0: the float one-hot bug on wasm made every entry vanish
      expect(Math.min(...Array.from(fromArray.dataSync()).map(Math.abs))).toBeGreaterThan(1e-3);

      const next = await assertTensorDelta(() => nextTokenLogProbs(logits, ids), 1); // [B, T−1]
      expect(next.shape).toEqual([B, T - 1]);
      const wantNext = hostLogProbs(
        z.map((row) => row.slice(0, T - 1)),
        ids.map((row) => row.slice(1)),
      );
      expect(maxAbsDiff(Array.from(next.dataSync()), wantNext.logp.flat())).toBeLessThan(1e-5);

      const g = tf.grad((x: tf.Tensor) => logProbsOfTokens(x as tf.Tensor3D, ids).sum())(logits); // [B, T, V]
      expect(maxAbsDiff(Array.from(g.dataSync()), want.grad.flat(2))).toBeLessThan(1e-5);
      tf.dispose([logits, fromArray, idTensor, fromInt, floatIds, fromFloat, next, g]);
    });
  }
});
