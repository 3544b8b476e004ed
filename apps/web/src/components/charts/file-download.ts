"use client";

/**
 * Browser downloads for chart exports: text files, and PNGs composed from a chart canvas (or an SVG) on the
 * theme background with the chart's title and legend, so a pasted image still says what it shows.
 */
import type { ChartTheme } from "./chart-theme.ts";

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text: string, fileName: string, mimeType: string): void {
  downloadBlob(new Blob([text], { type: `${mimeType};charset=utf-8` }), fileName);
}

export interface PngLegendItem {
  label: string;
  color: string;
}

export interface ComposePngOptions {
  /** The drawn chart, at device resolution. */
  source: HTMLCanvasElement;
  /** CSS width of the source (its device width / pixel ratio). */
  cssWidth: number;
  title: string;
  subtitle?: string;
  legend?: readonly PngLegendItem[];
  theme: ChartTheme;
}

/** Title + chart + legend on an opaque background, as a PNG blob. */
export function composeChartPng({
  source,
  cssWidth,
  title,
  subtitle,
  legend = [],
  theme,
}: ComposePngOptions): Promise<Blob | null> {
  const ratio = cssWidth > 0 ? source.width / cssWidth : 1;
  const pad = 12;
  const headerHeight = subtitle ? 42 : 26;
  const legendRows = layoutLegend(legend, cssWidth - 2 * pad);
  const legendHeight = legendRows.length ? legendRows.length * 18 + 6 : 0;
  const cssHeight = source.height / ratio;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round((cssWidth + 2 * pad) * ratio);
  canvas.height = Math.round((pad + headerHeight + cssHeight + legendHeight + pad) * ratio);
  const ctx = canvas.getContext("2d");
  if (!ctx) return Promise.resolve(null);
  ctx.scale(ratio, ratio);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = "top";
  ctx.fillStyle = theme.text;
  ctx.font = `600 14px ${theme.font}`;
  ctx.fillText(title, pad, pad);
  if (subtitle) {
    ctx.fillStyle = theme.mutedText;
    ctx.font = `12px ${theme.font}`;
    ctx.fillText(subtitle, pad, pad + 20);
  }
  ctx.drawImage(source, pad, pad + headerHeight, cssWidth, cssHeight);
  ctx.font = `12px ${theme.font}`;
  let y = pad + headerHeight + cssHeight + 6;
  for (const row of legendRows) {
    for (const item of row) {
      ctx.fillStyle = item.color;
      ctx.fillRect(pad + item.x, y + 2, 10, 10);
      ctx.fillStyle = theme.text;
      ctx.fillText(item.label, pad + item.x + 14, y);
    }
    y += 18;
  }
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

/** Rasterises an inline SVG (which must carry explicit colours, not CSS classes) onto a canvas. */
export async function svgToCanvas(
  svg: SVGSVGElement,
  width: number,
  height: number,
): Promise<HTMLCanvasElement> {
  const ratio = window.devicePixelRatio || 1;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], { type: "image/svg+xml;charset=utf-8" }),
  );
  try {
    const image = new Image();
    image.decoding = "async";
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.getContext("2d")?.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function layoutLegend(items: readonly PngLegendItem[], maxWidth: number) {
  const rows: (PngLegendItem & { x: number })[][] = [];
  let row: (PngLegendItem & { x: number })[] = [];
  let x = 0;
  for (const item of items) {
    const w = 14 + item.label.length * 6.5 + 16;
    if (x > 0 && x + w > maxWidth) {
      rows.push(row);
      row = [];
      x = 0;
    }
    row.push({ ...item, x });
    x += w;
  }
  if (row.length) rows.push(row);
  return rows;
}
