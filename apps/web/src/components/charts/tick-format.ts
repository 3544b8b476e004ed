/** Number formatting for axis ticks, legends and tooltips, plus "nice" tick positions for hand-drawn axes. */

const STEP_UNITS: readonly [number, string][] = [
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

/** Compact step label: 950 → "950", 1200 → "1.2k", 15000 → "15k", 1500000 → "1.5M". */
export function formatStep(step: number): string {
  if (!Number.isFinite(step)) return "–";
  const abs = Math.abs(step);
  for (const [size, unit] of STEP_UNITS) {
    if (abs >= size) return `${trimZeros((step / size).toFixed(abs >= size * 100 ? 0 : 1))}${unit}`;
  }
  return trimZeros(step.toFixed(Number.isInteger(step) ? 0 : 2));
}

/** Exact step for tooltips and legends: 1234 → "1,234". */
export function formatStepExact(step: number): string {
  if (!Number.isFinite(step)) return "–";
  return step.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Metric value with ≤ 4 significant digits; exponent form for very large or very small magnitudes. */
export function formatValue(value: number | null | undefined): string {
  if (value == null || Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(2).replace("e+", "e");
  return trimZeros(value.toPrecision(4));
}

/** A value in nats for entropy tooltips and legends. */
export function formatNats(value: number | null | undefined): string {
  const text = formatValue(value);
  return text === "–" ? text : `${text} nats`;
}

/** Probability as a short decimal ("0.83", "<0.01"). */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return "–";
  if (p > 0 && p < 0.01) return "<0.01";
  return p.toFixed(2);
}

/** Up to ~`maxCount` evenly spaced round ticks covering [min, max] (1-2-5 steps), ascending. */
export function niceTicks(min: number, max: number, maxCount = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  // A span at float-rounding level (e.g. every layer at ln V) has no usable increment: `v += incr` would
  // never move past `v` and the loop would run until the tab runs out of memory.
  if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9) return [lo];
  const incr = niceIncrement(hi - lo, maxCount);
  if (!(incr > 0) || !Number.isFinite(incr)) return [lo];
  const first = Math.ceil(lo / incr - 1e-9) * incr;
  const ticks: number[] = [];
  const limit = Math.max(2, maxCount) * 4; // the 1-2-5 increment never yields more; a hard stop anyway
  for (let v = first; v <= hi + incr * 1e-9 && ticks.length < limit; v += incr)
    ticks.push(roundToIncrement(v, incr));
  return ticks;
}

/** [min, max] widened outward to multiples of the nice tick increment for ~`maxCount` ticks. */
export function niceDomain(min: number, max: number, maxCount = 5): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min === max) return [min, max];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const incr = niceIncrement(hi - lo, maxCount);
  return [
    roundToIncrement(Math.floor(lo / incr + 1e-9) * incr, incr),
    roundToIncrement(Math.ceil(hi / incr - 1e-9) * incr, incr),
  ];
}

/** 1-2-2.5-5 × 10^k increment giving at most ~`maxCount` ticks over `span`. */
function niceIncrement(span: number, maxCount: number): number {
  const rough = span / Math.max(1, maxCount - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
}

function roundToIncrement(v: number, incr: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(incr)) + 1);
  const rounded = Number(v.toFixed(decimals));
  return Object.is(rounded, -0) ? 0 : rounded;
}

function trimZeros(text: string): string {
  return text.includes(".") && !text.includes("e") ? text.replace(/\.?0+$/, "") : text;
}
