import type { LayerEntropy } from "@bupo/shared/metrics";
import { describe, expect, it } from "vitest";
import { depthCharts } from "./compare-depth-data.ts";

/** L = 2 record with recognisable values. */
const layers: LayerEntropy = {
  lens: "raw",
  numTokens: 5,
  layer: { input: [9, 8], output: [8, 7], change: [-1, -1] },
  attn: { input: [1, 1], output: [3, 4], change: [0.5, -0.5] },
  ffn: { input: [1, 1], output: [5, 6], change: [0.25, -0.25] },
};
const quart = { std: [0, 0, 0], q25: [1, 2, 3], median: [2, 3, 4], q75: [3, 4, 5] };

describe("depthCharts", () => {
  it("residual h_0..h_L; module outputs and ΔH at layers 1..L; spread quartiles; unmeasured runs skipped", () => {
    const c = depthCharts([
      {
        name: "qwen",
        at: "",
        layers,
        spread: { samples: 3, residual: quart, attnOutput: quart, ffnOutput: quart },
      },
      { name: "bupo", at: "step 4", layers: null },
    ]);
    expect(c.residual).toEqual([{ label: "qwen", color: expect.any(String), values: [9, 8, 7] }]);
    expect(c.attention[0]?.values).toEqual([Number.NaN, 3, 4]);
    expect(c.ffn[0]?.values).toEqual([Number.NaN, 5, 6]);
    expect(c.delta.map((s) => [s.label, s.values, s.dashed === true])).toEqual([
      ["qwen · attention ΔH", [Number.NaN, 0.5, -0.5], false],
      ["qwen · FFN ΔH", [Number.NaN, 0.25, -0.25], true],
    ]);
    expect(c.spread.map((s) => s.label)).toEqual(["qwen · q25", "qwen · median", "qwen · q75"]);
  });

  it("labels a training run's record with its step", () => {
    expect(depthCharts([{ name: "bupo", at: "step 4", layers }]).residual[0]?.label).toBe("bupo (step 4)");
  });
});
