/**
 * Places one queued run on a trainer with a free slot. The database claim (QUEUED and unassigned → assigned,
 * attempt + 1) lets exactly one dispatcher start each attempt; the trainer ignores a repeated start of the
 * same attempt. A definitive refusal un-claims the run; an unknown outcome (timeout) leaves it assigned and
 * the monitor decides, so a run is never started twice.
 */
import type { PrismaClient } from "@bupo/db/client";
import { RunConfigSchema } from "@bupo/shared/run-config";
import type { Logger } from "../realtime/types.ts";
import { isDefinitiveRefusal, type TrainerDirectory } from "./trainer-directory.ts";

export type DispatchOutcome = "started" | "not-queued" | "no-capacity" | "unknown";

export interface DispatchDeps {
  prisma: PrismaClient;
  trainers: TrainerDirectory;
  logger: Logger;
}

async function trainersWithFreeSlots(deps: DispatchDeps): Promise<string[]> {
  const probes = await Promise.all(
    deps.trainers.urls.map(async (url) => {
      try {
        const caps = await deps.trainers.client(url).capabilities.query();
        return caps.freeSlots > 0 ? url : null;
      } catch {
        return null;
      }
    }),
  );
  return probes.filter((u): u is string => u !== null);
}

export async function dispatchRun(deps: DispatchDeps, runId: string): Promise<DispatchOutcome> {
  const queued = await deps.prisma.run.findUnique({
    where: { id: runId },
    select: { status: true, trainerId: true },
  });
  if (queued?.status !== "QUEUED" || queued.trainerId) return "not-queued";

  for (const url of await trainersWithFreeSlots(deps)) {
    const claim = await deps.prisma.run.updateMany({
      where: { id: runId, status: "QUEUED", trainerId: null, cancelRequestedAt: null },
      data: { trainerId: url, attempt: { increment: 1 } },
    });
    if (claim.count === 0) return "not-queued";
    const run = await deps.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    const resumeFrom = run.lastCheckpointPath ?? undefined;
    try {
      await deps.trainers.client(url).job.start.mutate({
        runId,
        attempt: run.attempt,
        config: RunConfigSchema.parse(run.config),
        resumeFrom,
      });
      deps.logger.info({ runId, trainer: url, attempt: run.attempt, resumeFrom }, "run dispatched");
      return "started";
    } catch (e) {
      if (!isDefinitiveRefusal(e)) {
        deps.logger.warn(
          { runId, trainer: url, err: String(e) },
          "start outcome unknown; the monitor will check",
        );
        return "unknown";
      }
      deps.logger.info({ runId, trainer: url, err: String(e) }, "trainer refused the run; trying another");
      await deps.prisma.run.updateMany({
        where: { id: runId, trainerId: url, attempt: run.attempt, status: "QUEUED" },
        data: { trainerId: null, attempt: run.attempt - 1 },
      });
    }
  }
  return "no-capacity";
}
