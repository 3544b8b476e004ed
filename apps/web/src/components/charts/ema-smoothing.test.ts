import { describe, expect, it } from "vitest";
import { clampSmoothing, smoothEma } from "./ema-smoothing.ts";

describe("smoothEma", () => {
  it("returns the input unchanged at weight 0", () => {
    expect(smoothEma([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });

  it("is debiased: the first point equals the first value", () => {
    expect(smoothEma([4, 4, 4], 0.9)).toEqual([4, 4, 4].map(() => expect.closeTo(4, 12)));
  });

  it("matches the hand-computed TensorBoard formula", () => {
    // w = 0.5: last = 0.5, 1.25 ; debias 1-0.5=0.5, 1-0.25=0.75 → 1, 1.6667
    const out = smoothEma([1, 2], 0.5);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.25 / 0.75, 12);
  });

  it("keeps NaN where the input is not finite without moving the average", () => {
    const out = smoothEma([1, Number.NaN, 2], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1.25 / 0.75, 12);
  });

  it("damps a spike more at higher weight", () => {
    const spike = [0, 0, 0, 10, 0];
    expect(smoothEma(spike, 0.9)[3]).toBeLessThan(smoothEma(spike, 0.5)[3] as number);
  });

  it("handles 100k points in linear time", () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i));
    const t0 = performance.now();
    expect(smoothEma(values, 0.95)).toHaveLength(100_000);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe("clampSmoothing", () => {
  it("clamps to [0, 0.99] and treats NaN as 0", () => {
    expect(clampSmoothing(-1)).toBe(0);
    expect(clampSmoothing(Number.NaN)).toBe(0);
    expect(clampSmoothing(1)).toBe(0.99);
    expect(clampSmoothing(0.6)).toBe(0.6);
  });
});
