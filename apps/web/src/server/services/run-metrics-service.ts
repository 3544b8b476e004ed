import type { Prisma, PrismaClient } from "@bupo/db/client";
import type { AnalysisResult } from "@bupo/shared/analysis-result";
import {
  type EvalMetrics,
  type LayerEntropy,
  SCALAR_METRIC_KEYS,
  type StepMetrics,
} from "@bupo/shared/metrics";

/**
 * Marks a scalar the trainer did not report in `scalarValues` (Prisma cannot write NaN or null array
 * elements). Chart queries skip values ≤ -1e299; no metric comes near it.
 */
export const MISSING_SCALAR = -1e300;

/** How a StepMetrics record is stored: scalars as JSON, per-layer arrays as real[] plus the full record. */
export function toMetricRow(runId: string, m: StepMetrics): Prisma.RunMetricCreateManyInput {
  const { step, layers, ...scalars } = m;
  const byKey = scalars as Record<string, number | undefined>;
  return {
    runId,
    step,
    scalars,
    scalarValues: SCALAR_METRIC_KEYS.map((k) => byKey[k] ?? MISSING_SCALAR),
    layerEntropy: layers ? [layers.layer.input[0] ?? 0, ...layers.layer.output] : [],
    attnEntropyDelta: layers?.attn.change ?? [],
    ffnEntropyDelta: layers?.ffn.change ?? [],
    layers: layers ?? undefined,
  };
}

export function fromMetricRow(row: { step: number; scalars: unknown; layers: unknown }): StepMetrics {
  const scalars = row.scalars as Omit<StepMetrics, "step" | "layers">;
  return { ...scalars, step: row.step, ...(row.layers ? { layers: row.layers as LayerEntropy } : {}) };
}

/** Steps after `afterStep`, in order, at most `limit`. Served by the (runId, step) primary key. */
export async function metricsAfter(prisma: PrismaClient, runId: string, afterStep: number, limit: number) {
  const rows = await prisma.runMetric.findMany({
    where: { runId, step: { gt: afterStep } },
    orderBy: { step: "asc" },
    take: limit,
    select: { step: true, scalars: true, layers: true },
  });
  return rows.map(fromMetricRow);
}

export async function recentLogs(prisma: PrismaClient, runId: string, limit: number) {
  const rows = await prisma.runLog.findMany({
    where: { runId },
    orderBy: [{ attempt: "desc" }, { seq: "desc" }],
    take: limit,
  });
  return rows.reverse().map((r) => ({
    attempt: r.attempt,
    seq: r.seq,
    level: r.level,
    message: r.message,
    at: r.at.toISOString(),
  }));
}

export async function runEvals(prisma: PrismaClient, runId: string): Promise<EvalMetrics[]> {
  const rows = await prisma.runEval.findMany({ where: { runId }, orderBy: { step: "asc" } });
  return rows.map((r) => r.metrics as EvalMetrics);
}

export async function runAnalysis(prisma: PrismaClient, runId: string): Promise<AnalysisResult | null> {
  const row = await prisma.runAnalysis.findUnique({ where: { runId } });
  return row ? (row.result as AnalysisResult) : null;
}

/** SQL building "scalarValues" from the "scalars" JSON of a row, for bulk loads that write JSON only. */
export const SCALAR_VALUES_FROM_JSON_SQL = `ARRAY[${SCALAR_METRIC_KEYS.map(
  (k) => `COALESCE(("scalars" ->> '${k}')::float8, ${MISSING_SCALAR})`,
).join(", ")}]::float8[]`;
