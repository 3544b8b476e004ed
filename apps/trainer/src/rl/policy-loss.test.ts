import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  clippedPolicyLossMatrix,
  computeClippedPolicyLoss,
  getPolicyLoss,
  readScalarMetrics,
} from "./policy-loss.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// bupo-spec §5.2 worked values: row 0 has Â = +1, row 1 has Â = −1; oldLogp = 0 so logp = ln ρ.
const RATIOS = [
  [0.5, 1.0, 1.5, 12],
  [0.5, 1.1, 1.5, 12],
];
const EXPECTED = [
  [-0.5, -1.0, -1.2, -1.2],
  [0.8, 1.1, 1.5, 10.0],
];

function spec52Inputs() {
  const oldLogp = tf.zeros([2, 4]) as tf.Tensor2D;
  const logp = tf.tensor2d(RATIOS.map((row) => row.map(Math.log)));
  const adv = tf.tensor2d([
    [1, 1, 1, 1],
    [-1, -1, -1, -1],
  ]);
  const mask = tf.ones([2, 4]) as tf.Tensor2D;
  return { oldLogp, logp, adv, mask };
}

function expectMatClose(actual: number[][], expected: number[][], digits = 5) {
  for (const [i, row] of expected.entries()) {
    for (const [j, e] of row.entries()) expect(actual[i]?.[j]).toBeCloseTo(e, digits);
  }
}

describe("computeClippedPolicyLoss", () => {
  it("per-token losses match the §5.2 worked values (clip 0.2, dual clip 10)", () => {
    const { oldLogp, logp, adv, mask } = spec52Inputs();
    const lossMat = clippedPolicyLossMatrix(oldLogp, logp, adv);
    expectMatClose(lossMat.arraySync(), EXPECTED);
    tf.dispose([lossMat, oldLogp, logp, adv, mask]);
  });

  it("token-mean loss and verl metrics on the §5.2 batch", async () => {
    const { oldLogp, logp, adv, mask } = spec52Inputs();
    const { loss, metrics } = computeClippedPolicyLoss(oldLogp, logp, adv, mask);
    expect(loss.arraySync()).toBeCloseTo(9.5 / 8, 5); // (−0.5−1−1.2−1.2+0.8+1.1+1.5+10)/8
    const m = await readScalarMetrics(metrics);
    // clipped branch larger: (Â=+1, ρ=1.5), (Â=+1, ρ=12), (Â=−1, ρ=0.5)
    expect(m["actor/pg_clipfrac"]).toBeCloseTo(3 / 8, 6);
    // dual clip active: (Â=−1, ρ=12)
    expect(m["actor/pg_clipfrac_lower"]).toBeCloseTo(1 / 8, 6);
    const meanLogRatio = RATIOS.flat().reduce((a, r) => a + Math.log(r), 0) / 8;
    expect(m["actor/ppo_kl"]).toBeCloseTo(-meanLogRatio, 5);
    tf.dispose([loss, oldLogp, logp, adv, mask]);
  });

  it("dual clip caps the loss at 10·|Â| for negative advantages only", () => {
    const oldLogp = tf.zeros([1, 3]) as tf.Tensor2D;
    const logp = tf.tensor2d([[Math.log(12), Math.log(12), Math.log(50)]]);
    const adv = tf.tensor2d([[-2, -0.5, 3]]);
    const lossMat = clippedPolicyLossMatrix(oldLogp, logp, adv);
    // Â=−2, ρ=12: max(24, 2.4) = 24 → capped at 20; Â=−0.5, ρ=12: 6 → capped at 5; Â=+3: max(−150, −3.6) = −3.6
    expectMatClose(lossMat.arraySync(), [[20, 5, -3.6]]);
    const custom = clippedPolicyLossMatrix(oldLogp, logp, adv, { dualClip: 3 });
    expectMatClose(custom.arraySync(), [[6, 1.5, -3.6]]);
    tf.dispose([oldLogp, logp, adv, lossMat, custom]);
  });

  it("clamps the log-ratio to ±20 before exp (ppo_kl sees the clamped value; 0·ρ stays finite)", async () => {
    const oldLogp = tf.zeros([1, 3]) as tf.Tensor2D;
    const logp = tf.tensor2d([[30, -30, 200]]);
    const adv = tf.tensor2d([[-1, 1, 0]]);
    const mask = tf.ones([1, 3]) as tf.Tensor2D;
    const lossMat = clippedPolicyLossMatrix(oldLogp, logp, adv);
    const [a, b, c] = (lossMat.arraySync() as number[][])[0] as [number, number, number];
    expect(a).toBeCloseTo(10, 5); // min(max(e^20, 1.2), 10)
    expect(b).toBeCloseTo(-Math.exp(-20), 12); // max(−e^−20, −0.8)
    expect(c + 0).toBe(0); // −0·e^20 = 0, not −0·e^200 = NaN
    const { loss, metrics } = computeClippedPolicyLoss(oldLogp, logp, adv, mask);
    const m = await readScalarMetrics(metrics);
    expect(m["actor/ppo_kl"]).toBeCloseTo(-(20 - 20 + 20) / 3, 5);
    expect(Number.isFinite(loss.arraySync())).toBe(true);
    const wide = clippedPolicyLossMatrix(oldLogp, logp, adv, { logRatioClamp: 5 });
    expect((wide.arraySync() as number[][])[0]?.[1]).toBeCloseTo(-Math.exp(-5), 8);
    tf.dispose([oldLogp, logp, adv, mask, lossMat, loss, wide]);
  });

  it("ratio ≡ 1 (first mini-batch): clipfrac 0, ppo_kl 0, loss = −token-mean(Â)", async () => {
    const logpValues = [
      [-0.3, -2.1, -0.01, -4],
      [-1.2, -0.7, -3.3, -0.2],
      [-0.9, -0.05, -1.5, -2.2],
    ];
    const oldLogp = tf.tensor2d(logpValues);
    const logp = tf.tensor2d(logpValues);
    const adv = tf.tensor2d([
      [1.5, 1.5, 1.5, 1.5],
      [-0.7, -0.7, -0.7, -0.7],
      [0.2, 0.2, 0.2, 0.2],
    ]);
    const mask = tf.tensor2d([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
      [1, 1, 1, 0],
    ]);
    const { loss, metrics } = computeClippedPolicyLoss(oldLogp, logp, adv, mask);
    const m = await readScalarMetrics(metrics);
    expect(m).toEqual({ "actor/pg_clipfrac": 0, "actor/ppo_kl": 0, "actor/pg_clipfrac_lower": 0 });
    expect(loss.arraySync()).toBeCloseTo(-(4 * 1.5 - 2 * 0.7 + 3 * 0.2) / 9, 6);
    tf.dispose([oldLogp, logp, adv, mask, loss]);
  });

  it("padding tokens do not count in loss or metrics (ragged mask, EOS included)", async () => {
    const oldLogp = tf.zeros([2, 3]) as tf.Tensor2D;
    // padding positions carry extreme ratios that would clip if they were counted
    const logp = tf.tensor2d([
      [0, 0, 5],
      [0, 5, 5],
    ]);
    const adv = tf.tensor2d([
      [1, 1, 1],
      [-1, -1, -1],
    ]);
    const mask = tf.tensor2d([
      [1, 1, 0],
      [1, 0, 0],
    ]);
    const { loss, metrics } = computeClippedPolicyLoss(oldLogp, logp, adv, mask);
    const m = await readScalarMetrics(metrics);
    expect(loss.arraySync()).toBeCloseTo((-1 - 1 + 1) / 3, 6);
    expect(m["actor/pg_clipfrac"]).toBe(0);
    expect(m["actor/pg_clipfrac_lower"]).toBe(0);
    tf.dispose([oldLogp, logp, adv, mask, loss]);
  });

  it("gradient flows only through unclipped tokens: ∂loss/∂logp = −Â·ρ/N", () => {
    const oldLogp = tf.zeros([1, 3]) as tf.Tensor2D;
    const adv = tf.tensor2d([[1, 1, -1]]);
    const mask = tf.ones([1, 3]) as tf.Tensor2D;
    const logp = tf.tensor2d([[0, Math.log(1.5), 0]]); // ρ = 1, 1.5 (clipped for Â>0), 1
    const grad = tf.grad((x: tf.Tensor) => {
      const { loss, metrics } = computeClippedPolicyLoss(oldLogp, x as tf.Tensor2D, adv, mask);
      tf.dispose(Object.values(metrics));
      return loss;
    })(logp);
    expectMatClose(grad.arraySync() as number[][], [[-1 / 3, 0, 1 / 3]], 6);
    tf.dispose([oldLogp, adv, mask, logp, grad]);
  });

  it("matches a plain-JS reference on random inputs in every aggregation mode", () => {
    const B = 3;
    const T = 5;
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const old = Array.from({ length: B }, () => Array.from({ length: T }, () => -3 * rand()));
    const cur = old.map((row) => row.map((v) => v + (rand() - 0.5)));
    const advRow = [1.3, -0.8, -2];
    const msk = [
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
      [1, 0, 0, 0, 0],
    ];
    const ref = old.map((row, i) =>
      row.map((o, t) => {
        const a = advRow[i] as number;
        const rho = Math.exp(Math.min(20, Math.max(-20, (cur[i]?.[t] as number) - o)));
        const l = Math.max(-a * rho, -a * Math.min(1.28, Math.max(0.8, rho)));
        return a < 0 ? Math.min(l, -a * 10) : l;
      }),
    );
    const sum = (xs: number[]) => xs.reduce((p, q) => p + q, 0);
    const rowSums = ref.map((row, i) => sum(row.map((l, t) => l * (msk[i]?.[t] as number))));
    const rowCounts = msk.map(sum);
    const expected = {
      "token-mean": sum(rowSums) / sum(rowCounts),
      "seq-mean-token-sum": sum(rowSums) / B,
      "seq-mean-token-mean": sum(rowSums.map((s, i) => s / (rowCounts[i] as number))) / B,
      "seq-mean-token-sum-norm": sum(rowSums) / T,
    } as const;
    for (const [mode, want] of Object.entries(expected) as [keyof typeof expected, number][]) {
      const got = tf.tidy(() => {
        const { loss } = computeClippedPolicyLoss(
          tf.tensor2d(old),
          tf.tensor2d(cur),
          tf.tensor2d(advRow.map((a) => Array(T).fill(a))),
          tf.tensor2d(msk),
          { clipHigh: 0.28, aggMode: mode },
        );
        return loss.arraySync();
      });
      expect(got).toBeCloseTo(want, 5);
    }
  });

  it("returns exactly 4 new tensors (loss + 3 metrics) and leaks nothing else", () => {
    const { oldLogp, logp, adv, mask } = spec52Inputs();
    const before = tf.memory().numTensors;
    const { loss, metrics } = computeClippedPolicyLoss(oldLogp, logp, adv, mask, {
      aggMode: "seq-mean-token-mean",
    });
    expect(tf.memory().numTensors - before).toBe(4);
    tf.dispose([loss, ...Object.values(metrics)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([oldLogp, logp, adv, mask]);
  });

  it("validates shapes and the dual-clip constant; registry lists valid losses", () => {
    const { oldLogp, logp, adv, mask } = spec52Inputs();
    const before = tf.memory().numTensors;
    expect(() => computeClippedPolicyLoss(oldLogp, logp, adv, mask, { dualClip: 1 })).toThrow(
      /greater than 1/,
    );
    const short = tf.ones([2, 3]) as tf.Tensor2D;
    expect(() => computeClippedPolicyLoss(oldLogp, logp, adv, short)).toThrow(/mask has shape \[2,3\]/);
    short.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(getPolicyLoss("vanilla")).toBe(computeClippedPolicyLoss);
    expect(() => getPolicyLoss("gspo")).toThrow('Unknown policy loss "gspo"; valid losses: vanilla');
    tf.dispose([oldLogp, logp, adv, mask]);
  });
});
