import { describe, expect, it } from "vitest";
import { SERIES_PALETTE, seriesColor, withAlpha } from "./series-palette.ts";

describe("seriesColor", () => {
  it("cycles through the palette, also for negative indices", () => {
    expect(seriesColor(0)).toBe(SERIES_PALETTE[0]);
    expect(seriesColor(SERIES_PALETTE.length + 1)).toBe(SERIES_PALETTE[1]);
    expect(seriesColor(-1)).toBe(SERIES_PALETTE[SERIES_PALETTE.length - 1]);
  });
});

describe("withAlpha", () => {
  it("converts hex colours", () => {
    expect(withAlpha("#ff0000", 0.2)).toBe("rgba(255, 0, 0, 0.2)");
    expect(withAlpha("#0f0", 0.5)).toBe("rgba(0, 255, 0, 0.5)");
    expect(withAlpha("#4e79a7cc", 1)).toBe("rgba(78, 121, 167, 1)");
  });
  it("converts rgb and hsl in comma and space syntax", () => {
    expect(withAlpha("rgb(1, 2, 3)", 0.3)).toBe("rgba(1, 2, 3, 0.3)");
    expect(withAlpha("rgba(1,2,3,0.9)", 0.3)).toBe("rgba(1, 2, 3, 0.3)");
    expect(withAlpha("rgb(1 2 3 / 50%)", 0.3)).toBe("rgba(1, 2, 3, 0.3)");
    expect(withAlpha("hsl(200 50% 40%)", 0.1)).toBe("hsla(200, 50%, 40%, 0.1)");
  });
  it("clamps alpha and leaves unknown formats alone", () => {
    expect(withAlpha("#000", 3)).toBe("rgba(0, 0, 0, 1)");
    expect(withAlpha("steelblue", 0.5)).toBe("steelblue");
  });
});
