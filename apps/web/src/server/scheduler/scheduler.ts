/**
 * The web's background work. `run-dispatch` (pg-boss, same database) places queued runs on trainers; the
 * monitor runs every `monitorEverySeconds` (a fixed-rate loop under a database lease: one web process at a
 * time): it enrolls trainers that need a credential, sweeps for lost runs and dispatches queued
 * ones. Runs stay QUEUED until a trainer has a slot.
 */
import type { Database } from "@bupo/db/client";
import type { RunStatusPayload } from "@bupo/shared/realtime";
import { fromPglite, PgBoss } from "pg-boss";
import type { Logger } from "../realtime/types.ts";
import { dispatchRun } from "./dispatch.ts";
import { sweepRuns } from "./monitor.ts";
import { startMonitorLoop } from "./monitor-loop.ts";
import type { TrainerDirectory } from "./trainer-directory.ts";
import { enrollDueTrainers } from "./trainer-enrollment.ts";

const DISPATCH = "run-dispatch";

export interface SchedulerOptions {
  db: Database;
  trainers: TrainerDirectory;
  logger: Logger;
  heartbeatTimeoutMs: number;
  resumeOnTrainerLoss: boolean;
  monitorEverySeconds: number;
  onStatus(p: RunStatusPayload): void;
  /** Closes a trainer's sockets when its credential is replaced. */
  disconnectTrainer(trainerId: string): void;
}

/** Heartbeat period asked of trainers: several per timeout, at most every 5 s. */
export const heartbeatSecondsFor = (heartbeatTimeoutMs: number) =>
  Math.min(5, Math.max(0.2, heartbeatTimeoutMs / 4000));

export interface Scheduler {
  /** Asks for a queued run to be placed (durable; safe to call repeatedly). */
  enqueue(runId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startScheduler(opts: SchedulerOptions): Promise<Scheduler> {
  const { db, logger } = opts;
  const boss =
    db.target.kind === "pglite" && db.pglite
      ? new PgBoss({ db: fromPglite(db.pglite), backend: "pglite", useListenNotify: true })
      : new PgBoss({
          connectionString: db.target.kind === "postgres" ? db.target.url : "",
          max: 4,
          useListenNotify: true,
        });
  boss.on("error", (e) => logger.error({ err: String(e) }, "pg-boss error"));
  await boss.start();
  await boss.createQueue(DISPATCH, { notify: true }).catch(() => {});

  const enqueue = async (runId: string) => {
    await boss.send(DISPATCH, { runId }, { retryLimit: 3, retryDelay: 1 });
  };

  await boss.work<{ runId: string }>(DISPATCH, { pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      const outcome = await dispatchRun(
        { prisma: db.prisma, trainers: opts.trainers, logger },
        job.data.runId,
      );
      if (outcome === "no-capacity")
        logger.info({ runId: job.data.runId }, "no trainer has a free slot; run waits");
    }
  });
  const upSince = new Date();
  const monitor = startMonitorLoop({
    prisma: db.prisma,
    name: "run-monitor",
    everyMs: opts.monitorEverySeconds * 1000,
    async tick() {
      await enrollDueTrainers({
        prisma: db.prisma,
        trainers: opts.trainers,
        logger,
        heartbeatSeconds: heartbeatSecondsFor(opts.heartbeatTimeoutMs),
        staleAfterMs: opts.heartbeatTimeoutMs,
        upSince,
        disconnectTrainer: opts.disconnectTrainer,
      });
      const queued = await sweepRuns({ ...opts, prisma: db.prisma, upSince });
      for (const runId of queued)
        await dispatchRun({ prisma: db.prisma, trainers: opts.trainers, logger }, runId);
    },
    onError: (e) => logger.error({ err: String(e) }, "monitor tick failed"),
  });

  return {
    enqueue,
    async stop() {
      await monitor.stop();
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
