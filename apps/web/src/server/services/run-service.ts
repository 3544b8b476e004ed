import type { PrismaClient } from "@bupo/db/client";
import type { RunConfig } from "@bupo/shared/run-config";
import { AppError } from "../errors.ts";
import type { RunRuntime } from "../runtime.ts";
import type { TeamAccess } from "./membership-service.ts";
import { fromDbStatus, isTerminal } from "./run-status.ts";

const RUN_SUMMARY = {
  id: true,
  name: true,
  kind: true,
  algorithm: true,
  modelFamily: true,
  status: true,
  lastStep: true,
  totalSteps: true,
  tags: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  errorMessage: true,
  creator: { select: { name: true } },
} as const;

/** A team's runs, newest first. */
export function listRuns(prisma: PrismaClient, access: TeamAccess) {
  return prisma.run.findMany({
    where: { teamId: access.teamId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: RUN_SUMMARY,
  });
}

/** The model family of a config; a checkpoint's family is only known once the trainer reads it. */
const familyOf = (config: RunConfig) => (config.model.source === "preset" ? config.model.family : "qwen3");

function defaultName(config: RunConfig): string {
  const what = config.kind === "analysis" ? "analysis" : config.algorithm.toUpperCase();
  const model =
    config.model.source === "preset" ? `${config.model.family}-${config.model.preset}` : "checkpoint";
  const task = config.task.source === "builtin" ? config.task.name : "dataset";
  return `${what} · ${model} · ${task}`;
}

/** Stores a validated run config as a QUEUED run of the team and asks the scheduler to place it. */
export async function createRun(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  access: TeamAccess,
  config: RunConfig,
) {
  if (!runtime) throw new AppError("INTERNAL_SERVER_ERROR", "the scheduler is not running in this process");
  const run = await prisma.run.create({
    data: {
      teamId: access.teamId,
      creatorId: access.userId,
      name: config.name || defaultName(config),
      kind: config.kind === "analysis" ? "ANALYSIS" : "TRAIN",
      algorithm: config.algorithm === "bupo" ? "BUPO" : "GRPO",
      modelFamily: ({ llama: "LLAMA", qwen2: "QWEN2", qwen3: "QWEN3" } as const)[familyOf(config)],
      config,
      tags: config.tags,
      totalSteps: config.kind === "analysis" ? 1 : config.rl.totalSteps,
    },
    select: RUN_SUMMARY,
  });
  await runtime.enqueue(run.id);
  return run;
}

export async function getRun(prisma: PrismaClient, runId: string) {
  const run = await prisma.run.findUniqueOrThrow({
    where: { id: runId },
    select: { ...RUN_SUMMARY, teamId: true, config: true, attempt: true, trainerId: true },
  });
  return { ...run, status: fromDbStatus(run.status) };
}

/**
 * Cancels in every state: a queued run at once; a running one through its trainer (which reports
 * "cancelled"), or at once when the trainer does not have it; a finished run is left as it is.
 */
export async function cancelRun(prisma: PrismaClient, runtime: RunRuntime | undefined, runId: string) {
  const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
  if (isTerminal(run.status)) return { status: fromDbStatus(run.status) };
  const now = new Date();
  await prisma.run.update({ where: { id: runId }, data: { cancelRequestedAt: now } });
  const onTrainer = run.trainerId && runtime ? await runtime.cancelOnTrainer(run.trainerId, runId) : false;
  if (onTrainer) return { status: "running" as const, cancelling: true };
  const r = await prisma.run.updateMany({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED", finishedAt: now, errorMessage: "Cancelled by a user." },
  });
  if (r.count)
    runtime?.publishStatus({
      runId,
      status: "cancelled",
      message: "Cancelled by a user.",
      lastStep: run.lastStep,
      at: now.toISOString(),
    });
  return { status: "cancelled" as const };
}
