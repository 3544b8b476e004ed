/**
 * Persists a trainer's report batch, idempotently: metrics by (run, step), logs by (run, attempt, seq), evals
 * by (run, step, data source) — a replayed batch stores nothing twice. Events for runs not assigned to the
 * reporting trainer, or from a superseded attempt, change no run state. Returns what to broadcast.
 */
import type { PrismaClient } from "@bupo/db/client";
import type {
  RunEvalPayload,
  RunLogPayload,
  RunMetricsPayload,
  RunStatusPayload,
} from "@bupo/shared/realtime";
import type { TrainerEvent } from "@bupo/shared/trainer-protocol";
import { AppError } from "../errors.ts";
import { toMetricRow } from "./run-metrics-service.ts";
import { fromDbStatus, isTerminal, toDbStatus } from "./run-status.ts";

export interface IngestResult {
  stored: number;
  metrics: RunMetricsPayload[];
  statuses: RunStatusPayload[];
  logs: RunLogPayload[];
  evals: RunEvalPayload[];
}

type Of<T extends TrainerEvent["type"]> = Extract<TrainerEvent, { type: T }>;
const ofType = <T extends TrainerEvent["type"]>(events: TrainerEvent[], type: T) =>
  events.filter((e): e is Of<T> => e.type === type);

export async function ingestEvents(
  prisma: PrismaClient,
  trainerId: string,
  events: TrainerEvent[],
): Promise<IngestResult> {
  const runIds = [...new Set(events.map((e) => e.runId))];
  const runs = await prisma.run.findMany({
    where: { id: { in: runIds } },
    select: { id: true, trainerId: true, attempt: true, status: true, lastStep: true },
  });
  const foreign = runIds.filter((id) => runs.find((r) => r.id === id)?.trainerId !== trainerId);
  if (foreign.length) {
    throw new AppError("FORBIDDEN", `runs not assigned to trainer ${trainerId}: ${foreign.join(", ")}`);
  }

  const result: IngestResult = { stored: 0, metrics: [], statuses: [], logs: [], evals: [] };
  await prisma.$transaction(async (tx) => {
    for (const run of runs) {
      const mine = events.filter((e) => e.runId === run.id);
      const metrics = ofType(mine, "metrics").map((e) => e.metrics);
      const logs = ofType(mine, "log");
      const evals = ofType(mine, "eval");
      if (metrics.length) {
        const r = await tx.runMetric.createMany({
          data: metrics.map((m) => toMetricRow(run.id, m)),
          skipDuplicates: true,
        });
        result.stored += r.count;
        const maxStep = Math.max(...metrics.map((m) => m.step));
        await tx.run.updateMany({
          where: { id: run.id, lastStep: { lt: maxStep } },
          data: { lastStep: maxStep },
        });
        result.metrics.push({ runId: run.id, metrics: metrics.sort((a, b) => a.step - b.step) });
      }
      if (logs.length) {
        const data = logs.map((l) => ({
          runId: run.id,
          attempt: l.attempt,
          seq: l.seq,
          level: l.level,
          message: l.message,
          at: new Date(l.at),
        }));
        result.stored += (await tx.runLog.createMany({ data, skipDuplicates: true })).count;
        result.logs.push({
          runId: run.id,
          lines: logs.map(({ attempt, seq, level, message, at }) => ({ attempt, seq, level, message, at })),
        });
      }
      if (evals.length) {
        const data = evals.map((e) => ({
          runId: run.id,
          step: e.eval.step,
          dataSource: e.eval.dataSource,
          metrics: e.eval,
        }));
        result.stored += (await tx.runEval.createMany({ data, skipDuplicates: true })).count;
        result.evals.push({ runId: run.id, evals: evals.map((e) => e.eval) });
      }
      for (const c of ofType(mine, "checkpoint").filter((e) => e.attempt === run.attempt)) {
        await tx.run.updateMany({
          where: { id: run.id, OR: [{ lastCheckpointStep: null }, { lastCheckpointStep: { lt: c.step } }] },
          data: { lastCheckpointStep: c.step, lastCheckpointPath: c.path },
        });
      }
      // Status changes only from the current attempt, and never out of a terminal state.
      for (const s of ofType(mine, "status").filter((e) => e.attempt === run.attempt)) {
        const now = new Date(s.at);
        const terminal = s.status !== "running";
        const r = await tx.run.updateMany({
          where: { id: run.id, status: { notIn: ["SUCCEEDED", "FAILED", "CANCELLED"] } },
          data: terminal
            ? { status: toDbStatus(s.status), finishedAt: now, errorMessage: s.message ?? null }
            : { status: "RUNNING", startedAt: now },
        });
        if (r.count) {
          const fresh = await tx.run.findUniqueOrThrow({
            where: { id: run.id },
            select: { status: true, lastStep: true, errorMessage: true },
          });
          result.statuses.push({
            runId: run.id,
            status: fromDbStatus(fresh.status),
            message: fresh.errorMessage,
            lastStep: fresh.lastStep,
            at: s.at,
          });
          result.stored += 1;
          if (isTerminal(fresh.status)) break;
        }
      }
    }
  });
  return result;
}
