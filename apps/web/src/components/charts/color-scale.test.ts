import { describe, expect, it } from "vitest";
import {
  createColorScale,
  finiteExtent,
  gradientStops,
  hexToRgb,
  readableTextColor,
  rgbToCss,
  sampleSequential,
} from "./color-scale.ts";

describe("sampleSequential", () => {
  it("hits the viridis end points and clamps outside [0, 1]", () => {
    expect(sampleSequential(0)).toEqual([68, 1, 84]);
    expect(sampleSequential(1)).toEqual([253, 231, 37]);
    expect(sampleSequential(-5)).toEqual([68, 1, 84]);
    expect(sampleSequential(7)).toEqual([253, 231, 37]);
  });
  it("interpolates between stops", () => {
    expect(sampleSequential(0.05)).toEqual([70, 19, 101]);
  });
  it("gets lighter as the value grows", () => {
    const sum = (t: number) => sampleSequential(t).reduce((a, b) => a + b, 0);
    expect(sum(0.9)).toBeGreaterThan(sum(0.5));
    expect(sum(0.5)).toBeGreaterThan(sum(0.1));
  });
});

describe("createColorScale", () => {
  it("maps the domain onto the scale and NaN to null", () => {
    const scale = createColorScale([0, 4]);
    expect(scale(0)).toEqual(sampleSequential(0));
    expect(scale(4)).toEqual(sampleSequential(1));
    expect(scale(2)).toEqual(sampleSequential(0.5));
    expect(scale(Number.NaN)).toBeNull();
  });
  it("uses the middle colour for a zero-width domain", () => {
    expect(createColorScale([1, 1])(1)).toEqual(sampleSequential(0.5));
  });
});

describe("finiteExtent", () => {
  it("scans flat and nested arrays, skipping NaN and infinities", () => {
    expect(finiteExtent([3, Number.NaN, -1, Number.POSITIVE_INFINITY])).toEqual([-1, 3]);
    expect(
      finiteExtent([
        [1, 2],
        [Number.NaN, 9],
      ]),
    ).toEqual([1, 9]);
    expect(finiteExtent([[Number.NaN]])).toBeNull();
    expect(finiteExtent([])).toBeNull();
  });
});

describe("readableTextColor / rgbToCss", () => {
  it("puts white text on dark viridis and black text on light viridis", () => {
    expect(readableTextColor(sampleSequential(0))).toBe("#ffffff");
    expect(readableTextColor(sampleSequential(1))).toBe("#000000");
  });
  it("formats CSS colours", () => {
    expect(rgbToCss([1, 2, 3])).toBe("rgb(1, 2, 3)");
  });
});

describe("hexToRgb / gradientStops", () => {
  it("parses short and long hex", () => {
    expect(hexToRgb("#fff")).toEqual([255, 255, 255]);
    expect(hexToRgb("#27272a")).toEqual([39, 39, 42]);
    expect(hexToRgb("nope")).toEqual([0, 0, 0]);
  });
  it("spans the scale from low to high", () => {
    const stops = gradientStops(3);
    expect(stops.map(([t]) => t)).toEqual([0, 0.5, 1]);
    expect(stops[0]?.[1]).toBe(rgbToCss(sampleSequential(0)));
  });
});
