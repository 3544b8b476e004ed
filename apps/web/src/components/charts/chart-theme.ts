"use client";

import { useSyncExternalStore } from "react";

/**
 * Colours for what charts paint on canvas/SVG, where Tailwind's `dark:` classes cannot reach. Values follow
 * the app's zinc palette (cards are white / zinc-900) and flip with `prefers-color-scheme`, like `dark:`.
 */
export interface ChartTheme {
  dark: boolean;
  background: string;
  text: string;
  mutedText: string;
  grid: string;
  zeroLine: string;
  marker: string;
  /** Cells with no measurement (NaN). */
  missing: string;
  font: string;
  /** Opacity of the min/max band and of the raw line behind a smoothed one. */
  bandAlpha: number;
  rawAlpha: number;
}

const FONT = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", sans-serif';

export const LIGHT_CHART_THEME: ChartTheme = {
  dark: false,
  background: "#ffffff",
  text: "#3f3f46",
  mutedText: "#71717a",
  grid: "#e4e4e7",
  zeroLine: "#71717a",
  marker: "#b45309",
  missing: "#f4f4f5",
  font: FONT,
  bandAlpha: 0.16,
  rawAlpha: 0.3,
};

export const DARK_CHART_THEME: ChartTheme = {
  dark: true,
  background: "#18181b",
  text: "#d4d4d8",
  mutedText: "#a1a1aa",
  grid: "#3f3f46",
  zeroLine: "#a1a1aa",
  marker: "#fbbf24",
  missing: "#27272a",
  font: FONT,
  bandAlpha: 0.24,
  rawAlpha: 0.35,
};

const QUERY = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  if (typeof window === "undefined" || !window.matchMedia) return () => {};
  const media = window.matchMedia(QUERY);
  media.addEventListener("change", onChange);
  return () => media.removeEventListener("change", onChange);
}

const isDark = () => typeof window !== "undefined" && !!window.matchMedia?.(QUERY).matches;

/** The chart theme matching the user's colour scheme; light during server rendering. */
export function useChartTheme(): ChartTheme {
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  return dark ? DARK_CHART_THEME : LIGHT_CHART_THEME;
}
