import { describe, expect, it } from "vitest";
import {
  csvCell,
  layerDeltaToCsv,
  layerHeatmapToCsv,
  layerProfileToCsv,
  logitLensToCsv,
  metricSeriesToCsv,
  metricSeriesToJson,
  toCsv,
  toFileSlug,
  toJsonText,
} from "./chart-export-data.ts";
import type { ChartSeries } from "./types.ts";

const series: ChartSeries[] = [
  {
    label: "bupo, k=5",
    color: "#000",
    data: { key: "r1", step: [0, 10, 20], min: [0, 1, 2], max: [2, 3, 4], mean: [1, 2, 3] },
  },
];

describe("csv primitives", () => {
  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell("plain")).toBe("plain");
  });
  it("guards formula-like strings but not numbers", () => {
    expect(csvCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell(-1)).toBe("-1");
  });
  it("writes empty cells for missing and non-finite values", () => {
    expect(toCsv(["a", "b", "c"], [[null, Number.NaN, undefined]])).toBe("a,b,c\r\n,,\r\n");
  });
});

describe("metric export", () => {
  it("writes one row per point", () => {
    const csv = metricSeriesToCsv(series);
    expect(csv.split("\r\n")[0]).toBe("series,key,step,mean,min,max");
    expect(csv.split("\r\n")[1]).toBe('"bupo, k=5",r1,0,1,0,2');
    expect(csv.trim().split("\r\n")).toHaveLength(4);
  });
  it("adds the smoothed column and restricts to the zoom range", () => {
    const csv = metricSeriesToCsv(series, { smoothing: 0.5, range: { from: 5, to: 20 } });
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("series,key,step,mean,min,max,smoothed_mean");
    expect(lines).toHaveLength(3);
    expect(lines[1]?.startsWith('"bupo, k=5",r1,10,2,1,3,')).toBe(true);
  });
  it("exports JSON columns with settings", () => {
    const json = metricSeriesToJson(series, { smoothing: 0 });
    expect(json.series[0]).toEqual({
      label: "bupo, k=5",
      key: "r1",
      step: [0, 10, 20],
      min: [0, 1, 2],
      max: [2, 3, 4],
      mean: [1, 2, 3],
    });
    expect(json.range).toBeNull();
  });
  it("serialises NaN as null in JSON", () => {
    expect(JSON.parse(toJsonText({ v: [1, Number.NaN] }))).toEqual({ v: [1, null] });
  });
});

describe("layer exports", () => {
  it("writes layer profiles with their x position", () => {
    const csv = layerProfileToCsv([{ label: "s", color: "#000", values: [1, 2, 3] }], (i, n) => i / (n - 1));
    expect(csv.trim().split("\r\n")).toEqual([
      "series,layer,layer_label,x,value",
      "s,0,,0,1",
      "s,1,,0.5,2",
      "s,2,,1,3",
    ]);
  });
  it("writes heatmap cells long-format", () => {
    const csv = layerHeatmapToCsv({ steps: [1, 2], values: [[0.5, Number.NaN]], layerLabels: ["emb"] });
    expect(csv.trim().split("\r\n")).toEqual([
      "layer,layer_label,step,value_nats",
      "0,emb,1,0.5",
      "0,emb,2,",
    ]);
  });
  it("writes deltas per layer", () => {
    const csv = layerDeltaToCsv({ layerLabels: ["L0"], attention: [0.1], ffn: [-0.2] });
    expect(csv.trim().split("\r\n")[1]).toBe("0,L0,0.1,-0.2");
  });
  it("writes one logit-lens row per top-k token", () => {
    const csv = logitLensToCsv({
      positions: ["2", "+"],
      layerLabels: ["emb"],
      rows: [
        [
          { tokens: ["3", "4"], probs: [0.7, 0.2], entropy: 0.9 },
          { tokens: ["="], probs: [1], entropy: 0 },
        ],
      ],
    });
    expect(csv.trim().split("\r\n")).toEqual([
      "layer,layer_label,position,input_token,rank,token,prob,entropy_nats",
      "0,emb,0,2,1,3,0.7,0.9",
      "0,emb,0,2,2,4,0.2,0.9",
      "0,emb,1,'+,1,'=,1,0",
    ]);
  });
});

describe("toFileSlug", () => {
  it("makes safe file names", () => {
    expect(toFileSlug("Entropy (actor) · step 1.2k")).toBe("entropy-actor-step-1-2k");
    expect(toFileSlug("ΔH by layer")).toBe("delta-h-by-layer");
    expect(toFileSlug("***")).toBe("chart");
  });
});
