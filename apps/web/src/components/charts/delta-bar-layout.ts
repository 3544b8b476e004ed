/** Geometry for DeltaBarChart: a y domain that always contains zero, and grouped bar positions per layer. */
import { finiteExtent } from "./color-scale.ts";
import { niceDomain } from "./tick-format.ts";

/** [min, max] covering every finite value and 0, padded 10 %, widened to round ticks; [-1, 1] when flat. */
export function deltaDomain(...series: readonly (readonly number[])[]): [number, number] {
  const extent = finiteExtent(series.flat());
  const lo = Math.min(0, extent?.[0] ?? 0);
  const hi = Math.max(0, extent?.[1] ?? 0);
  if (lo === hi) return [-1, 1];
  const pad = (hi - lo) * 0.05;
  return niceDomain(lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0, 6);
}

/** Horizontal slot of bar `barIndex` (0 = attention, 1 = FFN) in layer `layer` of `count`, in plot px. */
export function barSlot(
  layer: number,
  count: number,
  plotWidth: number,
  barIndex: 0 | 1,
): { x: number; width: number } {
  const band = plotWidth / Math.max(1, count);
  const gap = Math.min(band * 0.2, 8);
  const width = Math.max(1, (band - gap) / 2);
  return { x: layer * band + gap / 2 + barIndex * width, width };
}

/** Layer under x (plot px), clamped; -1 without layers. */
export function layerAtX(x: number, count: number, plotWidth: number): number {
  if (count < 1 || plotWidth <= 0) return -1;
  return Math.min(count - 1, Math.max(0, Math.floor((x / plotWidth) * count)));
}

/** "expands" / "converges" / "no change" for a ΔH value. */
export function deltaDirection(delta: number): string {
  if (!Number.isFinite(delta)) return "not measured";
  return delta > 0 ? "expands" : delta < 0 ? "converges" : "no change";
}
