/**
 * The web's durable work, on pg-boss (same database): `run-dispatch` places queued runs on trainers and
 * `run-monitor` sweeps for lost trainers every few seconds (a self-rescheduling job; the "stately" policy
 * keeps one pending monitor however many web processes run). Runs stay QUEUED until a trainer has a slot.
 */
import type { Database } from "@bupo/db/client";
import type { RunStatusPayload } from "@bupo/shared/realtime";
import { fromPglite, PgBoss } from "pg-boss";
import type { Logger } from "../realtime/types.ts";
import { dispatchRun } from "./dispatch.ts";
import { sweepRuns } from "./monitor.ts";
import type { TrainerDirectory } from "./trainer-directory.ts";

const DISPATCH = "run-dispatch";
const MONITOR = "run-monitor";

export interface SchedulerOptions {
  db: Database;
  trainers: TrainerDirectory;
  logger: Logger;
  heartbeatTimeoutMs: number;
  resumeOnTrainerLoss: boolean;
  monitorEverySeconds: number;
  onStatus(p: RunStatusPayload): void;
}

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
  await boss.createQueue(MONITOR, { policy: "stately", notify: true }).catch(() => {});

  const enqueue = async (runId: string) => {
    await boss.send(DISPATCH, { runId }, { retryLimit: 3, retryDelay: 1 });
  };
  const scheduleMonitor = () => boss.send(MONITOR, {}, { startAfter: opts.monitorEverySeconds });

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
  await boss.work(MONITOR, { pollingIntervalSeconds: 1 }, async () => {
    try {
      const queued = await sweepRuns({ ...opts, prisma: db.prisma });
      for (const runId of queued)
        await dispatchRun({ prisma: db.prisma, trainers: opts.trainers, logger }, runId);
    } finally {
      await scheduleMonitor();
    }
  });
  await scheduleMonitor();

  return {
    enqueue,
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
