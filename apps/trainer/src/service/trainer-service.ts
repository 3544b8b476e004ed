import type { Server } from "node:http";
import { pino } from "pino";
import type { TrainerEnv } from "../env.ts";
import { startHealthServer } from "./health-server.ts";

export interface TrainerService {
  url: string;
  /** Stops accepting work, lets running jobs checkpoint, closes the server. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

/** Composition root of `serve`: everything is built from the env here and nowhere else. */
export async function startTrainerService(env: TrainerEnv): Promise<TrainerService> {
  const logger = pino({ level: env.LOG_LEVEL, base: { service: "trainer" } });
  const startedAt = Date.now();
  let draining = false;
  const { server, url } = await startHealthServer({
    host: env.TRAINER_HOST,
    port: env.TRAINER_PORT,
    logger,
    report: () => ({
      status: draining ? "draining" : "ok",
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      slots: env.TRAINER_SLOTS,
      runningJobs: 0,
    }),
  });

  let closed: Promise<void> | undefined;
  return {
    url,
    shutdown(reason) {
      closed ??= (async () => {
        draining = true;
        logger.info({ reason }, "trainer shutting down");
        await closeServer(server);
        logger.info("trainer stopped");
        logger.flush();
      })();
      return closed;
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
