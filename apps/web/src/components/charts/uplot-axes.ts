"use client";

/** Shared uPlot axis styling for the line charts (MetricChart, LayerProfileChart). */
import type uPlot from "uplot";
import type { ChartTheme } from "./chart-theme.ts";

export function axisFonts(theme: ChartTheme) {
  return { font: `11px ${theme.font}`, labelFont: `12px ${theme.font}` };
}

/** Bottom axis with themed grid and tick labels from `format`. */
export function makeXAxis(
  theme: ChartTheme,
  label: string,
  format: (value: number) => string,
  extra: Partial<uPlot.Axis> = {},
): uPlot.Axis {
  return {
    ...axisFonts(theme),
    stroke: theme.text,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    values: (_plot, splits) => splits.map((v) => (v == null ? "" : format(v))),
    label,
    labelSize: 18,
    size: 30,
    ...extra,
  };
}

/** Left axis sized to its widest tick label so long values never clip. */
export function makeYAxis(
  theme: ChartTheme,
  label: string | undefined,
  format: (value: number) => string,
): uPlot.Axis {
  return {
    ...axisFonts(theme),
    stroke: theme.text,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    values: (_plot, splits) => splits.map((v) => (v == null ? "" : format(v))),
    size: (_plot, values) => {
      const longest = values ? Math.max(0, ...values.map((v) => v.length)) : 4;
      return Math.ceil(longest * 6.5) + 14;
    },
    ...(label ? { label, labelSize: 18 } : {}),
  };
}
