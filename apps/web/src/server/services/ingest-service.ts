/**
 * Persists a trainer's report batch, idempotently: metrics by (run, step), logs by (run, attempt, seq), evals
 * by (run, step, data source) — a replayed batch stores nothing twice. Only events of the current attempt of
 * a run assigned to the reporting trainer and still queued or running are accepted, and none past the run's
 * total steps; the others are refused one by one (`rejected`, with the reason) and change nothing. The bulk
 * writes of a batch go in one non-interactive transaction (one round trip each); status changes, rare, go one
 * by one. Returns what to broadcast (after the write, so a client that backfills from the database never
 * misses a step).
 */
import type { RunStatus as DbRunStatus, PrismaClient } from "@bupo/db/client";
import type {
  RunAnalysisPayload,
  RunEvalPayload,
  RunLogPayload,
  RunMetricsPayload,
  RunStatusPayload,
} from "@bupo/shared/realtime";
import type { TrainerEvent } from "@bupo/shared/trainer-protocol";
import { groupBy } from "../group-by.ts";
import { toMetricRow } from "./run-metrics-service.ts";
import { fromDbStatus, toDbStatus } from "./run-status.ts";

export interface IngestResult {
  stored: number;
  metrics: RunMetricsPayload[];
  statuses: RunStatusPayload[];
  logs: RunLogPayload[];
  evals: RunEvalPayload[];
  analyses: RunAnalysisPayload[];
  /** Events refused for good (the sender drops them), with the reason. */
  rejected: Map<TrainerEvent, string>;
}

const LIVE: DbRunStatus[] = ["QUEUED", "RUNNING"];

interface RunState {
  trainerId: string | null;
  attempt: number;
  status: DbRunStatus;
  totalSteps: number;
}

const stepOf = (e: TrainerEvent): number | undefined =>
  e.type === "metrics"
    ? e.metrics.step
    : e.type === "eval"
      ? e.eval.step
      : e.type === "checkpoint"
        ? e.step
        : undefined;

/** Why an event may not change its run (null = accepted). Pure. */
export function refusal(trainerId: string, e: TrainerEvent, run: RunState | undefined): string | null {
  if (!run || run.trainerId !== trainerId) return "run not assigned to this trainer";
  if (e.attempt !== run.attempt) return "not the run's current attempt";
  if (!LIVE.includes(run.status)) return "run is not running";
  const step = stepOf(e);
  if (step !== undefined && step > run.totalSteps) return "step past the run's total steps";
  return null;
}

type Of<T extends TrainerEvent["type"]> = Extract<TrainerEvent, { type: T }>;
const ofType = <T extends TrainerEvent["type"]>(events: TrainerEvent[], type: T) =>
  events.filter((e): e is Of<T> => e.type === type);

const groupByRun = <E extends TrainerEvent>(events: E[]) => groupBy(events, (e) => e.runId);

export async function ingestEvents(
  prisma: PrismaClient,
  trainerId: string,
  reported: TrainerEvent[],
): Promise<IngestResult> {
  const runIds = [...new Set(reported.map((e) => e.runId))];
  const runs = new Map(
    (
      await prisma.run.findMany({
        where: { id: { in: runIds } },
        select: { id: true, trainerId: true, attempt: true, status: true, totalSteps: true },
      })
    ).map((r) => [r.id, r]),
  );
  const rejected = new Map<TrainerEvent, string>();
  const events = reported.filter((e) => {
    const why = refusal(trainerId, e, runs.get(e.runId));
    if (why) rejected.set(e, why);
    return !why;
  });

  const metrics = ofType(events, "metrics");
  const logs = ofType(events, "log");
  const evals = ofType(events, "eval");
  const checkpoints = ofType(events, "checkpoint");
  const analyses = ofType(events, "analysis");
  const maxStep = new Map<string, number>();
  for (const e of metrics) maxStep.set(e.runId, Math.max(maxStep.get(e.runId) ?? 0, e.metrics.step));

  // One non-interactive transaction; statements with nothing to write are left out (each costs a round trip).
  const writes = [
    ...(metrics.length
      ? [
          prisma.runMetric.createMany({
            data: metrics.map((e) => toMetricRow(e.runId, e.metrics)),
            skipDuplicates: true,
          }),
        ]
      : []),
    ...(logs.length
      ? [
          prisma.runLog.createMany({
            data: logs.map((l) => ({
              runId: l.runId,
              attempt: l.attempt,
              seq: l.seq,
              level: l.level,
              message: l.message,
              at: new Date(l.at),
            })),
            skipDuplicates: true,
          }),
        ]
      : []),
    ...(evals.length
      ? [
          prisma.runEval.createMany({
            data: evals.map((e) => ({
              runId: e.runId,
              step: e.eval.step,
              dataSource: e.eval.dataSource,
              metrics: e.eval,
            })),
            skipDuplicates: true,
          }),
        ]
      : []),
  ];
  // Run-state writes re-check the attempt at write time (the monitor may have failed or requeued it since).
  const current = (runId: string) => ({
    id: runId,
    trainerId,
    attempt: runs.get(runId)!.attempt,
    status: { in: LIVE },
  });
  const updates = [
    ...[...maxStep].map(([id, step]) =>
      prisma.run.updateMany({ where: { ...current(id), lastStep: { lt: step } }, data: { lastStep: step } }),
    ),
    ...analyses.map((a) =>
      prisma.runAnalysis.upsert({
        where: { runId: a.runId },
        create: { runId: a.runId, result: a.result },
        update: { result: a.result },
      }),
    ),
    ...checkpoints.map((c) =>
      prisma.run.updateMany({
        where: {
          ...current(c.runId),
          OR: [{ lastCheckpointStep: null }, { lastCheckpointStep: { lt: c.step } }],
        },
        data: { lastCheckpointStep: c.step, lastCheckpointPath: c.path },
      }),
    ),
  ];
  const done = await prisma.$transaction([...writes, ...updates]);
  const created = done
    .slice(0, writes.length)
    .reduce((n, r) => n + ((r as { count?: number }).count ?? 0), 0);

  const result: IngestResult = {
    stored: created + analyses.length,
    metrics: [...groupByRun(metrics)].map(([runId, es]) => ({
      runId,
      metrics: es.map((e) => e.metrics).sort((a, b) => a.step - b.step),
    })),
    logs: [...groupByRun(logs)].map(([runId, es]) => ({
      runId,
      lines: es.map(({ attempt, seq, level, message, at }) => ({ attempt, seq, level, message, at })),
    })),
    evals: [...groupByRun(evals)].map(([runId, es]) => ({ runId, evals: es.map((e) => e.eval) })),
    analyses: analyses.map((a) => ({ runId: a.runId, result: a.result })),
    statuses: [],
    rejected,
  };

  // Status changes in order, and never out of a terminal state.
  for (const s of ofType(events, "status")) {
    const at = new Date(s.at);
    const terminal = s.status !== "running";
    const r = await prisma.run.updateMany({
      where: current(s.runId),
      data: terminal
        ? { status: toDbStatus(s.status), finishedAt: at, errorMessage: s.message ?? null }
        : { status: "RUNNING", startedAt: at },
    });
    if (!r.count) continue;
    const fresh = await prisma.run.findUniqueOrThrow({
      where: { id: s.runId },
      select: { status: true, lastStep: true, errorMessage: true },
    });
    result.statuses.push({
      runId: s.runId,
      status: fromDbStatus(fresh.status),
      message: fresh.errorMessage,
      lastStep: fresh.lastStep,
      at: s.at,
    });
    result.stored += 1;
  }
  return result;
}
