/**
 * Server-side downsampling for charts. A metric over a step range is split into at most `buckets` equal
 * step buckets; each bucket returns its last step and the min, max and mean of the metric, so a 100k-step run
 * draws from ≤ 2,000 points and no spike disappears (min/max are kept). Zooming re-queries a narrower range.
 */
import type { PrismaClient } from "@bupo/db/client";
import { type LayerEntropy, SCALAR_METRIC_KEYS } from "@bupo/shared/metrics";

export interface StepRange {
  from: number;
  to: number;
}

export interface SeriesBuckets {
  key: string;
  step: number[];
  min: number[];
  max: number[];
  mean: number[];
}

async function stepBounds(prisma: PrismaClient, runId: string): Promise<StepRange | null> {
  const r = await prisma.runMetric.aggregate({
    where: { runId },
    _min: { step: true },
    _max: { step: true },
  });
  return r._min.step === null || r._max.step === null ? null : { from: r._min.step, to: r._max.step };
}

export async function resolveRange(
  prisma: PrismaClient,
  runId: string,
  range?: StepRange | null,
): Promise<StepRange | null> {
  const bounds = await stepBounds(prisma, runId);
  if (!bounds) return null;
  if (!range) return bounds;
  const from = Math.max(bounds.from, range.from);
  const to = Math.min(bounds.to, range.to);
  return from <= to ? { from, to } : null;
}

/** Scalar metrics (verl keys), downsampled with min/max/mean per bucket. One scan of the run for all keys. */
export async function metricSeries(
  prisma: PrismaClient,
  runId: string,
  keys: string[],
  range: StepRange | null | undefined,
  buckets: number,
): Promise<{ range: StepRange | null; series: SeriesBuckets[] }> {
  const r = await resolveRange(prisma, runId, range);
  const series = keys.map((key) => ({
    key,
    step: [] as number[],
    min: [] as number[],
    max: [] as number[],
    mean: [] as number[],
  }));
  // Positions in "scalarValues" (1-based in SQL); keys that are not step scalars have no series.
  const known = series.flatMap((s) => {
    const i = (SCALAR_METRIC_KEYS as readonly string[]).indexOf(s.key);
    return i < 0 ? [] : [{ s, col: i + 1 }];
  });
  if (!r || known.length === 0) return { range: r, series };
  // MISSING_SCALAR (-1e300) marks "not reported"; each aggregate skips it. Column positions are
  // integers from a fixed list, never user text.
  const aggregates = known
    .map(({ col }, j) => {
      const v = `"scalarValues"[${col}]`;
      const keep = `FILTER (WHERE ${v} > -1e299)`;
      return `min(${v}) ${keep} AS min${j}, max(${v}) ${keep} AS max${j}, avg(${v}) ${keep} AS mean${j}`;
    })
    .join(", ");
  const rows = await prisma.$queryRawUnsafe<Record<string, number | null>[]>(
    `SELECT max(step) AS step, ${aggregates}
     FROM "RunMetric" WHERE "runId" = $1 AND step BETWEEN $2 AND $3
     GROUP BY width_bucket(step, $2, $4, $5) ORDER BY 1`,
    runId,
    r.from,
    r.to,
    r.to + 1,
    buckets,
  );
  for (const row of rows) {
    known.forEach(({ s }, j) => {
      const min = row[`min${j}`];
      if (min === null || min === undefined) return;
      s.step.push(Number(row.step));
      s.min.push(Number(min));
      s.max.push(Number(row[`max${j}`]));
      s.mean.push(Number(row[`mean${j}`]));
    });
  }
  return { range: r, series };
}

export type LayerField = "layerEntropy" | "attnEntropyDelta" | "ffnEntropyDelta";
const LAYER_COLUMNS: Record<LayerField, string> = {
  layerEntropy: '"layerEntropy"',
  attnEntropyDelta: '"attnEntropyDelta"',
  ffnEntropyDelta: '"ffnEntropyDelta"',
};

/**
 * Layer × step matrix for the heatmap: per step bucket, the last measured step's per-layer array (entropy
 * probes run every `entropyEvery` steps; the representative keeps each column a real measurement).
 */
export async function layerMatrix(
  prisma: PrismaClient,
  runId: string,
  field: LayerField,
  range: StepRange | null | undefined,
  buckets: number,
): Promise<{ steps: number[]; values: number[][] }> {
  const r = await resolveRange(prisma, runId, range);
  if (!r) return { steps: [], values: [] };
  const column = LAYER_COLUMNS[field];
  const rows = await prisma.$queryRawUnsafe<{ step: number; arr: number[] }[]>(
    `SELECT DISTINCT ON (width_bucket(step, $2, $3, $4)) step, ${column} AS arr
     FROM "RunMetric" WHERE "runId" = $1 AND step BETWEEN $2 AND $5 AND cardinality(${column}) > 0
     ORDER BY width_bucket(step, $2, $3, $4), step DESC`,
    runId,
    r.from,
    r.to + 1,
    buckets,
    r.to,
  );
  rows.sort((a, b) => a.step - b.step);
  const layers = Math.max(0, ...rows.map((x) => x.arr.length));
  const values = Array.from({ length: layers }, (_, l) => rows.map((x) => x.arr[l] ?? Number.NaN));
  return { steps: rows.map((x) => x.step), values };
}

/** The full per-layer record at a step (the nearest measured one at or before it; the latest by default). */
export async function layerProfile(prisma: PrismaClient, runId: string, step?: number) {
  const upTo = step ?? 2_147_483_647;
  const [row] = await prisma.$queryRaw<{ step: number; layers: LayerEntropy }[]>`
    SELECT step, layers FROM "RunMetric"
    WHERE "runId" = ${runId} AND layers IS NOT NULL AND step <= ${upTo}
    ORDER BY step DESC LIMIT 1`;
  const [span] = await prisma.$queryRaw<{ first: number | null; last: number | null; count: bigint }[]>`
    SELECT min(step) AS first, max(step) AS last, count(*) AS count FROM "RunMetric"
    WHERE "runId" = ${runId} AND layers IS NOT NULL`;
  return {
    step: row ? Number(row.step) : null,
    layers: row?.layers ?? null,
    measured: { first: span?.first ?? null, last: span?.last ?? null, count: Number(span?.count ?? 0) },
  };
}
