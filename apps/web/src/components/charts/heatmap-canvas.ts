"use client";

/**
 * Paints LayerHeatmap on a canvas: cells (one ImageData row per layer, one pixel column per CSS pixel,
 * scaled up without smoothing), layer labels, step ticks, step markers and the colour legend in nats.
 * Work is O(plotWidth × layers + steps); nothing here allocates per cell.
 */
import type { ChartTheme } from "./chart-theme.ts";
import { gradientStops, hexToRgb, type Rgb } from "./color-scale.ts";
import { labelStride, rowForLayer, toPixel } from "./heatmap-geometry.ts";
import { formatStep, formatValue, niceTicks } from "./tick-format.ts";
import type { LayerHeatmapData, StepMarker } from "./types.ts";

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  plot: Rect;
  legend: Rect;
}

const LEGEND_WIDTH = 12;
const LEGEND_GUTTER = 64;
const BOTTOM = 38;
const TOP = 24;

/** Plot and legend rectangles for a canvas of `width` × `height`, left margin fitting the layer labels. */
export function computeHeatmapLayout(width: number, height: number, labelWidth: number): HeatmapLayout {
  const left = Math.min(140, Math.max(28, Math.ceil(labelWidth) + 12));
  const plotWidth = Math.max(10, width - left - LEGEND_GUTTER - 8);
  const plot = { left, top: TOP, width: plotWidth, height: Math.max(10, height - TOP - BOTTOM) };
  return {
    width,
    height,
    plot,
    legend: { left: left + plotWidth + 16, top: TOP, width: LEGEND_WIDTH, height: plot.height },
  };
}

export interface HeatmapPaint {
  data: LayerHeatmapData;
  layout: HeatmapLayout;
  /** Column edges in step units (see columnEdges). */
  edges: readonly number[];
  /** Step column for each pixel column of the plot (see mapPixelsToColumns). */
  pixelColumns: Int32Array;
  colorOf: (value: number) => Rgb | null;
  domain: readonly [number, number];
  markers: readonly StepMarker[];
  theme: ChartTheme;
  valueLabel: string;
}

export function paintHeatmap(canvas: HTMLCanvasElement, paint: HeatmapPaint): void {
  const { layout, theme } = paint;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(layout.width * ratio);
  canvas.height = Math.round(layout.height * ratio);
  canvas.style.width = `${layout.width}px`;
  canvas.style.height = `${layout.height}px`;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);
  paintCells(ctx, paint);
  ctx.font = `11px ${theme.font}`;
  paintLayerLabels(ctx, paint);
  paintStepAxis(ctx, paint);
  paintMarkers(ctx, paint);
  paintLegend(ctx, paint);
}

/** Widest layer label in px at the axis font, for computeHeatmapLayout. */
export function measureLabels(labels: readonly string[], theme: ChartTheme): number {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  if (typeof document === "undefined") return longest * 6.5;
  const ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return 40;
  ctx.font = `11px ${theme.font}`;
  return Math.max(0, ...labels.map((l) => ctx.measureText(l).width));
}

function paintCells(
  ctx: CanvasRenderingContext2D,
  { data, layout, pixelColumns, colorOf, theme }: HeatmapPaint,
) {
  const layers = data.values.length;
  const columns = pixelColumns.length;
  if (layers === 0 || columns === 0) return;
  const image = new ImageData(columns, layers);
  const pixels = image.data;
  const missing = hexToRgb(theme.missing);
  for (let layer = 0; layer < layers; layer++) {
    const values = data.values[layer] ?? [];
    const rowOffset = rowForLayer(layer, layers) * columns * 4;
    for (let x = 0; x < columns; x++) {
      const col = pixelColumns[x] as number;
      const rgb = (col >= 0 ? colorOf(values[col] ?? Number.NaN) : null) ?? missing;
      const o = rowOffset + x * 4;
      pixels[o] = rgb[0];
      pixels[o + 1] = rgb[1];
      pixels[o + 2] = rgb[2];
      pixels[o + 3] = 255;
    }
  }
  const offscreen = document.createElement("canvas");
  offscreen.width = columns;
  offscreen.height = layers;
  offscreen.getContext("2d")?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  const { plot } = layout;
  ctx.drawImage(offscreen, plot.left, plot.top, plot.width, plot.height);
}

function paintLayerLabels(ctx: CanvasRenderingContext2D, { data, layout, theme }: HeatmapPaint) {
  const layers = data.values.length;
  const { plot } = layout;
  const rowHeight = plot.height / Math.max(1, layers);
  const stride = labelStride(layers, plot.height, 13);
  ctx.fillStyle = theme.text;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let layer = 0; layer < layers; layer += stride) {
    const y = plot.top + (rowForLayer(layer, layers) + 0.5) * rowHeight;
    ctx.fillText(data.layerLabels[layer] ?? String(layer), plot.left - 6, y);
  }
}

function paintStepAxis(ctx: CanvasRenderingContext2D, { data, layout, edges, theme }: HeatmapPaint) {
  const { plot } = layout;
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const first = data.steps[0];
  const last = data.steps[data.steps.length - 1];
  if (lo == null || hi == null || first == null || last == null) return;
  const bottom = plot.top + plot.height;
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.text;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.lineWidth = 1;
  const ticks = niceTicks(first, last, Math.max(2, Math.floor(plot.width / 90)));
  for (const step of ticks) {
    if (step < lo || step > hi) continue;
    const x = Math.round(plot.left + toPixel(step, lo, hi, plot.width)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, bottom);
    ctx.lineTo(x, bottom + 4);
    ctx.stroke();
    ctx.fillText(formatStep(step), x, bottom + 6);
  }
  ctx.fillText("step", plot.left + plot.width / 2, bottom + 21);
}

function paintMarkers(ctx: CanvasRenderingContext2D, { layout, edges, markers, theme }: HeatmapPaint) {
  const { plot } = layout;
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  if (lo == null || hi == null) return;
  ctx.save();
  ctx.textAlign = "left";
  ctx.textBaseline = "bottom";
  for (const marker of markers) {
    if (marker.step < lo || marker.step > hi) continue;
    const x = Math.round(plot.left + toPixel(marker.step, lo, hi, plot.width)) + 0.5;
    // A faint halo keeps the dashed line visible on both ends of the colour scale.
    ctx.globalAlpha = 0.45;
    ctx.strokeStyle = theme.background;
    ctx.lineWidth = 3.5;
    ctx.setLineDash([]);
    line(ctx, x, plot.top, plot.top + plot.height);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = theme.marker;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 4]);
    line(ctx, x, plot.top, plot.top + plot.height);
    const w = ctx.measureText(marker.label).width;
    const textX = x + 4 + w > plot.left + plot.width ? x - 4 - w : x + 4;
    ctx.fillStyle = theme.marker;
    ctx.fillText(marker.label, textX, plot.top - 3);
  }
  ctx.restore();
}

function paintLegend(ctx: CanvasRenderingContext2D, { layout, domain, theme, valueLabel }: HeatmapPaint) {
  const { legend } = layout;
  const gradient = ctx.createLinearGradient(0, legend.top + legend.height, 0, legend.top);
  for (const [offset, color] of gradientStops()) gradient.addColorStop(offset, color);
  ctx.fillStyle = gradient;
  ctx.fillRect(legend.left, legend.top, legend.width, legend.height);
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(legend.left + 0.5, legend.top + 0.5, legend.width - 1, legend.height - 1);
  const [min, max] = domain;
  ctx.fillStyle = theme.text;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  for (const v of niceTicks(min, max, Math.max(2, Math.floor(legend.height / 32)))) {
    const y = legend.top + legend.height - toPixel(v, min, max, legend.height);
    ctx.fillText(formatValue(v), legend.left + legend.width + 4, y);
  }
  ctx.textBaseline = "bottom";
  ctx.fillText(valueLabel, legend.left - 2, legend.top - 9);
}

function line(ctx: CanvasRenderingContext2D, x: number, y0: number, y1: number) {
  ctx.beginPath();
  ctx.moveTo(x, y0);
  ctx.lineTo(x, y1);
  ctx.stroke();
}
