import type { Prisma, PrismaClient } from "@bupo/db/client";
import type { AnalysisResult } from "@bupo/shared/analysis-result";
import type { EvalMetrics, LayerEntropy, StepMetrics } from "@bupo/shared/metrics";

/** How a StepMetrics record is stored: scalars as JSON, per-layer arrays as real[] plus the full record. */
export function toMetricRow(runId: string, m: StepMetrics): Prisma.RunMetricCreateManyInput {
  const { step, layers, ...scalars } = m;
  return {
    runId,
    step,
    scalars,
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
