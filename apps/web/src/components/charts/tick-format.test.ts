import { describe, expect, it } from "vitest";
import {
  formatNats,
  formatProbability,
  formatStep,
  formatStepExact,
  formatValue,
  niceDomain,
  niceTicks,
} from "./tick-format.ts";

describe("formatStep", () => {
  it("abbreviates thousands and millions", () => {
    expect(formatStep(0)).toBe("0");
    expect(formatStep(950)).toBe("950");
    expect(formatStep(1200)).toBe("1.2k");
    expect(formatStep(15000)).toBe("15k");
    expect(formatStep(250_000)).toBe("250k");
    expect(formatStep(1_500_000)).toBe("1.5M");
    expect(formatStep(2000)).toBe("2k");
  });
  it("keeps fractional axis positions readable", () => {
    expect(formatStep(0.5)).toBe("0.5");
    expect(formatStep(Number.NaN)).toBe("–");
  });
});

describe("formatStepExact", () => {
  it("keeps every digit with separators", () => {
    expect(formatStepExact(1234)).toBe("1,234");
    expect(formatStepExact(100000)).toBe("100,000");
    expect(formatStepExact(Number.NaN)).toBe("–");
  });
});

describe("formatValue", () => {
  it("uses four significant digits without trailing zeros", () => {
    expect(formatValue(1.23456)).toBe("1.235");
    expect(formatValue(0.5)).toBe("0.5");
    expect(formatValue(42)).toBe("42");
    expect(formatValue(-3.14259)).toBe("-3.143");
  });
  it("switches to exponent form for extreme magnitudes", () => {
    expect(formatValue(0.000123)).toBe("1.23e-4");
    expect(formatValue(123456)).toBe("1.23e5");
  });
  it("handles missing and infinite values", () => {
    expect(formatValue(null)).toBe("–");
    expect(formatValue(undefined)).toBe("–");
    expect(formatValue(Number.NaN)).toBe("–");
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe("∞");
    expect(formatValue(0)).toBe("0");
  });
  it("formats nats and probabilities", () => {
    expect(formatNats(2.30211)).toBe("2.302 nats");
    expect(formatNats(Number.NaN)).toBe("–");
    expect(formatProbability(0.834)).toBe("0.83");
    expect(formatProbability(0.004)).toBe("<0.01");
    expect(formatProbability(0)).toBe("0.00");
  });
});

describe("niceTicks", () => {
  it("returns round 1-2-5 ticks inside the range", () => {
    expect(niceTicks(0, 10, 6)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.3, 0.45, 5)).toEqual([-0.2, 0, 0.2, 0.4]);
  });
  it("includes zero when the range spans it and never yields -0", () => {
    const ticks = niceTicks(-1, 1, 5);
    expect(ticks).toContain(0);
    expect(ticks.some((t) => Object.is(t, -0))).toBe(false);
  });
  it("handles degenerate ranges", () => {
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
});

describe("niceDomain", () => {
  it("widens outward to round values", () => {
    expect(niceDomain(0.03, 0.97, 5)).toEqual([0, 1]);
    expect(niceDomain(-0.55, 0.33, 5)).toEqual([-0.75, 0.5]);
    expect(niceDomain(2, 2)).toEqual([2, 2]);
  });
});

describe("niceTicks on degenerate spans", () => {
  it("returns one tick instead of looping forever when min and max differ only by float rounding", () => {
    const lnV = Math.log(64);
    expect(niceTicks(lnV, lnV + 8.9e-16, 5)).toEqual([lnV]);
    expect(niceTicks(1e12, 1e12 + 1e-3, 5)).toEqual([1e12]);
  });
});
