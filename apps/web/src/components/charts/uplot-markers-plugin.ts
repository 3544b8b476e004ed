"use client";

/**
 * uPlot plugin drawing dashed vertical markers with a label (the BuPO phase switch at step S, the internal
 * layer k) on the canvas, so they also end up in PNG exports. Markers are read through a getter at draw
 * time: updating them needs `plot.redraw(false)`, not a new plot.
 */
import uPlot from "uplot";
import type { ChartTheme } from "./chart-theme.ts";

export interface VerticalMarker {
  /** Position in x-scale units (step, layer or depth). */
  x: number;
  label: string;
}

export function verticalMarkersPlugin(
  getMarkers: () => readonly VerticalMarker[],
  theme: ChartTheme,
): uPlot.Plugin {
  return {
    hooks: {
      draw: [(plot) => drawMarkers(plot, getMarkers(), theme)],
    },
  };
}

function drawMarkers(plot: uPlot, markers: readonly VerticalMarker[], theme: ChartTheme): void {
  if (markers.length === 0) return;
  const { ctx, bbox } = plot;
  const ratio = uPlot.pxRatio;
  const right = bbox.left + bbox.width;
  ctx.save();
  ctx.font = `${11 * ratio}px ${theme.font}`;
  ctx.textBaseline = "top";
  let labelRow = 0;
  let lastLabelEnd = Number.NEGATIVE_INFINITY;
  for (const marker of [...markers].sort((a, b) => a.x - b.x)) {
    const x = Math.round(plot.valToPos(marker.x, "x", true)) + 0.5;
    if (!Number.isFinite(x) || x < bbox.left - 1 || x > right + 1) continue;
    ctx.strokeStyle = theme.marker;
    ctx.lineWidth = 1.5 * ratio;
    ctx.setLineDash([5 * ratio, 4 * ratio]);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    // Label beside the line; flip to the left near the right edge, drop a row when labels would collide.
    const textWidth = ctx.measureText(marker.label).width;
    const pad = 3 * ratio;
    const flip = x + pad * 2 + textWidth > right;
    const left = flip ? x - pad * 2 - textWidth : x + pad;
    labelRow = left < lastLabelEnd ? labelRow + 1 : 0;
    const top = bbox.top + pad + labelRow * 15 * ratio;
    ctx.setLineDash([]);
    ctx.fillStyle = theme.background;
    ctx.globalAlpha = 0.85;
    ctx.fillRect(left - pad, top - pad / 2, textWidth + pad * 2, 14 * ratio);
    ctx.globalAlpha = 1;
    ctx.fillStyle = theme.marker;
    ctx.fillText(marker.label, left, top);
    lastLabelEnd = left + textWidth + pad;
  }
  ctx.restore();
}

/** uPlot plugin drawing a solid horizontal line at y = 0 when 0 is in view (for Δ profiles). */
export function zeroLinePlugin(theme: ChartTheme): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: [
        (plot) => {
          const y = plot.scales.y;
          if (!y || y.min == null || y.max == null || y.min > 0 || y.max < 0) return;
          const { ctx, bbox } = plot;
          const py = Math.round(plot.valToPos(0, "y", true)) + 0.5;
          ctx.save();
          ctx.strokeStyle = theme.zeroLine;
          ctx.lineWidth = uPlot.pxRatio;
          ctx.beginPath();
          ctx.moveTo(bbox.left, py);
          ctx.lineTo(bbox.left + bbox.width, py);
          ctx.stroke();
          ctx.restore();
        },
      ],
    },
  };
}
