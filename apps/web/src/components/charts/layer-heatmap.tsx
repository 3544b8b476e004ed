"use client";

import {
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from "react";
import { layerHeatmapToCsv } from "./chart-export-data.ts";
import { ChartExportMenu } from "./chart-export-menu.tsx";
import { ChartFrame } from "./chart-frame.tsx";
import { useChartTheme } from "./chart-theme.ts";
import { createColorScale, finiteExtent } from "./color-scale.ts";
import { layerName } from "./depth-normalization.ts";
import { composeChartPng } from "./file-download.ts";
import { computeHeatmapLayout, measureLabels, paintHeatmap } from "./heatmap-canvas.ts";
import { columnEdges, layerAtY, mapPixelsToColumns, rowForLayer, toPixel } from "./heatmap-geometry.ts";
import { formatNats, formatStepExact, formatValue } from "./tick-format.ts";
import type { LayerHeatmapData, StepMarker } from "./types.ts";
import { useElementWidth } from "./use-element-width.ts";

export interface LayerHeatmapProps {
  title: string;
  subtitle?: ReactNode;
  /** rows = layers (0 = embeddings/first layer, drawn at the bottom), columns = steps. */
  data: LayerHeatmapData;
  /** Dashed vertical lines with labels, e.g. the BuPO phase switch. */
  markers?: StepMarker[];
  /** Fixed colour domain in nats (share it across heatmaps to compare); defaults to the data's extent. */
  domain?: [number, number];
  /** Legend title above the colour bar; "nats" by default. */
  valueLabel?: string;
  /** Click or Enter on a cell, e.g. to open the logit lens at that step. */
  onCellSelect?: (cell: { step: number; layer: number }) => void;
  loading?: boolean;
  emptyMessage?: string;
  height?: number;
}

interface Cursor {
  col: number;
  layer: number;
  /** Tooltip anchor in CSS px relative to the canvas. */
  x: number;
  y: number;
}

const NO_MARKERS: StepMarker[] = [];

/**
 * Layer × step heatmap on a canvas: last layer on top, layer 0 at the bottom (as in the logit-lens grid),
 * sequential viridis colour scale with a legend in nats, hover/keyboard tooltip with (step, layer, value).
 */
export function LayerHeatmap({
  title,
  subtitle,
  data,
  markers = NO_MARKERS,
  domain: fixedDomain,
  valueLabel = "nats",
  onCellSelect,
  loading = false,
  emptyMessage,
  height = 280,
}: LayerHeatmapProps) {
  const theme = useChartTheme();
  const hintId = useId();
  const [hostRef, width] = useElementWidth<HTMLDivElement>();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const layers = data.values.length;
  const empty = data.steps.length === 0 || layers === 0;

  const edges = useMemo(() => columnEdges(data.steps), [data.steps]);
  const labelWidth = useMemo(
    () => measureLabels(data.layerLabels.length ? data.layerLabels : [String(layers)], theme),
    [data.layerLabels, layers, theme],
  );
  const layout = useMemo(() => computeHeatmapLayout(width, height, labelWidth), [width, height, labelWidth]);
  const pixelColumns = useMemo(
    () => mapPixelsToColumns(edges, layout.plot.width),
    [edges, layout.plot.width],
  );
  const domain = useMemo<[number, number]>(
    () => fixedDomain ?? finiteExtent(data.values) ?? [0, 1],
    [fixedDomain, data.values],
  );

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width === 0) return;
    paintHeatmap(canvas, {
      data,
      layout,
      edges,
      pixelColumns,
      colorOf: createColorScale(domain),
      domain,
      markers,
      theme,
      valueLabel,
    });
  }, [data, layout, edges, pixelColumns, domain, markers, theme, valueLabel, width]);

  const { plot } = layout;
  const lo = edges[0] ?? 0;
  const hi = edges[edges.length - 1] ?? 1;
  const rowHeight = plot.height / Math.max(1, layers);
  const cellRect = (col: number, layer: number) => {
    const x0 = plot.left + toPixel(edges[col] ?? lo, lo, hi, plot.width);
    const x1 = plot.left + toPixel(edges[col + 1] ?? hi, lo, hi, plot.width);
    return {
      left: x0,
      width: Math.max(2, x1 - x0),
      top: plot.top + rowForLayer(layer, layers) * rowHeight,
      height: rowHeight,
    };
  };
  const describe = (col: number, layer: number) =>
    `step ${formatStepExact(data.steps[col] ?? Number.NaN)}, ${layerName(layer, data.layerLabels)}: ${formatNats(data.values[layer]?.[col])}`;

  const onMouseMove = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const px = Math.floor(x - plot.left);
    if (empty || px < 0 || px >= plot.width || y < plot.top || y >= plot.top + plot.height) {
      setCursor(null);
      return;
    }
    const col = pixelColumns[px] ?? -1;
    if (col >= 0) setCursor({ col, layer: layerAtY(y - plot.top, plot.height, layers), x, y });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (empty) return;
    const current = cursor ?? { col: data.steps.length - 1, layer: layers - 1 };
    const stride = event.shiftKey ? 10 : 1;
    let { col, layer } = current;
    switch (event.key) {
      case "ArrowLeft":
        col -= stride;
        break;
      case "ArrowRight":
        col += stride;
        break;
      case "ArrowUp":
        layer += 1;
        break;
      case "ArrowDown":
        layer -= 1;
        break;
      case "Home":
        col = 0;
        break;
      case "End":
        col = data.steps.length - 1;
        break;
      case "Enter":
        if (cursor) onCellSelect?.({ step: data.steps[cursor.col] as number, layer: cursor.layer });
        event.preventDefault();
        return;
      case "Escape":
        setCursor(null);
        return;
      default:
        return;
    }
    event.preventDefault();
    col = Math.min(data.steps.length - 1, Math.max(0, col));
    layer = Math.min(layers - 1, Math.max(0, layer));
    const rect = cellRect(col, layer);
    setCursor({ col, layer, x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    setAnnouncement(describe(col, layer));
  };

  const highlight = cursor ? cellRect(cursor.col, cursor.layer) : null;
  const flipTooltip = cursor != null && cursor.x > width - 200;

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
            const canvas = canvasRef.current;
            if (!canvas) return null;
            return composeChartPng({
              source: canvas,
              cssWidth: layout.width,
              title,
              subtitle: `colour = ${valueLabel}; last layer on top, layer 0 at the bottom`,
              theme,
            });
          }}
          getCsv={() => layerHeatmapToCsv(data)}
          getJson={() => data}
        />
      }
      footer={`Last layer on top, layer 0 (embeddings) at the bottom. Colour: ${valueLabel} from ${formatValue(domain[0])} to ${formatValue(domain[1])}.`}
    >
      <div
        ref={hostRef}
        role="application"
        aria-roledescription="chart"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard-operated chart (arrow keys move a cursor, values go to a live region).
        tabIndex={0}
        aria-label={`${title}: heatmap of ${valueLabel} by layer (${layers} layers) and step (${data.steps.length} steps)`}
        aria-describedby={hintId}
        onKeyDown={onKeyDown}
        onBlur={() => setCursor(null)}
        className="relative w-full rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
        style={{ height }}
      >
        <canvas
          ref={canvasRef}
          onMouseMove={onMouseMove}
          onMouseLeave={() => setCursor(null)}
          onClick={() =>
            cursor && onCellSelect?.({ step: data.steps[cursor.col] as number, layer: cursor.layer })
          }
          className={onCellSelect ? "cursor-pointer" : undefined}
        />
        {highlight ? (
          <div
            aria-hidden
            className="pointer-events-none absolute border-2 border-white mix-blend-difference"
            style={highlight}
          />
        ) : null}
        {cursor ? (
          <div
            aria-hidden
            className="pointer-events-none absolute z-10 whitespace-nowrap rounded-md border border-zinc-200 bg-white px-2 py-1 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900"
            style={{
              top: Math.min(cursor.y + 14, height - 56),
              ...(flipTooltip ? { right: width - cursor.x + 14 } : { left: cursor.x + 14 }),
            }}
          >
            <div className="font-medium">{formatNats(data.values[cursor.layer]?.[cursor.col])}</div>
            <div className="text-zinc-600 dark:text-zinc-400">
              step {formatStepExact(data.steps[cursor.col] ?? Number.NaN)} ·{" "}
              {layerName(cursor.layer, data.layerLabels)}
            </div>
          </div>
        ) : null}
      </div>
      <p id={hintId} className="sr-only">
        Arrow keys move between steps (left, right) and layers (up, down); shift moves ten steps
        {onCellSelect ? "; Enter opens the cell" : ""}.
      </p>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </ChartFrame>
  );
}
