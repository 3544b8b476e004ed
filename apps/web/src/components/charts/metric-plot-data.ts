/**
 * Turns `ChartSeries[]` into the column layout uPlot draws for MetricChart: one shared step axis, then four
 * columns per series — band min, band max, raw mean (faint, only shown while smoothing) and the line
 * (smoothed mean, or the raw mean when smoothing is 0).
 */
import { clampSmoothing, smoothEma } from "./ema-smoothing.ts";
import { alignToAxis, type PlotValue, unionSorted } from "./step-alignment.ts";
import type { ChartSeries } from "./types.ts";

export const SERIES_ROLES = ["min", "max", "raw", "line"] as const;
export type SeriesRole = (typeof SERIES_ROLES)[number];

/** uPlot series index (0 is x) of `role` for the `seriesIndex`-th ChartSeries. */
export function plotIndex(seriesIndex: number, role: SeriesRole): number {
  return 1 + seriesIndex * SERIES_ROLES.length + SERIES_ROLES.indexOf(role);
}

/** Inverse of plotIndex; null for the x column. */
export function roleAt(plotIdx: number): { seriesIndex: number; role: SeriesRole } | null {
  if (plotIdx < 1) return null;
  const offset = plotIdx - 1;
  return {
    seriesIndex: Math.floor(offset / SERIES_ROLES.length),
    role: SERIES_ROLES[offset % SERIES_ROLES.length] as SeriesRole,
  };
}

export type MetricPlotColumns = [steps: number[], ...columns: PlotValue[][]];

export interface MetricPlotData {
  columns: MetricPlotColumns;
  /** Points dropped because they are ≤ 0 on a log scale. */
  hiddenNonPositive: number;
}

export interface MetricPlotOptions {
  smoothing: number;
  logScale: boolean;
}

export function buildMetricPlotData(
  series: readonly ChartSeries[],
  { smoothing, logScale }: MetricPlotOptions,
): MetricPlotData {
  const steps = unionSorted(series.map((s) => s.data.step));
  const weight = clampSmoothing(smoothing);
  const guard = logScale ? (v: number): PlotValue => (v > 0 ? v : null) : undefined;
  const columns: MetricPlotColumns = [steps];
  for (const s of series) {
    const { step, min, max, mean } = s.data;
    const line = weight > 0 ? smoothEma(mean, weight) : mean;
    columns.push(
      alignToAxis(step, min, steps, guard),
      alignToAxis(step, max, steps, guard),
      alignToAxis(step, mean, steps, guard),
      alignToAxis(step, line, steps, guard),
    );
  }
  return { columns, hiddenNonPositive: logScale ? countNonPositive(series) : 0 };
}

/** Number of non-positive mean values across all series (what a log scale cannot show). */
function countNonPositive(series: readonly ChartSeries[]): number {
  let n = 0;
  for (const s of series) for (const v of s.data.mean) if (Number.isFinite(v) && v <= 0) n++;
  return n;
}

/** Last index holding a number (not null/undefined/NaN) in a plot column, or -1. */
export function lastDefinedIndex(column: ArrayLike<PlotValue>): number {
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i];
    if (typeof v === "number" && Number.isFinite(v)) return i;
  }
  return -1;
}

/** True when no series has a single point. */
export function isEmptySeries(series: readonly ChartSeries[]): boolean {
  return series.every((s) => s.data.step.length === 0);
}
