import { describe, expect, it } from "vitest";
import { computeScore, getRewardFn, isMathDataSource } from "./compute-score.ts";
import { computeAtK } from "./eval-metrics.ts";
import { computeMathScore } from "./math-grader.ts";

describe("computeScore routing", () => {
  it("built-in tasks use their exact graders", () => {
    expect(computeScore("addition", "\\boxed{501}", "501")).toBe(1);
    expect(computeScore("addition", "\\boxed{x=501}", "501")).toBe(0); // MATH grader would accept this
    expect(computeMathScore("\\boxed{x=501}", "501")).toBe(1);
    expect(computeScore("sorting", "\\boxed{1, 1, 3,4}", "1,1,3,4")).toBe(1);
  });

  it("math data sources (and unknown ones) use the MATH grader", () => {
    for (const s of [
      "math_dapo",
      "qwen_math500",
      "qwen_aime_2024",
      "HuggingFaceH4/MATH-500",
      "lighteval/MATH",
    ]) {
      expect(isMathDataSource(s)).toBe(true);
      expect(getRewardFn(s)).toBe(computeMathScore);
    }
    expect(isMathDataSource("my_dataset")).toBe(false);
    expect(computeScore("my_dataset", "\\boxed{\\frac12}", "0.5")).toBe(1);
  });
});

describe("computeAtK", () => {
  it("mean@k, pass@k, std@k by hand", () => {
    const m = computeAtK([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ]);
    expect(m.k).toBe(4);
    expect(m["mean@k"]).toBeCloseTo((0.25 + 0 + 1) / 3, 10);
    expect(m["pass@k"]).toBeCloseTo(2 / 3, 10);
    expect(m["std@k"]).toBeCloseTo(Math.sqrt(0.1875) / 3, 10);
  });

  it("empty input and ragged input", () => {
    expect(computeAtK([])["pass@k"]).toBe(0);
    expect(() => computeAtK([[1], [1, 0]])).toThrow(/same number/);
  });
});
