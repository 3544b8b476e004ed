"use client";

import { type MetricPlotColumns, plotIndex } from "./metric-plot-data.ts";
import { formatStepExact, formatValue } from "./tick-format.ts";
import type { ChartSeries } from "./types.ts";

export interface MetricChartLegendProps {
  series: readonly ChartSeries[];
  columns: MetricPlotColumns;
  /** Per series, the row of the shared step axis to show (hovered point, or its latest point); -1 = none. */
  rows: readonly number[];
  hovering: boolean;
  smoothing: boolean;
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
}

/**
 * Values of every run at the hovered step (or the latest step when not hovering), W&B-style. Each entry is
 * a toggle button that hides or shows its run.
 */
export function MetricChartLegend({
  series,
  columns,
  rows,
  hovering,
  smoothing,
  hidden,
  onToggle,
}: MetricChartLegendProps) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label="Legend">
      {series.map((s, i) => {
        const row = rows[i] ?? -1;
        const value = (role: "min" | "max" | "raw" | "line") => columns[plotIndex(i, role)]?.[row];
        const off = hidden.has(s.data.key);
        const min = value("min");
        const max = value("max");
        return (
          <li key={s.data.key}>
            <button
              type="button"
              aria-pressed={!off}
              title={off ? `Show ${s.label}` : `Hide ${s.label}`}
              onClick={() => onToggle(s.data.key)}
              className={`inline-flex items-baseline gap-1.5 rounded px-1 py-0.5 text-left hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-emerald-600 dark:hover:bg-zinc-800 ${off ? "opacity-40" : ""}`}
            >
              <span
                aria-hidden
                className="inline-block h-2.5 w-2.5 shrink-0 self-center rounded-sm"
                style={{ background: s.color }}
              />
              <span className="font-medium text-zinc-800 dark:text-zinc-200">{s.label}</span>
              {row >= 0 ? (
                <span className="font-mono tabular-nums text-zinc-700 dark:text-zinc-300">
                  {formatValue(value("line"))}
                  {smoothing ? (
                    <span className="text-zinc-500 dark:text-zinc-400">
                      {" "}
                      (raw {formatValue(value("raw"))})
                    </span>
                  ) : null}
                  {min != null && max != null && min !== max ? (
                    <span className="text-zinc-500 dark:text-zinc-400">
                      {" "}
                      [{formatValue(min)}, {formatValue(max)}]
                    </span>
                  ) : null}
                  <span className="text-zinc-500 dark:text-zinc-400">
                    {" "}
                    @ {hovering ? "" : "latest "}step {formatStepExact(columns[0][row] ?? Number.NaN)}
                  </span>
                </span>
              ) : (
                <span className="text-zinc-500 dark:text-zinc-400">no points</span>
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
