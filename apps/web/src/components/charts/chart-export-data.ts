/**
 * CSV / JSON serialisation of what each chart shows, for ChartExportMenu. CSVs are long-format (one row per
 * point) so they load straight into pandas; string cells are guarded against spreadsheet formula injection
 * (model tokens can start with "=").
 */
import { clampSmoothing, smoothEma } from "./ema-smoothing.ts";
import type {
  ChartSeries,
  LayerDeltaData,
  LayerHeatmapData,
  LayerProfileSeries,
  LogitLensGridData,
  StepRange,
} from "./types.ts";

export type CsvValue = string | number | null | undefined;

/** RFC 4180 CSV with a header row and CRLF line ends; non-finite numbers become empty cells. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function csvCell(value: CsvValue): string {
  if (value == null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** Pretty JSON; NaN and ±Infinity become null (JSON has no NaN). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}

/** "Entropy (actor) · step 1.2k" → "entropy-actor-step-1-2k"; never empty. */
export function toFileSlug(title: string): string {
  const slug = title
    .replaceAll("Δ", " delta ")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return slug || "chart";
}

// ── MetricChart ────────────────────────────────────────────────────────────────────────────────────────

export interface MetricExportOptions {
  smoothing?: number;
  /** Only points with from ≤ step ≤ to (the zoomed window); all points when null/undefined. */
  range?: StepRange | null;
}

/** Per series the points in range, with the smoothed mean when smoothing is on. */
export function selectMetricPoints(
  series: readonly ChartSeries[],
  { smoothing = 0, range }: MetricExportOptions,
) {
  const weight = clampSmoothing(smoothing);
  return series.map((s) => {
    const { step, min, max, mean } = s.data;
    const smoothed = weight > 0 ? smoothEma(mean, weight) : null;
    const keep = step.map((x) => !range || (x >= range.from && x <= range.to));
    const pick = (a: readonly number[]) => a.filter((_, i) => keep[i]);
    return {
      label: s.label,
      key: s.data.key,
      step: pick(step),
      min: pick(min),
      max: pick(max),
      mean: pick(mean),
      ...(smoothed ? { smoothed: pick(smoothed) } : {}),
    };
  });
}

export function metricSeriesToCsv(series: readonly ChartSeries[], options: MetricExportOptions = {}): string {
  const picked = selectMetricPoints(series, options);
  const smoothing = clampSmoothing(options.smoothing ?? 0) > 0;
  const header = ["series", "key", "step", "mean", "min", "max", ...(smoothing ? ["smoothed_mean"] : [])];
  const rows: CsvValue[][] = [];
  for (const s of picked) {
    s.step.forEach((x, i) => {
      const row: CsvValue[] = [s.label, s.key, x, s.mean[i], s.min[i], s.max[i]];
      if (smoothing) row.push(s.smoothed?.[i]);
      rows.push(row);
    });
  }
  return toCsv(header, rows);
}

export function metricSeriesToJson(series: readonly ChartSeries[], options: MetricExportOptions = {}) {
  return {
    smoothing: clampSmoothing(options.smoothing ?? 0),
    range: options.range ?? null,
    series: selectMetricPoints(series, options),
  };
}

// ── Layer charts ───────────────────────────────────────────────────────────────────────────────────────

export function layerProfileToCsv(
  series: readonly LayerProfileSeries[],
  positionOf: (index: number, count: number) => number,
  layerLabels?: readonly string[],
): string {
  const rows: CsvValue[][] = [];
  for (const s of series) {
    s.values.forEach((v, i) => {
      rows.push([s.label, i, layerLabels?.[i] ?? "", positionOf(i, s.values.length), v]);
    });
  }
  return toCsv(["series", "layer", "layer_label", "x", "value"], rows);
}

export function layerHeatmapToCsv(data: LayerHeatmapData): string {
  const rows: CsvValue[][] = [];
  data.values.forEach((row, layer) => {
    data.steps.forEach((step, i) => {
      rows.push([layer, data.layerLabels[layer] ?? "", step, row[i]]);
    });
  });
  return toCsv(["layer", "layer_label", "step", "value_nats"], rows);
}

export function layerDeltaToCsv(data: LayerDeltaData): string {
  const count = Math.max(data.attention.length, data.ffn.length);
  const rows: CsvValue[][] = Array.from({ length: count }, (_, i) => [
    i,
    data.layerLabels[i] ?? "",
    data.attention[i],
    data.ffn[i],
  ]);
  return toCsv(["layer", "layer_label", "attention_delta_nats", "ffn_delta_nats"], rows);
}

export function logitLensToCsv(data: LogitLensGridData): string {
  const rows: CsvValue[][] = [];
  data.rows.forEach((cells, layer) => {
    cells.forEach((cell, position) => {
      cell.tokens.forEach((token, rank) => {
        rows.push([
          layer,
          data.layerLabels[layer] ?? "",
          position,
          data.positions[position] ?? "",
          rank + 1,
          token,
          cell.probs[rank],
          cell.entropy,
        ]);
      });
    });
  });
  return toCsv(
    ["layer", "layer_label", "position", "input_token", "rank", "token", "prob", "entropy_nats"],
    rows,
  );
}
