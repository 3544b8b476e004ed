/**
 * Composition root of `serve`: one http.Server with GET /health and the tRPC API under /trpc, a job manager
 * with N slots, the durable outbox and the link to the web app. Everything is built here from the env.
 */
import { createServer, type Server } from "node:http";
import path from "node:path";
import type { LogitLensInputSchema, LogitLensResult } from "@bupo/shared/run-queries";
import type { Capabilities, EnrollInput } from "@bupo/shared/trainer-protocol";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { pino } from "pino";
import type { z } from "zod";
import type { TrainerEnv } from "../env.ts";
import { JobManager, type JobRunner } from "./job-manager.ts";
import { Outbox } from "./outbox.ts";
import type { TrainerContext } from "./router.ts";
import { trainerRouter } from "./router.ts";
import { connectWebLink, type WebLink } from "./web-link.ts";

export interface TrainerService {
  url: string;
  trainerId: string;
  jobs: JobManager;
  /** Stops accepting work, lets running jobs checkpoint, flushes reports, closes. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

export interface TrainerServiceDeps {
  runner: JobRunner;
  /** Backend facts for the capability call (filled once the backend is initialised). */
  describeBackend(): Pick<Capabilities, "backend" | "threads" | "nativeKernels" | "native" | "gpu">;
  modelPresets: string[];
  logitLens(input: z.output<typeof LogitLensInputSchema>): Promise<LogitLensResult>;
  /** The model and dataset library (scanned at start, rescanned on demand). */
  library: TrainerContext["library"];
  tasks: string[];
  version: string;
}

export async function startTrainerService(
  env: TrainerEnv,
  deps: TrainerServiceDeps,
): Promise<TrainerService> {
  const logger = pino({ level: env.LOG_LEVEL, base: { service: "trainer" } });
  const token = env.TRAINER_TOKEN;
  if (!token) throw new Error(MISSING_TOKEN);
  const startedAt = Date.now();
  let draining = false;
  const outbox = Outbox.open(path.resolve(env.TRAINER_DATA_DIR, "outbox"));
  const jobs = new JobManager(env.TRAINER_SLOTS, deps.runner, outbox, logger);

  let trainerId = env.TRAINER_PUBLIC_URL ?? "";
  let link: WebLink | undefined;
  const enroll = (input: EnrollInput) => {
    link?.enroll(input);
    return { reporting: link !== undefined };
  };
  const capabilities = (): Capabilities => ({
    trainerId,
    version: deps.version,
    ...deps.describeBackend(),
    slots: env.TRAINER_SLOTS,
    freeSlots: draining ? 0 : jobs.freeSlots,
    runningJobs: jobs.running().map((j) => j.runId),
    modelPresets: deps.modelPresets,
    tasks: deps.tasks,
  });
  const trpc = createHTTPHandler({
    router: trainerRouter,
    basePath: "/trpc/",
    createContext: ({ req }) => ({
      authorization: req.headers.authorization,
      token,
      jobs,
      capabilities,
      logitLens: deps.logitLens,
      library: deps.library,
      enroll,
    }),
    onError: ({ error, path: p }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path: p, err: error.message }, "trpc error");
    },
  });
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      res.writeHead(draining ? 503 : 200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          status: draining ? "draining" : "ok",
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          slots: env.TRAINER_SLOTS,
          runningJobs: jobs.running().length,
        }),
      );
    } else if (req.url?.startsWith("/trpc/")) {
      if (draining && req.url.startsWith("/trpc/job.start")) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "trainer is shutting down" }));
        return;
      }
      void trpc(req, res);
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "not found" }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.TRAINER_PORT, env.TRAINER_HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.TRAINER_PORT;
  const url = `http://${env.TRAINER_HOST}:${port}`;
  trainerId ||= url;
  logger.info({ url, trainerId, slots: env.TRAINER_SLOTS, buffered: outbox.size }, "trainer listening");
  const backend = deps.describeBackend();
  if (backend.backend === "wasm" && backend.native?.active === false) {
    logger.warn({ reason: backend.native.reason }, "running without native kernels (plain wasm; see README)");
  } else if (backend.native?.active) {
    logger.info(
      { blas: backend.native.coreType, threads: backend.native.blasThreads },
      "native kernels active",
    );
  }

  if (env.WEB_URL) {
    link = connectWebLink({
      webUrl: env.WEB_URL,
      token,
      trainerId,
      outbox,
      logger,
      heartbeat: () => ({
        runs: jobs.running(),
        reporting: outbox.reportingAttempts(),
        freeSlots: draining ? 0 : jobs.freeSlots,
      }),
    });
  }

  let closed: Promise<void> | undefined;
  return {
    url,
    trainerId,
    jobs,
    shutdown(reason) {
      closed ??= (async () => {
        draining = true;
        logger.info({ reason }, "trainer shutting down: checkpointing running jobs");
        await jobs.shutdown();
        if (link && !(await link.flush(5000)))
          logger.warn({ buffered: outbox.size }, "reports kept on disk for the next start");
        link?.close();
        await closeServer(server);
        logger.info("trainer stopped");
      })();
      return closed;
    },
  };
}

const MISSING_TOKEN =
  "TRAINER_TOKEN is not set, so `serve` refuses to start: without it anyone who can reach the trainer's port " +
  "could start and cancel jobs. Set TRAINER_TOKEN (at least 16 characters) to the web app's TRAINER_TOKEN " +
  "(`npm start` generates one for the web and its local trainer).";

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
