/**
 * The trainer's connection to the web app: a Socket.IO client on `/trainer` that drains the outbox in
 * acknowledged batches (retrying with backoff while web is away) and sends heartbeats.
 *
 * Identity: the handshake carries the shared service token, the trainer id and the per-trainer credential
 * the web handed over at enrollment (`enroll`, called through the trainer's tRPC API). Before enrollment,
 * or after the web replaced the credential, the web refuses the handshake and enrolls this trainer; the
 * link keeps retrying until it is accepted.
 */
import {
  type EnrollInput,
  type Heartbeat,
  MAX_EVENTS_PER_REPORT,
  type ReportAck,
  TRAINER_NAMESPACE,
  type TrainerToWebEvents,
} from "@bupo/shared/trainer-protocol";
import type { Logger } from "pino";
import { io, type Socket } from "socket.io-client";
import type { Outbox } from "./outbox.ts";

export interface WebLinkOptions {
  webUrl: string;
  token: string;
  /** This trainer's own idea of its id (used until the web enrolls it under the URL it calls). */
  trainerId: string;
  outbox: Outbox;
  logger: Logger;
  heartbeat(): Heartbeat;
  /** Heartbeat period until enrollment says otherwise. */
  heartbeatMs?: number;
  ackTimeoutMs?: number;
}

export interface WebLink {
  /** Takes the id and credential the web enrolled this trainer with, and reconnects with them. */
  enroll(input: EnrollInput): void;
  /** Resolves once the outbox is empty (or the timeout passes); false if events remain. */
  flush(timeoutMs: number): Promise<boolean>;
  close(): void;
}

const RETRY_REFUSED_MS = 1000;

export function connectWebLink(opts: WebLinkOptions): WebLink {
  const identity: { trainerId: string; credential?: string } = { trainerId: opts.trainerId };
  const socket: Socket<Record<string, never>, TrainerToWebEvents> = io(`${opts.webUrl}${TRAINER_NAMESPACE}`, {
    // A function: read again on every (re)connection, so a new enrollment takes effect.
    auth: (cb) => cb({ token: opts.token, ...identity }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    transports: ["websocket"],
  });
  let sending = false;
  let closed = false;
  let backoffMs = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  async function drain(): Promise<void> {
    if (sending || closed) return;
    sending = true;
    try {
      while (!closed && socket.connected && opts.outbox.size > 0) {
        const batch = opts.outbox.pending(MAX_EVENTS_PER_REPORT);
        const ack = await socket
          .timeout(opts.ackTimeoutMs ?? 10_000)
          .emitWithAck("trainer:report", { events: batch })
          .catch((e: unknown): ReportAck => ({ ok: false, error: String(e), retryable: true }));
        if (ack.ok) {
          if (ack.rejected > 0)
            opts.logger.error(
              { rejected: ack.rejected, events: batch.length },
              "web rejected events; dropping them",
            );
          opts.outbox.ack(batch);
          backoffMs = 0;
        } else if (!ack.retryable) {
          opts.logger.error({ error: ack.error, events: batch.length }, "web rejected events; dropping them");
          opts.outbox.ack(batch);
        } else {
          backoffMs = Math.min(Math.max(backoffMs * 2, 250), 5000);
          opts.logger.warn({ error: ack.error, retryInMs: backoffMs }, "report not acknowledged; will retry");
          await new Promise((r) => setTimeout(r, backoffMs));
        }
      }
    } finally {
      sending = false;
    }
  }

  const sendHeartbeat = () => {
    if (socket.connected) socket.emit("trainer:heartbeat", opts.heartbeat());
    void drain();
  };
  /** The web refused the handshake or closed the link itself: socket.io does not retry those on its own. */
  const retrySoon = () => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      if (!closed && !socket.connected && !socket.active) socket.connect();
    }, RETRY_REFUSED_MS);
  };

  socket.on("connect", () => {
    opts.logger.info(
      { webUrl: opts.webUrl, trainerId: identity.trainerId, buffered: opts.outbox.size },
      "connected to web",
    );
    sendHeartbeat();
  });
  socket.on("connect_error", (e) => {
    if (socket.active) return opts.logger.warn({ err: e.message }, "cannot reach web; buffering");
    opts.logger.warn({ err: e.message }, "web refused this trainer; waiting for enrollment");
    retrySoon();
  });
  socket.on("disconnect", (reason) => {
    opts.logger.warn({ reason }, "disconnected from web; buffering");
    if (reason === "io server disconnect") retrySoon();
  });
  const offAppend = opts.outbox.onAppend(() => void drain());
  let timer = setInterval(sendHeartbeat, opts.heartbeatMs ?? 5000);

  return {
    enroll({ trainerId, credential, heartbeatSeconds }) {
      if (closed) return;
      Object.assign(identity, { trainerId, credential });
      clearInterval(timer);
      timer = setInterval(sendHeartbeat, heartbeatSeconds * 1000);
      opts.logger.info(
        { trainerId, heartbeatSeconds },
        "enrolled by web; reconnecting with the new credential",
      );
      socket.disconnect().connect();
    },
    async flush(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (opts.outbox.size > 0 && Date.now() < deadline) {
        void drain();
        await new Promise((r) => setTimeout(r, 50));
      }
      return opts.outbox.size === 0;
    },
    close() {
      closed = true;
      clearInterval(timer);
      clearTimeout(retryTimer);
      offAppend();
      socket.close();
    },
  };
}
