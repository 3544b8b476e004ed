/**
 * Builds the long-lived parts of a web process around its http.Server: database (migrated), demo seed,
 * Socket.IO (with the Redis adapter when configured), scheduler, and the runtime that request handlers use.
 * server.ts calls it; tests call it too, on port 0, with real trainers and real socket clients.
 */
import type { Server as HttpServer } from "node:http";
import { type Database, migrateDatabase, seedDemo } from "@bupo/db";
import { pino } from "pino";
import type { Env } from "../env.ts";
import { AppError } from "./errors.ts";
import { createRealtime } from "./realtime/create-realtime.ts";
import { liveSockets } from "./realtime/live-sockets.ts";
import { createRedisAdapter } from "./realtime/redis-adapter.ts";
import { runRoom } from "./realtime/rooms.ts";
import { disconnectTrainer } from "./realtime/trainer-namespace.ts";
import type { RealtimeServer } from "./realtime/types.ts";
import type { RunRuntime } from "./runtime.ts";
import { type Scheduler, startScheduler } from "./scheduler/scheduler.ts";
import { createTrainerDirectory } from "./scheduler/trainer-directory.ts";
import { seedDemoRuns } from "./services/demo-runs-service.ts";
import { trainerLibraries } from "./services/trainer-libraries.ts";

export interface WebProcess {
  io: RealtimeServer;
  scheduler: Scheduler;
  runtime: RunRuntime;
  seededDemo: boolean;
  close(): Promise<void>;
}

export async function bootWebProcess(httpServer: HttpServer, db: Database, env: Env): Promise<WebProcess> {
  const logger = pino({ level: env.LOG_LEVEL, base: { service: "web" } });
  const applied = await migrateDatabase(db);
  if (applied.length) logger.info({ applied }, "migrations applied");
  const seededDemo = env.BUPO_SEED_DEMO || db.target.kind === "pglite";
  const demo = seededDemo ? await seedDemo(db.prisma) : undefined;

  const redis = env.REDIS_URL ? await createRedisAdapter(env.REDIS_URL) : undefined;
  const io = createRealtime(
    httpServer,
    { prisma: db.prisma, trainerToken: env.TRAINER_TOKEN, trainerUrls: env.TRAINER_URLS, logger },
    { adapter: redis?.adapter },
  );
  const publishStatus: RunRuntime["publishStatus"] = (p) => io.to(runRoom(p.runId)).emit("run:status", p);
  const trainers = createTrainerDirectory(env.TRAINER_URLS, env.TRAINER_TOKEN ?? "");
  const scheduler = await startScheduler({
    db,
    trainers,
    logger,
    heartbeatTimeoutMs: env.TRAINER_HEARTBEAT_TIMEOUT_SECONDS * 1000,
    resumeOnTrainerLoss: env.RESUME_ON_TRAINER_LOSS,
    monitorEverySeconds: env.MONITOR_EVERY_SECONDS,
    onStatus: publishStatus,
    disconnectTrainer: (trainerId) => disconnectTrainer(io, trainerId),
  });
  const runtime: RunRuntime = {
    enqueue: scheduler.enqueue,
    publishStatus,
    sockets: liveSockets(io, db.prisma),
    library: trainerLibraries(trainers),
    async logitLens(trainerId, input) {
      if (!trainers.urls.includes(trainerId)) {
        throw new AppError(
          "NOT_FOUND",
          "The trainer that ran this run is no longer configured, so its checkpoints cannot be read.",
        );
      }
      return trainers
        .client(trainerId)
        .logitLens.query(input)
        .catch((e: unknown) => {
          throw new AppError(
            "NOT_FOUND",
            `Logit lens unavailable: ${e instanceof Error ? e.message : String(e)}`,
          );
        });
    },
    async cancelOnTrainer(trainerId, runId) {
      if (!trainers.urls.includes(trainerId)) return false;
      const r = await trainers
        .client(trainerId)
        .job.cancel.mutate({ runId })
        .catch(() => null);
      return r?.cancelling ?? false;
    },
  };
  if (demo && env.BUPO_DEMO_RUNS) {
    // First start: the local trainer computes the demo team's runs in the background (once per team).
    await seedDemoRuns(db.prisma, runtime, { teamId: demo.teamId, userId: demo.userId, role: "OWNER" }).then(
      (runs) => runs.length && logger.info({ runs: runs.length }, "demo runs queued"),
      (e: unknown) => logger.error({ err: String(e) }, "demo runs not queued"),
    );
  }
  return {
    io,
    scheduler,
    runtime,
    seededDemo,
    async close() {
      await scheduler.stop();
      await new Promise<void>((r) => io.close(() => r()));
      await redis?.close();
    },
  };
}
