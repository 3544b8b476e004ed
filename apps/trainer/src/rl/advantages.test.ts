import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  broadcastToTokens,
  computeGrpoOutcomeAdvantage,
  getAdvantageEstimator,
  groupRewardStats,
} from "./advantages.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const group = (n: number) => Array.from({ length: n }, () => "q");

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 5) {
  expect(actual.length).toBe(expected.length);
  for (const [i, e] of expected.entries()) expect(actual[i]).toBeCloseTo(e, digits);
}

describe("computeGrpoOutcomeAdvantage (bupo-spec §5.1 worked values, n = 8)", () => {
  it("[1,0,0,0,0,0,0,0] → [2.474867, −0.353552 ×7]", () => {
    const { advantages } = computeGrpoOutcomeAdvantage([1, 0, 0, 0, 0, 0, 0, 0], group(8));
    expectClose(advantages, [2.474867, ...Array(7).fill(-0.353552)]);
  });

  it("[1,1,1,1,0,0,0,0] → ±0.935413", () => {
    const { advantages } = computeGrpoOutcomeAdvantage([1, 1, 1, 1, 0, 0, 0, 0], group(8));
    expectClose(advantages, [...Array(4).fill(0.935413), ...Array(4).fill(-0.935413)]);
  });

  it("[1,1,1,1,1,1,1,0] → [0.353552 ×7, −2.474867]", () => {
    const { advantages } = computeGrpoOutcomeAdvantage([1, 1, 1, 1, 1, 1, 1, 0], group(8));
    expectClose(advantages, [...Array(7).fill(0.353552), -2.474867]);
  });

  it("all-equal groups give exactly 0 (kept, not filtered)", () => {
    const { advantages } = computeGrpoOutcomeAdvantage([1, 1, 1, 0, 0, 0], ["a", "a", "a", "b", "b", "b"]);
    expect(Array.from(advantages)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("a group of one uses mean 0, std 1 (Â = R/(1+ε))", () => {
    const { advantages } = computeGrpoOutcomeAdvantage([1, 0.5], ["solo", "other"]);
    expectClose(advantages, [1 / (1 + 1e-6), 0.5 / (1 + 1e-6)], 6);
  });

  it("groups are independent and may interleave", () => {
    // group a = [1, 0] → mean .5, unbiased std √.5; group b = [0, 0, 1] → mean 1/3, std √(1/3)
    const { advantages, returns } = computeGrpoOutcomeAdvantage([1, 0, 0, 0, 1], ["a", "b", "a", "b", "b"]);
    const sa = Math.sqrt(0.5) + 1e-6;
    const sb = Math.sqrt(1 / 3) + 1e-6;
    expectClose(advantages, [0.5 / sa, -1 / 3 / sb, -0.5 / sa, -1 / 3 / sb, 2 / 3 / sb]);
    expect(Array.from(returns)).toEqual(Array.from(advantages));
  });

  it("normByStd = false only centres (Dr.GRPO)", () => {
    const { advantages } = computeGrpoOutcomeAdvantage([1, 0, 0, 0], group(4), { normByStd: false });
    expectClose(advantages, [0.75, -0.25, -0.25, -0.25], 6);
  });

  it("mismatched lengths throw", () => {
    expect(() => computeGrpoOutcomeAdvantage([1, 0], ["a"])).toThrow(/same length/);
  });
});

describe("registry and helpers", () => {
  it("getAdvantageEstimator('grpo') and a helpful error for unknown names", () => {
    expect(getAdvantageEstimator("grpo")).toBe(computeGrpoOutcomeAdvantage);
    expect(() => getAdvantageEstimator("gae")).toThrow(
      'Unknown advantage estimator "gae"; valid estimators: grpo',
    );
  });

  it("broadcastToTokens puts Â_i on every response token and 0 on padding (+1 tensor)", () => {
    const mask = tf.tensor2d([
      [1, 1, 0],
      [1, 0, 0],
    ]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const a = broadcastToTokens([2, -1], mask);
    expect(tf.memory().numTensors - before).toBe(1);
    expect((a.arraySync() as number[][]).map((row) => row.map((v) => v + 0))).toEqual([
      [2, 2, 0],
      [-1, 0, 0],
    ]);
    tf.dispose([a, mask]);
  });

  it("frac_reward_zero_std counts groups whose rewards are all equal", () => {
    expect(groupRewardStats([1, 1, 0, 1, 0, 0], ["a", "a", "b", "b", "c", "c"])).toEqual({
      numGroups: 3,
      fracRewardZeroStd: 2 / 3,
    });
  });

  it("advantage computation allocates no tensors", () => {
    const before = tf.memory().numTensors;
    computeGrpoOutcomeAdvantage([1, 0, 1, 1], ["a", "a", "b", "b"]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
