/**
 * Trainer sockets (`/trainer`): a trainer authenticates with the shared service token and its id (its URL),
 * reports event batches with acknowledgements, and sends heartbeats. Malformed batches are rejected and
 * logged; nothing of them is stored.
 */
import { timingSafeEqual } from "node:crypto";
import { HeartbeatSchema, ReportBatchSchema, TRAINER_NAMESPACE } from "@bupo/shared/trainer-protocol";
import { AppError } from "../errors.ts";
import { ingestEvents } from "../services/ingest-service.ts";
import { broadcastIngest } from "./broadcast.ts";
import { IngestCoalescer } from "./ingest-coalescer.ts";
import type { RealtimeDeps, RealtimeServer, TrainerNamespace } from "./types.ts";

function tokenMatches(given: unknown, expected: string | undefined): boolean {
  if (!expected || typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function attachTrainerNamespace(io: RealtimeServer, deps: RealtimeDeps): TrainerNamespace {
  const nsp = io.of(TRAINER_NAMESPACE) as unknown as TrainerNamespace;
  nsp.use((socket, next) => {
    const { token, trainerId } = socket.handshake.auth as { token?: unknown; trainerId?: unknown };
    if (!tokenMatches(token, deps.trainerToken)) {
      deps.logger.warn({ address: socket.handshake.address }, "trainer connection refused: bad token");
      return next(new Error("UNAUTHORIZED: wrong or missing trainer token"));
    }
    if (typeof trainerId !== "string" || !/^https?:\/\/[^\s]{1,200}$/.test(trainerId)) {
      return next(new Error("BAD_REQUEST: trainerId must be the trainer's http(s) URL"));
    }
    socket.data.trainerId = trainerId;
    next();
  });

  const coalescer = new IngestCoalescer(
    (trainerId, events) => ingestEvents(deps.prisma, trainerId, events),
    (result) => broadcastIngest(io, result),
  );

  nsp.on("connection", (socket) => {
    const trainerId = socket.data.trainerId;
    deps.logger.info({ trainerId }, "trainer connected");
    socket.on("trainer:report", async (raw, ack) => {
      const parsed = ReportBatchSchema.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`);
        deps.logger.warn({ trainerId, issues }, "malformed trainer report rejected");
        return ack?.({ ok: false, error: `malformed report: ${issues.join("; ")}`, retryable: false });
      }
      try {
        const result = await coalescer.submit(trainerId, parsed.data.events);
        ack?.({ ok: true, stored: result.stored });
      } catch (e) {
        const rejected = e instanceof AppError;
        const message = rejected ? e.message : "storage failed; retry";
        deps.logger.warn(
          { trainerId, err: e instanceof Error ? e.message : String(e) },
          "trainer report not stored",
        );
        ack?.({ ok: false, error: message, retryable: !rejected });
      }
    });
    socket.on("trainer:heartbeat", async (raw) => {
      const hb = HeartbeatSchema.safeParse(raw);
      if (!hb.success) return deps.logger.warn({ trainerId }, "malformed heartbeat ignored");
      const now = new Date();
      await deps.prisma.trainer
        .upsert({
          where: { id: trainerId },
          create: { id: trainerId, lastSeenAt: now, freeSlots: hb.data.freeSlots },
          update: { lastSeenAt: now, freeSlots: hb.data.freeSlots },
        })
        .catch((e: unknown) => deps.logger.error({ err: String(e) }, "heartbeat not stored"));
    });
  });
  return nsp;
}
