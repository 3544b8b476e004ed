import { describe, expect, it } from "vitest";
import {
  formatLayerTick,
  layerAxisNote,
  layerAxisTitle,
  layerName,
  layerPosition,
  layerPositions,
} from "./depth-normalization.ts";

describe("layerPosition", () => {
  it("keeps indices when not normalising", () => {
    expect(layerPositions(4, false)).toEqual([0, 1, 2, 3]);
  });
  it("maps the first point to 0 and the final layer to 1", () => {
    expect(layerPositions(5, true)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it("lines up models of different depth at the same relative depth", () => {
    // 28-block Qwen (29 points) vs 36-block model (37 points): half depth is 14 vs 18.
    expect(layerPosition(14, 29, true)).toBe(layerPosition(18, 37, true));
  });
  it("handles a single point", () => {
    expect(layerPosition(0, 1, true)).toBe(0);
  });
});

describe("layer axis text", () => {
  it("labels integer ticks with layer labels or indices", () => {
    expect(formatLayerTick(2, false)).toBe("2");
    expect(formatLayerTick(0, false, ["emb", "L1"])).toBe("emb");
    expect(formatLayerTick(1.5, false)).toBe("");
    expect(formatLayerTick(0.5, true)).toBe("0.5");
    expect(formatLayerTick(0, true)).toBe("0");
    expect(formatLayerTick(0.25, true)).toBe("0.25");
  });
  it("names layers and explains the axis", () => {
    expect(layerName(3)).toBe("layer 3");
    expect(layerName(0, ["embeddings"])).toBe("embeddings");
    expect(layerAxisTitle(true)).toContain("layer / L");
    expect(layerAxisNote(false)).toContain("0-based");
  });
});
