import { describe, expect, it } from "vitest";
import { smoothEma } from "./ema-smoothing.ts";
import {
  buildMetricPlotData,
  isEmptySeries,
  lastDefinedIndex,
  plotIndex,
  roleAt,
  SERIES_ROLES,
} from "./metric-plot-data.ts";
import type { ChartSeries } from "./types.ts";

const run = (key: string, step: number[], mean: number[]): ChartSeries => ({
  label: key,
  color: "#000",
  data: { key, step, mean, min: mean.map((v) => v - 1), max: mean.map((v) => v + 1) },
});

describe("plotIndex / roleAt", () => {
  it("lays out four columns per series after the x column", () => {
    expect(plotIndex(0, "min")).toBe(1);
    expect(plotIndex(0, "line")).toBe(4);
    expect(plotIndex(2, "raw")).toBe(1 + 2 * SERIES_ROLES.length + 2);
    expect(roleAt(plotIndex(3, "max"))).toEqual({ seriesIndex: 3, role: "max" });
    expect(roleAt(0)).toBeNull();
  });
});

describe("buildMetricPlotData", () => {
  const a = run("a", [0, 10, 20], [1, 2, 3]);
  const b = run("b", [5, 10], [4, 5]);

  it("puts both runs on the step union with undefined where a run has no point", () => {
    const { columns } = buildMetricPlotData([a, b], { smoothing: 0, logScale: false });
    expect(columns[0]).toEqual([0, 5, 10, 20]);
    expect(columns).toHaveLength(1 + 2 * 4);
    expect(columns[plotIndex(0, "line")]).toEqual([1, undefined, 2, 3]);
    expect(columns[plotIndex(1, "line")]).toEqual([undefined, 4, 5, undefined]);
    expect(columns[plotIndex(1, "min")]).toEqual([undefined, 3, 4, undefined]);
    expect(columns[plotIndex(1, "max")]).toEqual([undefined, 5, 6, undefined]);
  });

  it("smooths each run over its own points and keeps the raw mean beside it", () => {
    const { columns } = buildMetricPlotData([a, b], { smoothing: 0.6, logScale: false });
    const smoothedB = smoothEma([4, 5], 0.6);
    expect(columns[plotIndex(1, "line")]).toEqual([undefined, smoothedB[0], smoothedB[1], undefined]);
    expect(columns[plotIndex(1, "raw")]).toEqual([undefined, 4, 5, undefined]);
  });

  it("drops non-positive values on a log scale and counts them", () => {
    const c = run("c", [0, 1, 2], [0, -1, 2]);
    const { columns, hiddenNonPositive } = buildMetricPlotData([c], { smoothing: 0, logScale: true });
    expect(columns[plotIndex(0, "line")]).toEqual([null, null, 2]);
    expect(hiddenNonPositive).toBe(2);
  });

  it("builds 10 runs × 2,000 buckets with offset steps in well under a frame budget", () => {
    const runs = Array.from({ length: 10 }, (_, r) =>
      run(
        `r${r}`,
        Array.from({ length: 2000 }, (_, i) => i * 50 + r),
        Array.from({ length: 2000 }, (_, i) => Math.sin(i / 50)),
      ),
    );
    const t0 = performance.now();
    const { columns } = buildMetricPlotData(runs, { smoothing: 0.9, logScale: false });
    expect(performance.now() - t0).toBeLessThan(150);
    expect(columns[0]).toHaveLength(20_000);
    expect(columns).toHaveLength(1 + 10 * 4);
  });

  it("handles no series", () => {
    const { columns } = buildMetricPlotData([], { smoothing: 0.5, logScale: false });
    expect(columns).toEqual([[]]);
  });
});

describe("lastDefinedIndex / isEmptySeries", () => {
  it("skips trailing gaps", () => {
    expect(lastDefinedIndex([1, 2, undefined, null])).toBe(1);
    expect(lastDefinedIndex([undefined])).toBe(-1);
  });
  it("detects series without points", () => {
    expect(isEmptySeries([])).toBe(true);
    expect(isEmptySeries([run("x", [], [])])).toBe(true);
    expect(isEmptySeries([run("x", [1], [1])])).toBe(false);
  });
});

describe("degenerate x ranges", () => {
  it("widens a single-step range so uPlot can place ticks", async () => {
    const { widenDegenerate } = await import("./metric-chart-options.ts");
    expect(widenDegenerate(null, 5, 5)).toEqual([4, 6]);
    expect(widenDegenerate(null, 1, 8)).toEqual([1, 8]);
    expect(widenDegenerate(null, null, null)).toEqual([-1, 1]);
  });
});
