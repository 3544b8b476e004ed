"use client";

import "uplot/dist/uPlot.min.css";
import { type KeyboardEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import { metricSeriesToCsv, metricSeriesToJson } from "./chart-export-data.ts";
import { ChartExportMenu } from "./chart-export-menu.tsx";
import { ChartFrame } from "./chart-frame.tsx";
import { isNavigationKey, nextIndex, zoomAround } from "./chart-keyboard.ts";
import { useChartTheme } from "./chart-theme.ts";
import { ChartToolbar, ToolbarButton } from "./chart-toolbar.tsx";
import { clampSmoothing } from "./ema-smoothing.ts";
import { composeChartPng } from "./file-download.ts";
import { MetricChartLegend } from "./metric-chart-legend.tsx";
import { buildMetricChartOptions } from "./metric-chart-options.ts";
import { buildMetricPlotData, isEmptySeries, lastDefinedIndex, plotIndex } from "./metric-plot-data.ts";
import { formatStep, formatStepExact, formatValue } from "./tick-format.ts";
import type { ChartSeries, StepMarker, StepRange } from "./types.ts";
import { useElementWidth } from "./use-element-width.ts";
import { useUplot } from "./use-uplot.ts";

export interface MetricChartProps {
  /** Chart title, e.g. the metric key "actor/entropy". Also names exported files. */
  title: string;
  subtitle?: ReactNode;
  /** y-axis label, e.g. "nats". */
  yLabel?: string;
  /** x-axis label; "step" by default. */
  xLabel?: string;
  /** One entry per run; each drawn as its mean line plus a light min/max band. */
  series: ChartSeries[];
  /** Dashed vertical lines with labels, e.g. the BuPO phase switch. */
  markers?: StepMarker[];
  /** EMA weight 0–0.99 applied to the mean line; the raw line stays faint behind it. */
  smoothing?: number;
  /** Controlled log scale; leave undefined to let the chart's own toggle manage it. */
  logScale?: boolean;
  defaultLogScale?: boolean;
  onLogScaleChange?: (logScale: boolean) => void;
  /** The step window the page queried (null = everything); kept across live data updates. */
  range?: StepRange | null;
  /** Drag-to-zoom / keyboard zoom → {from, to}; reset → null. Re-query at full resolution here. */
  onRangeChange?: (range: StepRange | null) => void;
  /** Click or Enter on a point, e.g. to open the logit lens at that checkpoint. */
  onStepSelect?: (step: number) => void;
  loading?: boolean;
  emptyMessage?: string;
  /** Plot height in CSS px (width follows the container). Default 240. */
  height?: number;
  /** Charts with the same key share the hover cursor (run page: all metrics at one step). */
  syncKey?: string;
}

const NO_MARKERS: StepMarker[] = [];

/** One metric over steps for one or more runs, uPlot on canvas. */
export function MetricChart({
  title,
  subtitle,
  yLabel,
  xLabel = "step",
  series,
  markers = NO_MARKERS,
  smoothing = 0,
  logScale: controlledLog,
  defaultLogScale = false,
  onLogScaleChange,
  range = null,
  onRangeChange,
  onStepSelect,
  loading = false,
  emptyMessage,
  height = 240,
  syncKey,
}: MetricChartProps) {
  const theme = useChartTheme();
  const hintId = useId();
  const [hostRef, width] = useElementWidth<HTMLDivElement>();
  const [ownLog, setOwnLog] = useState(defaultLogScale);
  const logScale = controlledLog ?? ownLog;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const [hoverRows, setHoverRows] = useState<number[] | null>(null);
  const [localZoom, setLocalZoom] = useState<StepRange | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const zoom = localZoom ?? range;
  const weight = clampSmoothing(smoothing);

  const { columns, hiddenNonPositive } = useMemo(
    () => buildMetricPlotData(series, { smoothing: weight, logScale }),
    [series, weight, logScale],
  );
  const structureKey = JSON.stringify([
    logScale,
    theme.dark,
    xLabel,
    yLabel,
    syncKey,
    seriesIdentity(series),
  ]);

  // Latest props/state for uPlot callbacks, which are bound once per plot.
  const live = useRef({ series, markers, zoom, hidden, weight, onRangeChange, onStepSelect });
  useEffect(() => {
    live.current = { series, markers, zoom, hidden, weight, onRangeChange, onStepSelect };
  });

  const applyZoom = (next: StepRange | null) => {
    setLocalZoom(next);
    onRangeChange?.(next);
  };
  const actions = useRef({ applyZoom });
  useEffect(() => {
    actions.current = { applyZoom };
  });

  const plotRef = useUplot({
    containerRef: hostRef,
    data: columns as uPlot.AlignedData,
    structureKey,
    width,
    height,
    makeOptions: (w, h) =>
      buildMetricChartOptions({
        width: w,
        height: h,
        series,
        logScale,
        xLabel,
        yLabel,
        theme,
        syncKey,
        getMarkers: () => live.current.markers.map((m) => ({ x: m.step, label: m.label })),
        onSelectRange: (r) => actions.current.applyZoom(r),
        onResetZoom: () => actions.current.applyZoom(null),
        onCursorMove: (plot) => setHoverRows(readHoverRows(plot, live.current.series.length)),
        onClickStep: (plot) => {
          const idx = plot.cursor.idx;
          if (idx != null) live.current.onStepSelect?.(plot.data[0][idx] as number);
        },
      }),
    onData: (plot) => {
      applyVisibility(plot, live.current.series, live.current.hidden, live.current.weight > 0);
      applyWindow(plot, live.current.zoom);
    },
  });

  useEffect(() => {
    const plot = plotRef.current;
    if (plot) applyVisibility(plot, series, hidden, weight > 0);
  }, [plotRef, series, hidden, weight]);
  useEffect(() => {
    live.current.markers = markers;
    plotRef.current?.redraw(false);
  }, [plotRef, markers]);
  const zoomFrom = zoom?.from;
  const zoomTo = zoom?.to;
  useEffect(() => {
    const plot = plotRef.current;
    if (plot) applyWindow(plot, zoomFrom == null || zoomTo == null ? null : { from: zoomFrom, to: zoomTo });
  }, [plotRef, zoomFrom, zoomTo]);
  // A new range from the page replaces a local zoom.
  const rangeFrom = range?.from;
  const rangeTo = range?.to;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page's range values change.
  useEffect(() => setLocalZoom(null), [rangeFrom, rangeTo]);

  const rows = hoverRows ?? series.map((_, i) => lastDefinedIndex(columns[plotIndex(i, "line")] ?? []));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const plot = plotRef.current;
    const xs = plot?.data[0];
    if (!plot || !xs || xs.length === 0) return;
    const min = plot.scales.x?.min ?? (xs[0] as number);
    const max = plot.scales.x?.max ?? (xs[xs.length - 1] as number);
    const current = plot.cursor.idx ?? null;
    if (isNavigationKey(event.key)) {
      const idx = nextIndex(xs, min, max, current, event.key, event.shiftKey);
      if (idx < 0) return;
      plot.setCursor({ left: plot.valToPos(xs[idx] as number, "x"), top: plot.over.clientHeight / 2 });
      setAnnouncement(describeRow(series, columns, readHoverRows(plot, series.length), xs[idx] as number));
    } else if (event.key === "+" || event.key === "=" || event.key === "-") {
      const center = current == null ? (min + max) / 2 : (xs[current] as number);
      applyZoom(zoomAround(center, min, max, event.key === "-" ? 2 : 0.5));
    } else if (event.key === "Escape" && zoom) {
      applyZoom(null);
    } else if (event.key === "Enter" && current != null && onStepSelect) {
      onStepSelect(xs[current] as number);
    } else {
      return;
    }
    event.preventDefault();
  };

  const toggleLog = () => {
    setOwnLog(!logScale);
    onLogScaleChange?.(!logScale);
  };
  const visibleSeries = series.filter((s) => !hidden.has(s.data.key));

  return (
    <ChartFrame
      title={title}
      subtitle={subtitle}
      loading={loading}
      empty={isEmptySeries(series)}
      emptyMessage={emptyMessage}
      minHeight={height}
      toolbar={
        <ChartToolbar label={`${title} controls`}>
          {zoom ? (
            <ToolbarButton onClick={() => applyZoom(null)} title="Show all steps (Esc)">
              Reset zoom
            </ToolbarButton>
          ) : null}
          <ToolbarButton pressed={logScale} onClick={toggleLog}>
            Log scale
          </ToolbarButton>
          <ChartExportMenu
            title={title}
            disabled={isEmptySeries(series)}
            getPng={async () => {
              const plot = plotRef.current;
              if (!plot) return null;
              return composeChartPng({
                source: plot.ctx.canvas,
                cssWidth: plot.width,
                title,
                subtitle: describeView(yLabel, weight, logScale, zoom),
                legend: visibleSeries.map((s) => ({ label: s.label, color: s.color })),
                theme,
              });
            }}
            getCsv={() => metricSeriesToCsv(visibleSeries, { smoothing: weight, range: zoom })}
            getJson={() => metricSeriesToJson(visibleSeries, { smoothing: weight, range: zoom })}
          />
        </ChartToolbar>
      }
      footer={
        hiddenNonPositive > 0
          ? `${hiddenNonPositive} point${hiddenNonPositive === 1 ? "" : "s"} ≤ 0 not shown on the log scale.`
          : undefined
      }
    >
      <div
        ref={hostRef}
        role="application"
        aria-roledescription="chart"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard-operated chart (arrow keys move a cursor, values go to a live region).
        tabIndex={0}
        aria-label={`${title}: line chart of ${series.map((s) => s.label).join(", ") || "no runs"} over ${xLabel}`}
        aria-describedby={hintId}
        onKeyDown={onKeyDown}
        onBlur={() => plotRef.current?.setCursor({ left: -10, top: -10 })}
        className="w-full rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600 [&_.u-select]:bg-zinc-900/10 dark:[&_.u-select]:bg-white/15"
        style={{ height }}
      />
      <p id={hintId} className="sr-only">
        Drag across the chart to zoom into steps. Keyboard: left and right arrows read values, plus and minus
        zoom, Escape resets the zoom{onStepSelect ? ", Enter opens the step" : ""}.
      </p>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      <MetricChartLegend
        series={series}
        columns={columns}
        rows={rows}
        hovering={hoverRows !== null}
        smoothing={weight > 0}
        hidden={hidden}
        onToggle={(key) =>
          setHidden((prev) => {
            const next = new Set(prev);
            if (!next.delete(key)) next.add(key);
            return next;
          })
        }
      />
    </ChartFrame>
  );
}

function seriesIdentity(series: readonly ChartSeries[]) {
  return series.map((s) => [s.data.key, s.color]);
}

/** Per run, the row of its line under the cursor (uPlot skips runs' missing steps); null when not hovering. */
function readHoverRows(plot: uPlot, count: number): number[] | null {
  if (plot.cursor.idx == null) return null;
  const idxs = plot.cursor.idxs ?? [];
  return Array.from({ length: count }, (_, i) => idxs[plotIndex(i, "line")] ?? -1);
}

function applyVisibility(
  plot: uPlot,
  series: readonly ChartSeries[],
  hidden: ReadonlySet<string>,
  raw: boolean,
) {
  plot.batch(() => {
    series.forEach((s, i) => {
      const on = !hidden.has(s.data.key);
      const want = [on, on, on && raw, on];
      (["min", "max", "raw", "line"] as const).forEach((role, r) => {
        const idx = plotIndex(i, role);
        if (plot.series[idx] && plot.series[idx].show !== want[r]) plot.setSeries(idx, { show: want[r] });
      });
    });
  });
}

/** Shows `window` on the x scale, or the full data extent when null. */
function applyWindow(plot: uPlot, window: StepRange | null) {
  const xs = plot.data[0];
  if (window) plot.setScale("x", { min: window.from, max: window.to });
  else if (xs.length > 0) plot.setScale("x", { min: xs[0] as number, max: xs[xs.length - 1] as number });
}

function describeRow(
  series: readonly ChartSeries[],
  columns: ReturnType<typeof buildMetricPlotData>["columns"],
  rows: number[] | null,
  step: number,
) {
  const values = series.map(
    (s, i) => `${s.label} ${formatValue(columns[plotIndex(i, "line")]?.[rows?.[i] ?? -1])}`,
  );
  return `Step ${formatStepExact(step)}: ${values.join(", ")}`;
}

function describeView(yLabel: string | undefined, smoothing: number, log: boolean, zoom: StepRange | null) {
  return [
    yLabel,
    smoothing > 0 ? `EMA smoothing ${smoothing}` : null,
    log ? "log scale" : null,
    zoom ? `steps ${formatStep(zoom.from)}–${formatStep(zoom.to)}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
}
