/**
 * Liveness sweep. A RUNNING attempt is lost when its trainer has sent no heartbeat for `heartbeatTimeoutMs`
 * (while this web process listened),
 * or when the trainer is alive but its latest heartbeat (received after the run last changed) lists the
 * attempt neither as running nor as still reporting — the trainer restarted or dropped the job. A lost run
 * is resumed from its last checkpoint when checkpoints are on shared storage, and failed with a clear reason
 * otherwise. A run assigned to a live trainer that does not know it (a start whose outcome was unknown) is
 * put back in the queue. Returns the queued runs to (re)dispatch.
 */
import type { PrismaClient } from "@bupo/db/client";
import type { RunStatusPayload } from "@bupo/shared/realtime";
import { attemptKey } from "@bupo/shared/trainer-protocol";
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
  /**
   * When this web process started listening for heartbeats. Silence is judged only after a whole timeout of
   * listening: a web that was down heard nothing, which says nothing about its trainers.
   */
  upSince: Date;
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
  const trainers = new Map(
    (
      await deps.prisma.trainer.findMany({
        where: { id: { in: trainerIds } },
        select: { id: true, lastSeenAt: true, reportedAttempts: true },
      })
    ).map((t) => [t.id, t]),
  );

  for (const run of assigned) {
    const trainer = trainers.get(run.trainerId!);
    const lastSeen = trainer?.lastSeenAt;
    const alive = lastSeen != null && lastSeen > cutoff;
    const silent = !alive && run.updatedAt < cutoff && deps.upSince < cutoff;
    const dropped =
      alive &&
      run.status === "RUNNING" &&
      lastSeen > run.updatedAt &&
      !trainer!.reportedAttempts.includes(attemptKey(run.id, run.attempt));
    if (!silent && !dropped) continue;
    const seconds = Math.round(deps.heartbeatTimeoutMs / 1000);
    const lost = silent
      ? `Trainer ${run.trainerId} stopped answering (no heartbeat for ${seconds} s)`
      : `Trainer ${run.trainerId} no longer runs this attempt (it restarted or dropped the job)`;
    const resumable = deps.resumeOnTrainerLoss && run.lastCheckpointPath !== null;
    const where = { id: run.id, trainerId: run.trainerId, attempt: run.attempt, status: run.status };
    if (resumable) {
      const r = await deps.prisma.run.updateMany({ where, data: { status: "QUEUED", trainerId: null } });
      if (r.count) {
        const message = `${lost}; resuming from the checkpoint of step ${run.lastCheckpointStep}.`;
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
      const message = `${lost} at step ${run.lastStep}; the run cannot resume because its checkpoints are not on shared storage.`;
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
