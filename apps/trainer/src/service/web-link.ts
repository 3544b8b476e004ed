/**
 * The trainer's connection to the web app: a Socket.IO client on `/trainer` that drains the outbox in
 * acknowledged batches (retrying with backoff while web is away) and sends heartbeats.
 */
import {
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
  trainerId: string;
  outbox: Outbox;
  logger: Logger;
  heartbeat(): Heartbeat;
  heartbeatMs?: number;
  ackTimeoutMs?: number;
}

export interface WebLink {
  /** Resolves once the outbox is empty (or the timeout passes); false if events remain. */
  flush(timeoutMs: number): Promise<boolean>;
  close(): void;
}

export function connectWebLink(opts: WebLinkOptions): WebLink {
  const socket: Socket<Record<string, never>, TrainerToWebEvents> = io(`${opts.webUrl}${TRAINER_NAMESPACE}`, {
    auth: { token: opts.token, trainerId: opts.trainerId },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    transports: ["websocket"],
  });
  let sending = false;
  let closed = false;
  let backoffMs = 0;

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

  socket.on("connect", () => {
    opts.logger.info({ webUrl: opts.webUrl, buffered: opts.outbox.size }, "connected to web");
    socket.emit("trainer:heartbeat", opts.heartbeat());
    void drain();
  });
  socket.on("connect_error", (e) => opts.logger.warn({ err: e.message }, "cannot reach web; buffering"));
  socket.on("disconnect", (reason) => opts.logger.warn({ reason }, "disconnected from web; buffering"));
  const offAppend = opts.outbox.onAppend(() => void drain());
  const timer = setInterval(() => {
    if (socket.connected) socket.emit("trainer:heartbeat", opts.heartbeat());
    void drain();
  }, opts.heartbeatMs ?? 5000);

  return {
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
      offAppend();
      socket.close();
    },
  };
}
