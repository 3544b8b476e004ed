"use client";

/** uPlot options for MetricChart: four plot series per run (band min/max, faint raw mean, line), markers. */
import type uPlot from "uplot";
import type { ChartTheme } from "./chart-theme.ts";
import { plotIndex, roleAt } from "./metric-plot-data.ts";
import { withAlpha } from "./series-palette.ts";
import { formatStep, formatValue } from "./tick-format.ts";
import type { ChartSeries, StepRange } from "./types.ts";
import { makeXAxis, makeYAxis } from "./uplot-axes.ts";
import { type VerticalMarker, verticalMarkersPlugin } from "./uplot-markers-plugin.ts";

export interface MetricChartOptionsInput {
  width: number;
  height: number;
  series: readonly ChartSeries[];
  logScale: boolean;
  xLabel: string;
  yLabel?: string;
  theme: ChartTheme;
  syncKey?: string;
  getMarkers: () => readonly VerticalMarker[];
  onSelectRange: (range: StepRange) => void;
  onCursorMove: (plot: uPlot) => void;
  onResetZoom: () => void;
  onClickStep: (plot: uPlot) => void;
}

export function buildMetricChartOptions(input: MetricChartOptionsInput): uPlot.Options {
  const { series, theme } = input;
  const plotSeries: uPlot.Series[] = [{ label: input.xLabel }];
  const bands: uPlot.Band[] = [];
  series.forEach((s, i) => {
    const edge: uPlot.Series = { stroke: withAlpha(s.color, 0), width: 1, points: { show: false } };
    plotSeries.push(
      { ...edge, label: `${s.label} min` },
      { ...edge, label: `${s.label} max` },
      {
        label: `${s.label} raw`,
        stroke: withAlpha(s.color, theme.rawAlpha),
        width: 1,
        points: { show: false },
      },
      { label: s.label, stroke: s.color, width: 1.75, points: { show: false } },
    );
    bands.push({
      series: [plotIndex(i, "max"), plotIndex(i, "min")],
      fill: withAlpha(s.color, theme.bandAlpha),
    });
  });

  return {
    width: input.width,
    height: input.height,
    series: plotSeries,
    bands,
    legend: { show: false },
    padding: [12, 20, 0, 0],
    scales: {
      // A single step (the first live point) gives min === max; uPlot's numeric splits then never advance and
      // the tab runs out of memory. Widen degenerate ranges.
      x: { time: false, range: widenDegenerate },
      y: input.logScale ? { distr: 3, log: 10 } : {},
    },
    axes: [makeXAxis(theme, input.xLabel, formatStep), makeYAxis(theme, input.yLabel, formatValue)],
    cursor: {
      y: false,
      drag: { x: true, y: false, setScale: true },
      points: {
        size: (_plot, si) => (roleAt(si)?.role === "line" ? 7 : 0),
        fill: (_plot, si) => series[roleAt(si)?.seriesIndex ?? 0]?.color ?? theme.text,
        stroke: theme.background,
        width: 1.5,
      },
      bind: {
        dblclick: () => () => {
          input.onResetZoom();
          return null;
        },
      },
      ...(input.syncKey ? { sync: { key: input.syncKey, setSeries: false } } : {}),
    },
    hooks: {
      setSelect: [
        (plot) => {
          const { left, width } = plot.select;
          if (width < 2) return;
          const from = plot.posToVal(left, "x");
          const to = plot.posToVal(left + width, "x");
          input.onSelectRange({ from: Math.floor(from), to: Math.ceil(to) });
        },
      ],
      setCursor: [(plot) => input.onCursorMove(plot)],
      ready: [(plot) => plot.over.addEventListener("click", () => input.onClickStep(plot))],
    },
    plugins: [verticalMarkersPlugin(input.getMarkers, theme)],
  };
}

/** Scale range that is never empty: [v − 1, v + 1] when all x values are equal. */
export function widenDegenerate(_u: unknown, min: number | null, max: number | null): [number, number] {
  const lo = min ?? 0;
  const hi = max ?? lo;
  return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
}
