"use client";

/** Paints the logit-lens grid onto a canvas for PNG export (same layout as on screen: layer 0 at the bottom). */
import type { ChartTheme } from "./chart-theme.ts";
import { type Rgb, readableTextColor, rgbToCss } from "./color-scale.ts";
import { formatProbability } from "./tick-format.ts";
import { clipToken, displayToken } from "./token-display.ts";
import type { LogitLensCell, LogitLensGridData } from "./types.ts";

const CELL_W = 64;
const CELL_H = 30;
const HEADER_W = 84;
const FOOTER_H = 24;
/** Canvas widths above ~32k px fail; long sequences are cut here (the CSV has everything). */
export const MAX_PNG_POSITIONS = 400;

export function paintLogitLensCanvas(
  data: LogitLensGridData,
  colorOf: (cell: LogitLensCell) => Rgb | null,
  theme: ChartTheme,
): HTMLCanvasElement {
  const positions = Math.min(data.positions.length, MAX_PNG_POSITIONS);
  const layers = data.rows.length;
  const ratio = window.devicePixelRatio || 1;
  const cssWidth = HEADER_W + positions * CELL_W;
  const cssHeight = layers * CELL_H + FOOTER_H;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  canvas.style.width = `${cssWidth}px`;
  const ctx = canvas.getContext("2d");
  if (!ctx) return canvas;
  ctx.scale(ratio, ratio);
  ctx.textBaseline = "middle";
  for (let layer = 0; layer < layers; layer++) {
    const y = (layers - 1 - layer) * CELL_H;
    ctx.fillStyle = theme.text;
    ctx.textAlign = "right";
    ctx.font = `11px ${theme.font}`;
    ctx.fillText(data.layerLabels[layer] ?? String(layer), HEADER_W - 8, y + CELL_H / 2);
    const row = data.rows[layer] ?? [];
    for (let p = 0; p < positions; p++) {
      const cell = row[p];
      const x = HEADER_W + p * CELL_W;
      const rgb = cell ? colorOf(cell) : null;
      ctx.fillStyle = rgb ? rgbToCss(rgb) : theme.missing;
      ctx.fillRect(x, y, CELL_W - 1, CELL_H - 1);
      if (!cell || cell.tokens.length === 0) continue;
      ctx.fillStyle = rgb ? readableTextColor(rgb) : theme.text;
      ctx.textAlign = "center";
      ctx.font = `11px ui-monospace, monospace`;
      ctx.fillText(clipToken(displayToken(cell.tokens[0] ?? ""), 8), x + CELL_W / 2, y + 10);
      ctx.font = `9px ${theme.font}`;
      ctx.fillText(formatProbability(cell.probs[0] ?? Number.NaN), x + CELL_W / 2, y + 22);
    }
  }
  ctx.fillStyle = theme.text;
  ctx.font = `11px ui-monospace, monospace`;
  ctx.textAlign = "center";
  for (let p = 0; p < positions; p++) {
    ctx.fillText(
      clipToken(displayToken(data.positions[p] ?? ""), 8),
      HEADER_W + p * CELL_W + CELL_W / 2,
      layers * CELL_H + FOOTER_H / 2,
    );
  }
  return canvas;
}
