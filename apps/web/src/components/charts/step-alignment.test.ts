import { describe, expect, it } from "vitest";
import { alignToAxis, nearestIndex, unionSorted } from "./step-alignment.ts";

describe("unionSorted", () => {
  it("merges, sorts and de-duplicates step arrays", () => {
    expect(unionSorted([[0, 10, 20], [5, 10, 30], []])).toEqual([0, 5, 10, 20, 30]);
  });
  it("copies a single sorted array and drops non-finite steps", () => {
    const input = [1, 2, 3];
    const out = unionSorted([input]);
    expect(out).toEqual([1, 2, 3]);
    expect(out).not.toBe(input);
    expect(unionSorted([[2, Number.NaN, 1]])).toEqual([1, 2]);
  });
});

describe("alignToAxis", () => {
  const axis = [0, 5, 10, 20, 30];
  it("leaves undefined where the series has no point and null where the value is not finite", () => {
    expect(alignToAxis([0, 10, 20], [1, Number.NaN, 3], axis)).toEqual([1, undefined, null, 3, undefined]);
  });
  it("handles unsorted input with the last duplicate winning", () => {
    expect(alignToAxis([20, 0, 20], [1, 2, 3], axis)).toEqual([2, undefined, undefined, 3, undefined]);
  });
  it("applies a transform to finite values", () => {
    expect(alignToAxis([0, 5], [-1, 4], axis, (v) => (v > 0 ? v : null))).toEqual([
      null,
      4,
      undefined,
      undefined,
      undefined,
    ]);
  });
  it("aligns 2 × 2,000 buckets onto a 4,000-step union quickly", () => {
    const a = Array.from({ length: 2000 }, (_, i) => i * 50);
    const b = Array.from({ length: 2000 }, (_, i) => i * 50 + 25);
    const union = unionSorted([a, b]);
    const t0 = performance.now();
    const aligned = alignToAxis(b, b, union);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(union).toHaveLength(4000);
    expect(aligned.filter((v) => v !== undefined)).toHaveLength(2000);
  });
});

describe("nearestIndex", () => {
  it("finds the closest entry, preferring the lower one on ties", () => {
    const s = [0, 10, 20, 30];
    expect(nearestIndex(s, -5)).toBe(0);
    expect(nearestIndex(s, 14)).toBe(1);
    expect(nearestIndex(s, 15)).toBe(1);
    expect(nearestIndex(s, 16)).toBe(2);
    expect(nearestIndex(s, 99)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
