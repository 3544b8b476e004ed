/**
 * Sequential colour scale for entropy (heatmap cells, logit-lens backgrounds): viridis, which is
 * perceptually uniform, colour-blind safe and readable on both the light and the dark theme.
 */

export type Rgb = readonly [r: number, g: number, b: number];

/** matplotlib viridis sampled at 0, 0.1, …, 1. */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [72, 36, 117],
  [65, 68, 135],
  [53, 95, 141],
  [42, 120, 142],
  [33, 145, 140],
  [34, 168, 132],
  [68, 191, 112],
  [122, 209, 81],
  [189, 223, 38],
  [253, 231, 37],
];

/** Colour at position t ∈ [0, 1] (clamped), linearly interpolated between the stops. */
export function sampleSequential(t: number): Rgb {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = x * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = VIRIDIS[i] as Rgb;
  const b = VIRIDIS[i + 1] as Rgb;
  return [lerp(a[0], b[0], f), lerp(a[1], b[1], f), lerp(a[2], b[2], f)];
}

/** Maps values in `domain` onto the scale; NaN / non-finite values map to null (draw as "not measured"). */
export function createColorScale(domain: readonly [min: number, max: number]): (value: number) => Rgb | null {
  const [min, max] = domain;
  const span = max - min;
  return (value) => {
    if (!Number.isFinite(value)) return null;
    return sampleSequential(span > 0 ? (value - min) / span : 0.5);
  };
}

/** [min, max] over the finite numbers in a flat or nested array; null when there are none. */
export function finiteExtent(values: readonly (number | readonly number[])[]): [number, number] | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const visit = (v: number) => {
    if (!Number.isFinite(v)) return;
    if (v < min) min = v;
    if (v > max) max = v;
  };
  for (const entry of values) {
    if (typeof entry === "number") visit(entry);
    else for (const v of entry) visit(v);
  }
  return min <= max ? [min, max] : null;
}

export function rgbToCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** Black or white, whichever contrasts more with `background` (WCAG relative luminance). */
export function readableTextColor(background: Rgb): "#000000" | "#ffffff" {
  const luminance = relativeLuminance(background);
  const contrastWithWhite = 1.05 / (luminance + 0.05);
  const contrastWithBlack = (luminance + 0.05) / 0.05;
  return contrastWithBlack >= contrastWithWhite ? "#000000" : "#ffffff";
}

function relativeLuminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function lerp(a: number, b: number, f: number): number {
  return Math.round(a + (b - a) * f);
}

/** "#rgb" / "#rrggbb" → [r, g, b]; black for anything else. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim())?.[1];
  if (!m) return [0, 0, 0];
  const full = m.length === 3 ? [...m].map((d) => d + d).join("") : m;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** `count` evenly spaced [offset, css colour] stops for a canvas/SVG/CSS gradient of the scale (low → high). */
export function gradientStops(count = 11): [offset: number, color: string][] {
  return Array.from({ length: count }, (_, i) => {
    const t = count > 1 ? i / (count - 1) : 0;
    return [t, rgbToCss(sampleSequential(t))];
  });
}
