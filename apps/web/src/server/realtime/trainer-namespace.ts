/**
 * Trainer sockets (`/trainer`). A trainer authenticates with the shared service token, its id (the URL this
 * web is configured to call it at) and the per-trainer credential this web handed it at enrollment; only
 * that credential binds a socket to the id, so a holder of the shared token alone cannot pose as a trainer.
 * A configured trainer whose credential is missing or stale is refused and marked for enrollment (the
 * scheduler enrolls it); an unknown id is refused and leaves nothing in the database.
 *
 * Reports are event batches with acknowledgements; each event is validated on its own and invalid ones are
 * acknowledged as rejected (never "retry"), so they cannot block the trainer's outbox.
 */
import { credentialMatches, secretMatches } from "@bupo/shared/service-credentials";
import {
  attemptKey,
  HeartbeatSchema,
  ReportEnvelopeSchema,
  TRAINER_NAMESPACE,
  type TrainerEvent,
  TrainerEventSchema,
  TrainerHandshakeSchema,
} from "@bupo/shared/trainer-protocol";
import { AppError } from "../errors.ts";
import { ingestEvents } from "../services/ingest-service.ts";
import { broadcastIngest } from "./broadcast.ts";
import { IngestCoalescer } from "./ingest-coalescer.ts";
import type { RealtimeDeps, RealtimeServer, TrainerNamespace } from "./types.ts";

const trainerRoom = (trainerId: string) => `trainer:${trainerId}`;

/** Closes every socket of a trainer (on every web process): its credential was just replaced. */
export function disconnectTrainer(io: RealtimeServer, trainerId: string): void {
  io.of(TRAINER_NAMESPACE).in(trainerRoom(trainerId)).disconnectSockets(true);
}

function validEvents(raw: unknown[]): { events: TrainerEvent[]; issues: string[] } {
  const events: TrainerEvent[] = [];
  const issues: string[] = [];
  for (const [i, e] of raw.entries()) {
    const parsed = TrainerEventSchema.safeParse(e);
    if (parsed.success) events.push(parsed.data);
    else
      issues.push(
        ...parsed.error.issues.slice(0, 2).map((x) => `events.${i}.${x.path.join(".")}: ${x.message}`),
      );
  }
  return { events, issues };
}

export function attachTrainerNamespace(io: RealtimeServer, deps: RealtimeDeps): TrainerNamespace {
  const nsp = io.of(TRAINER_NAMESPACE) as unknown as TrainerNamespace;
  nsp.use(async (socket, next) => {
    const auth = TrainerHandshakeSchema.safeParse(socket.handshake.auth);
    if (!auth.success || !secretMatches(auth.data.token, deps.trainerToken)) {
      deps.logger.warn({ address: socket.handshake.address }, "trainer connection refused: bad token");
      return next(new Error("UNAUTHORIZED: wrong or missing trainer token"));
    }
    const { trainerId, credential } = auth.data;
    if (!deps.trainerUrls.includes(trainerId)) {
      deps.logger.warn(
        { trainerId, address: socket.handshake.address },
        "trainer connection refused: unknown id",
      );
      return next(new Error("UNAUTHORIZED: not a trainer this web is configured with (TRAINER_URLS)"));
    }
    try {
      const row = await deps.prisma.trainer.findUnique({
        where: { id: trainerId },
        select: { credentialHash: true },
      });
      if (!credentialMatches(credential, row?.credentialHash)) {
        await deps.prisma.trainer.updateMany({
          where: { id: trainerId },
          data: { enrollRequestedAt: new Date() },
        });
        deps.logger.warn({ trainerId }, "trainer connection refused: not enrolled; enrollment requested");
        return next(
          new Error("UNAUTHORIZED: trainer not enrolled or credential replaced; enrollment requested"),
        );
      }
    } catch (e) {
      deps.logger.error({ trainerId, err: String(e) }, "trainer handshake failed");
      return next(new Error("UNAVAILABLE: try again"));
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
    void socket.join(trainerRoom(trainerId));
    deps.logger.info({ trainerId }, "trainer connected");
    socket.on("trainer:report", async (raw, ack) => {
      const envelope = ReportEnvelopeSchema.safeParse(raw);
      if (!envelope.success) {
        const issues = envelope.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`);
        deps.logger.warn({ trainerId, issues }, "malformed trainer report rejected");
        return ack?.({ ok: false, error: `malformed report: ${issues.join("; ")}`, retryable: false });
      }
      const { events, issues } = validEvents(envelope.data.events);
      if (issues.length)
        deps.logger.warn({ trainerId, issues: issues.slice(0, 5) }, "invalid trainer events rejected");
      if (!events.length) return ack?.({ ok: true, stored: 0, rejected: envelope.data.events.length });
      try {
        const result = await coalescer.submit(trainerId, events);
        const refused = events.filter((e) => result.rejected.has(e));
        if (refused.length) {
          const reasons = [...new Set(refused.map((e) => result.rejected.get(e)))];
          const attempts = [...new Set(refused.map((e) => attemptKey(e.runId, e.attempt)))];
          deps.logger.warn({ trainerId, attempts: attempts.slice(0, 5), reasons }, "trainer events refused");
        }
        const rejected = envelope.data.events.length - events.length + refused.length;
        ack?.({ ok: true, stored: result.stored, rejected });
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
      const { runs, reporting, freeSlots } = hb.data;
      await deps.prisma.trainer
        .updateMany({
          where: { id: trainerId },
          data: {
            lastSeenAt: new Date(),
            freeSlots,
            reportedAttempts: [...runs, ...reporting].map((r) => attemptKey(r.runId, r.attempt)),
          },
        })
        .catch((e: unknown) => deps.logger.error({ err: String(e) }, "heartbeat not stored"));
    });
  });
  return nsp;
}
