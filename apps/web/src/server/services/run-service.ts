import type { Prisma, PrismaClient } from "@bupo/db/client";
import type { AnalysisResult } from "@bupo/shared/analysis-result";
import type { RunConfig } from "@bupo/shared/run-config";
import type { ListRunsInputSchema } from "@bupo/shared/run-queries";
import type { RunStatus } from "@bupo/shared/trainer-protocol";
import { verlCommandLine } from "@bupo/shared/verl-command";
import type { z } from "zod";
import { AppError } from "../errors.ts";
import type { RunRuntime } from "../runtime.ts";
import type { TeamAccess } from "./membership-service.ts";
import { assertMayManageRun, type RunAccess } from "./run-access.ts";
import { type CheckedRunConfig, checkRunSources } from "./run-sources.ts";
import { fromDbStatus, isTerminal, toDbStatus } from "./run-status.ts";

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
  creator: { select: { id: true, name: true } },
} as const satisfies Prisma.RunSelect;

type RunSummaryRow = Prisma.RunGetPayload<{ select: typeof RUN_SUMMARY }>;

/** Seconds left at the current pace (steps since start), or null before the first step / after the end. */
export function etaSeconds(
  run: Pick<RunSummaryRow, "status" | "startedAt" | "lastStep" | "totalSteps">,
  now = Date.now(),
): number | null {
  if (run.status !== "RUNNING" || !run.startedAt || run.lastStep <= 0) return null;
  const perStep = (now - run.startedAt.getTime()) / 1000 / run.lastStep;
  return Math.max(0, Math.round(perStep * (run.totalSteps - run.lastStep)));
}

const KEY_METRICS = ["critic/score/mean", "actor/entropy", "actor/pg_loss"] as const;

type KeyMetrics = Record<(typeof KEY_METRICS)[number], number | null>;
type Presented<R> = Omit<R, "status"> & {
  status: RunStatus;
  etaSeconds: number | null;
  keyMetrics: KeyMetrics;
};

function present<R extends RunSummaryRow>(run: R, scalars?: Record<string, number>): Presented<R> {
  return {
    ...run,
    status: fromDbStatus(run.status),
    etaSeconds: etaSeconds(run),
    keyMetrics: Object.fromEntries(KEY_METRICS.map((k) => [k, scalars?.[k] ?? null])) as KeyMetrics,
  };
}

const ORDER: Record<string, (o: "asc" | "desc") => Prisma.RunOrderByWithRelationInput> = {
  created: (o) => ({ createdAt: o }),
  name: (o) => ({ name: o }),
  status: (o) => ({ status: o }),
  progress: (o) => ({ lastStep: o }),
};

/** A team's runs: filters, search, sort and pagination; with progress, ETA and the latest key metrics. */
export async function listRuns(
  prisma: PrismaClient,
  access: TeamAccess,
  q: z.output<typeof ListRunsInputSchema>,
) {
  const where: Prisma.RunWhereInput = {
    teamId: access.teamId,
    ...(q.status ? { status: toDbStatus(q.status) } : {}),
    ...(q.algorithm ? { algorithm: q.algorithm === "bupo" ? "BUPO" : "GRPO" } : {}),
    ...(q.family
      ? { modelFamily: ({ qwen3: "QWEN3", qwen2: "QWEN2", llama: "LLAMA" } as const)[q.family] }
      : {}),
    ...(q.kind ? { kind: q.kind === "train" ? "TRAIN" : "ANALYSIS" } : {}),
    ...(q.tag ? { tags: { has: q.tag } } : {}),
    ...(q.search?.trim() ? { name: { contains: q.search.trim(), mode: "insensitive" } } : {}),
  };
  const [total, runs] = await Promise.all([
    prisma.run.count({ where }),
    prisma.run.findMany({
      where,
      orderBy: [ORDER[q.sort]!(q.order), { id: "asc" }],
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
      select: RUN_SUMMARY,
    }),
  ]);
  const latest = runs.length
    ? await prisma.runMetric.findMany({
        where: { OR: runs.filter((r) => r.lastStep > 0).map((r) => ({ runId: r.id, step: r.lastStep })) },
        select: { runId: true, scalars: true },
      })
    : [];
  const scalarsOf = new Map(latest.map((m) => [m.runId, m.scalars as Record<string, number>]));
  return {
    runs: runs.map((r) => present(r, scalarsOf.get(r.id))),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

function defaultName(config: RunConfig): string {
  const what = config.kind === "analysis" ? "analysis" : config.algorithm.toUpperCase();
  const model =
    config.model.source === "preset" ? `${config.model.family}-${config.model.preset}` : "checkpoint";
  const task = config.task.source === "builtin" ? config.task.name : "dataset";
  return `${what} · ${model} · ${task}`;
}

/**
 * Stores a validated run config as a QUEUED run of the team and asks the scheduler to place it; the files and
 * runs it names are checked for the team first (nothing is stored on refusal).
 */
export async function createRun(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  access: TeamAccess,
  input: RunConfig,
) {
  const [run] = await createRuns(prisma, runtime, access, [
    await checkRunSources(prisma, runtime, access, input),
  ]);
  return run!;
}

/**
 * Stores run configs already checked for the team (checkRunSources) as QUEUED runs in one transaction — all
 * or none — then asks the scheduler to place each.
 */
export async function createRuns(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  access: TeamAccess,
  checked: CheckedRunConfig[],
) {
  if (!runtime) throw new AppError("INTERNAL_SERVER_ERROR", "the scheduler is not running in this process");
  const runs = await prisma.$transaction(
    checked.map(({ config, family }) =>
      prisma.run.create({
        data: {
          teamId: access.teamId,
          creatorId: access.userId,
          name: config.name || defaultName(config),
          kind: config.kind === "analysis" ? "ANALYSIS" : "TRAIN",
          algorithm: config.algorithm === "bupo" ? "BUPO" : "GRPO",
          modelFamily: ({ llama: "LLAMA", qwen2: "QWEN2", qwen3: "QWEN3" } as const)[family],
          config,
          tags: config.tags,
          totalSteps: config.kind === "analysis" ? 1 : config.rl.totalSteps,
        },
        select: RUN_SUMMARY,
      }),
    ),
  );
  for (const run of runs) await runtime.enqueue(run.id);
  return runs.map((r) => present(r));
}

/** One run with its config (for the run page, compare and share views). */
export async function getRun(prisma: PrismaClient, runId: string) {
  const run = await prisma.run.findUniqueOrThrow({
    where: { id: runId },
    select: {
      ...RUN_SUMMARY,
      teamId: true,
      config: true,
      attempt: true,
      trainerId: true,
      lastCheckpointStep: true,
      analysis: { select: { result: true } },
    },
  });
  const { analysis, ...rest } = run;
  return {
    ...present(rest),
    config: run.config as RunConfig,
    analysis: (analysis?.result ?? null) as AnalysisResult | null,
    verlCommand: run.kind === "TRAIN" ? verlCommandLine(run.config as RunConfig) : null,
  };
}

/**
 * Cancels in every state: a queued run at once; a running one through its trainer (which reports
 * "cancelled"), or at once when the trainer does not have it; a finished run is left as it is.
 * Members cancel their own runs; admins and owners any run of the team.
 */
export async function cancelRun(prisma: PrismaClient, runtime: RunRuntime | undefined, access: RunAccess) {
  assertMayManageRun(access);
  const { runId } = access;
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
