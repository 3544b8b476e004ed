"use client";

import "uplot/dist/uPlot.min.css";
import { type KeyboardEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import { layerProfileToCsv } from "./chart-export-data.ts";
import { ChartExportMenu } from "./chart-export-menu.tsx";
import { ChartFrame } from "./chart-frame.tsx";
import { isNavigationKey, nextIndex } from "./chart-keyboard.ts";
import { type ChartTheme, useChartTheme } from "./chart-theme.ts";
import {
  formatLayerTick,
  layerAxisNote,
  layerAxisTitle,
  layerName,
  layerPosition,
} from "./depth-normalization.ts";
import { composeChartPng } from "./file-download.ts";
import { buildLayerProfileColumns, layerMarkerPositions } from "./layer-profile-data.ts";
import { widenDegenerate } from "./metric-chart-options.ts";
import { StepScrubber } from "./step-scrubber.tsx";
import { formatValue } from "./tick-format.ts";
import type { LayerMarker, LayerProfileSeries, StepMarker } from "./types.ts";
import { makeXAxis, makeYAxis } from "./uplot-axes.ts";
import { type VerticalMarker, verticalMarkersPlugin, zeroLinePlugin } from "./uplot-markers-plugin.ts";
import { useElementWidth } from "./use-element-width.ts";
import { useUplot } from "./use-uplot.ts";

export interface LayerProfileChartProps {
  title: string;
  subtitle?: ReactNode;
  /** y-axis label; "entropy (nats)" by default. */
  yLabel?: string;
  /** One line per run or per step. */
  series: LayerProfileSeries[];
  /** Tick labels for layer indices (ignored when normalising depth). */
  layerLabels?: string[];
  /** x = layer / L so models of different depth line up; otherwise x = 0-based layer index. */
  normalizeDepth?: boolean;
  /** Dashed vertical lines at layers, e.g. BuPO's internal layer k. */
  layerMarkers?: LayerMarker[];
  /** Draws y = 0 (for entropy-change profiles). */
  zeroLine?: boolean;
  /** Available steps; shows a step scrubber when given. */
  steps?: number[];
  step?: number;
  onStepChange?: (step: number) => void;
  /** Step markers shown on the scrubber, e.g. the BuPO phase switch. */
  stepMarkers?: StepMarker[];
  loading?: boolean;
  emptyMessage?: string;
  height?: number;
}

const NONE: LayerMarker[] = [];

/** Entropy (or Δ entropy) along depth, one line per series, with an optional step scrubber. */
export function LayerProfileChart({
  title,
  subtitle,
  yLabel = "entropy (nats)",
  series,
  layerLabels,
  normalizeDepth = false,
  layerMarkers = NONE,
  zeroLine = false,
  steps,
  step,
  onStepChange,
  stepMarkers,
  loading = false,
  emptyMessage,
  height = 240,
}: LayerProfileChartProps) {
  const theme = useChartTheme();
  const hintId = useId();
  const [hostRef, width] = useElementWidth<HTMLDivElement>();
  const [hoverIdxs, setHoverIdxs] = useState<number[] | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const columns = useMemo(() => buildLayerProfileColumns(series, normalizeDepth), [series, normalizeDepth]);
  const markers = useMemo(
    () => layerMarkerPositions(layerMarkers, series, normalizeDepth),
    [layerMarkers, series, normalizeDepth],
  );
  const live = useRef({ markers, count: series.length });
  useEffect(() => {
    live.current = { markers, count: series.length };
  });
  const empty = series.every((s) => s.values.length === 0);
  const structureKey = JSON.stringify([
    normalizeDepth,
    zeroLine,
    theme.dark,
    yLabel,
    layerLabels,
    series.map((s) => [s.color, s.dashed === true]),
  ]);

  const plotRef = useUplot({
    containerRef: hostRef,
    data: columns as uPlot.AlignedData,
    structureKey,
    width,
    height,
    makeOptions: (w, h) =>
      buildOptions({
        width: w,
        height: h,
        series,
        theme,
        yLabel,
        normalizeDepth,
        zeroLine,
        layerLabels,
        getMarkers: () => live.current.markers,
        onCursor: (plot) => setHoverIdxs(readIdxs(plot, live.current.count)),
      }),
  });
  useEffect(() => {
    live.current.markers = markers;
    plotRef.current?.redraw(false);
  }, [plotRef, markers]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const plot = plotRef.current;
    const xs = plot?.data[0];
    if (!plot || !xs?.length || !isNavigationKey(event.key)) return;
    const idx = nextIndex(
      xs,
      xs[0] as number,
      xs[xs.length - 1] as number,
      plot.cursor.idx ?? null,
      event.key,
    );
    if (idx < 0) return;
    plot.setCursor({ left: plot.valToPos(xs[idx] as number, "x"), top: plot.over.clientHeight / 2 });
    const x = xs[idx] as number;
    const where = normalizeDepth ? `depth ${formatLayerTick(x, true)}` : layerName(x, layerLabels);
    const values = series.map((s, i) => `${s.label} ${formatValue(columns[i + 1]?.[idx])}`);
    setAnnouncement(`${where}: ${values.join(", ")}`);
    event.preventDefault();
  };

  const hovered = hoverIdxs?.find((i) => i >= 0);
  const hoverX = hovered == null ? null : columns[0][hovered];
  return (
    <ChartFrame
      title={title}
      subtitle={subtitle}
      loading={loading}
      empty={empty}
      emptyMessage={emptyMessage}
      minHeight={height}
      toolbar={
        <ChartExportMenu
          title={title}
          disabled={empty}
          getPng={async () => {
            const plot = plotRef.current;
            if (!plot) return null;
            return composeChartPng({
              source: plot.ctx.canvas,
              cssWidth: plot.width,
              title,
              subtitle: [yLabel, layerAxisTitle(normalizeDepth)].join(" by "),
              legend: series.map((s) => ({ label: s.label, color: s.color })),
              theme,
            });
          }}
          getCsv={() => layerProfileToCsv(series, (i, n) => layerPosition(i, n, normalizeDepth), layerLabels)}
          getJson={() => ({ normalizeDepth, layerLabels: layerLabels ?? null, series })}
        />
      }
      footer={layerAxisNote(normalizeDepth)}
    >
      <div
        ref={hostRef}
        role="application"
        aria-roledescription="chart"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard-operated chart (arrow keys move a cursor, values go to a live region).
        tabIndex={0}
        aria-label={`${title}: ${yLabel} by ${layerAxisTitle(normalizeDepth)} for ${series.map((s) => s.label).join(", ") || "no series"}`}
        aria-describedby={hintId}
        onKeyDown={onKeyDown}
        onBlur={() => plotRef.current?.setCursor({ left: -10, top: -10 })}
        className="w-full rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
        style={{ height }}
      />
      <p id={hintId} className="sr-only">
        Left and right arrows move across layers and read each series' value.
      </p>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label="Legend">
        {series.map((s, i) => {
          const row = hoverIdxs?.[i] ?? -1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: labels may repeat; the series slot is the identity.
            <li key={`${s.label}-${i}`} className="inline-flex items-baseline gap-1.5">
              <span
                aria-hidden
                className="inline-block h-2.5 w-2.5 self-center rounded-sm"
                style={{ background: s.color }}
              />
              <span className="font-medium text-zinc-800 dark:text-zinc-200">{s.label}</span>
              {row >= 0 ? (
                <span className="font-mono tabular-nums text-zinc-700 dark:text-zinc-300">
                  {formatValue(columns[i + 1]?.[row])}
                </span>
              ) : null}
            </li>
          );
        })}
        {hoverX != null ? (
          <li className="text-zinc-500 dark:text-zinc-400">
            at {normalizeDepth ? `depth ${formatLayerTick(hoverX, true)}` : layerName(hoverX, layerLabels)}
          </li>
        ) : null}
      </ul>
      {steps ? (
        <StepScrubber steps={steps} step={step} onStepChange={onStepChange} markers={stepMarkers} />
      ) : null}
    </ChartFrame>
  );
}

interface ProfileOptionsInput {
  width: number;
  height: number;
  series: readonly LayerProfileSeries[];
  theme: ChartTheme;
  yLabel: string;
  normalizeDepth: boolean;
  zeroLine: boolean;
  layerLabels?: readonly string[];
  getMarkers: () => readonly VerticalMarker[];
  onCursor: (plot: uPlot) => void;
}

function buildOptions(input: ProfileOptionsInput): uPlot.Options {
  const { theme, normalizeDepth } = input;
  return {
    width: input.width,
    height: input.height,
    legend: { show: false },
    padding: [12, 16, 0, 0],
    series: [
      { label: "layer" },
      ...input.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 1.75,
        ...(s.dashed ? { dash: [6, 4] } : {}),
        points: { show: true, size: 4, fill: s.color },
      })),
    ],
    scales: { x: { time: false, range: widenDegenerate } },
    axes: [
      makeXAxis(
        theme,
        layerAxisTitle(normalizeDepth),
        (v) => formatLayerTick(v, normalizeDepth, input.layerLabels),
        {
          incrs: normalizeDepth ? [0.05, 0.1, 0.25, 0.5, 1] : [1, 2, 4, 5, 8, 10, 16, 20, 32, 50],
        },
      ),
      makeYAxis(theme, input.yLabel, formatValue),
    ],
    cursor: { y: false, drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
    hooks: { setCursor: [input.onCursor] },
    plugins: [
      verticalMarkersPlugin(input.getMarkers, theme),
      ...(input.zeroLine ? [zeroLinePlugin(theme)] : []),
    ],
  };
}

function readIdxs(plot: uPlot, count: number): number[] | null {
  if (plot.cursor.idx == null) return null;
  return Array.from({ length: count }, (_, i) => plot.cursor.idxs?.[i + 1] ?? -1);
}
