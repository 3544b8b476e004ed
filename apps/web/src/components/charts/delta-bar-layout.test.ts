import { describe, expect, it } from "vitest";
import { barSlot, deltaDirection, deltaDomain, layerAtX } from "./delta-bar-layout.ts";

describe("deltaDomain", () => {
  it("always contains zero and pads to round ticks", () => {
    expect(deltaDomain([0.1, 0.3], [0.2])).toEqual([0, 0.4]);
    expect(deltaDomain([-0.5], [0.25])).toEqual([-0.6, 0.4]);
    expect(deltaDomain([-2, -1], [])).toEqual([-2.5, 0]);
  });
  it("falls back to [-1, 1] for all-zero or missing data", () => {
    expect(deltaDomain([0, 0], [Number.NaN])).toEqual([-1, 1]);
    expect(deltaDomain([], [])).toEqual([-1, 1]);
  });
});

describe("barSlot / layerAtX", () => {
  it("places attention and FFN side by side inside the layer's band", () => {
    const a = barSlot(1, 4, 400, 0);
    const f = barSlot(1, 4, 400, 1);
    expect(a.x).toBeGreaterThanOrEqual(100);
    expect(f.x).toBeCloseTo(a.x + a.width, 9);
    expect(f.x + f.width).toBeLessThanOrEqual(200);
  });
  it("finds the layer under x", () => {
    expect(layerAtX(150, 4, 400)).toBe(1);
    expect(layerAtX(-5, 4, 400)).toBe(0);
    expect(layerAtX(999, 4, 400)).toBe(3);
    expect(layerAtX(1, 0, 400)).toBe(-1);
  });
});

describe("deltaDirection", () => {
  it("names the sign", () => {
    expect(deltaDirection(0.2)).toBe("expands");
    expect(deltaDirection(-0.2)).toBe("converges");
    expect(deltaDirection(0)).toBe("no change");
    expect(deltaDirection(Number.NaN)).toBe("not measured");
  });
});
