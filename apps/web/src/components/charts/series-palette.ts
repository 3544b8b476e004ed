/** Categorical colours for runs/series (pages pass them in `ChartSeries.color`) and alpha variants of them. */

/** Tableau-10-like hues, mid-lightness so each reads on white and on zinc-900. */
export const SERIES_PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#76b7b2",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

export function seriesColor(index: number): string {
  const i = ((Math.trunc(index) % SERIES_PALETTE.length) + SERIES_PALETTE.length) % SERIES_PALETTE.length;
  return SERIES_PALETTE[i] as string;
}

/**
 * `color` with opacity `alpha` for canvas fills (bands, faint raw lines). Understands #rgb, #rrggbb,
 * #rrggbbaa, rgb()/rgba() and hsl()/hsla(); any other CSS colour is returned unchanged (opaque).
 */
export function withAlpha(color: string, alpha: number): string {
  const a = Math.min(1, Math.max(0, alpha));
  const c = color.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((d) => d + d).join("") : hex.slice(0, 6);
    const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${a})`;
  }
  const fn = /^(rgb|hsl)a?\(\s*([^)]*?)\s*\)$/i.exec(c);
  if (fn) {
    const kind = (fn[1] as string).toLowerCase();
    // Both comma (`1, 2, 3, 0.5`) and space (`1 2 3 / 0.5`) syntaxes: keep the first three components.
    const parts = (fn[2] as string)
      .split(/[\s,/]+/)
      .filter(Boolean)
      .slice(0, 3);
    if (parts.length === 3) return `${kind}a(${parts.join(", ")}, ${a})`;
  }
  return c;
}
