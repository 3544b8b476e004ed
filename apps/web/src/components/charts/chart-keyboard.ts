/**
 * Keyboard navigation shared by the charts: arrow keys walk data points, +/− zoom around the focused point.
 * Pure functions so the behaviour is unit-tested without a DOM.
 */
import { nearestIndex } from "./step-alignment.ts";
import type { StepRange } from "./types.ts";

/** Keys a chart consumes (so it can preventDefault only for these). */
export type NavigationKey = "ArrowLeft" | "ArrowRight" | "Home" | "End" | "PageUp" | "PageDown";

export function isNavigationKey(key: string): key is NavigationKey {
  return ["ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"].includes(key);
}

/**
 * Next index within the visible window [visibleMin, visibleMax] of ascending `xs` after pressing `key`
 * from `current` (null = not yet focused: starts at the last visible point). Shift or PageUp/PageDown
 * move 10 points. Returns -1 when no point is visible.
 */
export function nextIndex(
  xs: ArrayLike<number>,
  visibleMin: number,
  visibleMax: number,
  current: number | null,
  key: NavigationKey,
  big = false,
): number {
  if (xs.length === 0) return -1;
  let first = nearestIndex(xs, visibleMin);
  if ((xs[first] as number) < visibleMin && first < xs.length - 1) first++;
  let last = nearestIndex(xs, visibleMax);
  if ((xs[last] as number) > visibleMax && last > 0) last--;
  if (first > last) return -1;
  if (current == null || current < first || current > last) {
    return key === "Home" ? first : last;
  }
  const stride = big || key === "PageUp" || key === "PageDown" ? 10 : 1;
  switch (key) {
    case "ArrowLeft":
    case "PageDown":
      return Math.max(first, current - stride);
    case "ArrowRight":
    case "PageUp":
      return Math.min(last, current + stride);
    case "Home":
      return first;
    case "End":
      return last;
  }
}

/** The window `factor` times as wide as [min, max] centred on `center` (factor < 1 zooms in). */
export function zoomAround(center: number, min: number, max: number, factor: number): StepRange {
  const half = ((max - min) * factor) / 2;
  const width = Math.max(half, 0.5);
  return { from: Math.floor(center - width), to: Math.ceil(center + width) };
}
