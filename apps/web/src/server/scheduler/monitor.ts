/**
 * Liveness sweep. A run whose trainer has sent no heartbeat for `heartbeatTimeoutMs` is resumed from its
 * last checkpoint on another trainer when checkpoints are on shared storage, and failed with a clear reason
 * otherwise. A run assigned to a live trainer that does not know it (a start whose outcome was unknown) is
 * put back in the queue. Returns the queued runs to (re)dispatch.
 */
import type { PrismaClient } from "@bupo/db/client";
import type { RunStatusPayload } from "@bupo/shared/realtime";
import type { Logger } from "../realtime/types.ts";
import { fromDbStatus } from "../services/run-status.ts";
import type { TrainerDirectory } from "./trainer-directory.ts";

export interface MonitorDeps {
  prisma: PrismaClient;
  trainers: TrainerDirectory;
  logger: Logger;
  heartbeatTimeoutMs: number;
  /** Checkpoints are readable by every trainer (shared storage): lost runs resume instead of failing. */
  resumeOnTrainerLoss: boolean;
  onStatus(p: RunStatusPayload): void;
  now?: () => Date;
}

export async function sweepRuns(deps: MonitorDeps): Promise<string[]> {
  const now = deps.now?.() ?? new Date();
  const cutoff = new Date(now.getTime() - deps.heartbeatTimeoutMs);
  const assigned = await deps.prisma.run.findMany({
    where: { status: { in: ["QUEUED", "RUNNING"] }, trainerId: { not: null } },
    select: {
      id: true,
      trainerId: true,
      attempt: true,
      status: true,
      lastStep: true,
      lastCheckpointPath: true,
      lastCheckpointStep: true,
      updatedAt: true,
    },
  });
  const trainerIds = [...new Set(assigned.map((r) => r.trainerId!))];
  const seen = new Map(
    (await deps.prisma.trainer.findMany({ where: { id: { in: trainerIds } } })).map((t) => [
      t.id,
      t.lastSeenAt,
    ]),
  );

  for (const run of assigned) {
    const lastSeen = seen.get(run.trainerId!);
    const alive = lastSeen !== undefined && lastSeen > cutoff;
    const graceOver = run.updatedAt < cutoff;
    if (alive || !graceOver) continue;
    const seconds = Math.round(deps.heartbeatTimeoutMs / 1000);
    const resumable = deps.resumeOnTrainerLoss && run.lastCheckpointPath !== null;
    const where = { id: run.id, trainerId: run.trainerId, attempt: run.attempt, status: run.status };
    if (resumable) {
      const r = await deps.prisma.run.updateMany({ where, data: { status: "QUEUED", trainerId: null } });
      if (r.count) {
        const message = `Trainer ${run.trainerId} stopped answering; resuming from the checkpoint of step ${run.lastCheckpointStep} on another trainer.`;
        await deps.prisma.run.update({ where: { id: run.id }, data: { errorMessage: message } });
        deps.logger.warn({ runId: run.id, trainer: run.trainerId }, "trainer lost; run requeued to resume");
        deps.onStatus({
          runId: run.id,
          status: "queued",
          message,
          lastStep: run.lastStep,
          at: now.toISOString(),
        });
      }
    } else {
      const message = `Trainer ${run.trainerId} stopped answering (no heartbeat for ${seconds} s) at step ${run.lastStep}; the run cannot resume because its checkpoints are not on shared storage.`;
      const r = await deps.prisma.run.updateMany({
        where,
        data: { status: "FAILED", finishedAt: now, errorMessage: message },
      });
      if (r.count) {
        deps.logger.warn({ runId: run.id, trainer: run.trainerId }, "trainer lost; run failed");
        deps.onStatus({
          runId: run.id,
          status: fromDbStatus("FAILED"),
          message,
          lastStep: run.lastStep,
          at: now.toISOString(),
        });
      }
    }
  }

  // Assigned to a live trainer that is not running it (start outcome was unknown): back to the queue.
  for (const run of assigned.filter((r) => r.status === "QUEUED" && r.updatedAt < cutoff)) {
    if (!deps.trainers.urls.includes(run.trainerId!)) continue;
    const running = await deps.trainers
      .client(run.trainerId!)
      .job.list.query()
      .catch(() => null);
    if (running && !running.some((j) => j.runId === run.id && j.attempt === run.attempt)) {
      await deps.prisma.run.updateMany({
        where: { id: run.id, trainerId: run.trainerId, attempt: run.attempt, status: "QUEUED" },
        data: { trainerId: null },
      });
    }
  }

  const queued = await deps.prisma.run.findMany({
    where: { status: "QUEUED", trainerId: null, cancelRequestedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true },
    take: 100,
  });
  return queued.map((r) => r.id);
}
