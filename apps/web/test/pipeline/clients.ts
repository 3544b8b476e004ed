/**
 * Clients as a browser would be: tRPC over real HTTP with a cookie jar and a same-origin header, and a
 * Socket.IO client that authenticates with the session cookie and tracks what it has received.
 */
import type { StepMetrics } from "@bupo/shared/metrics";
import type { ClientToServerEvents, RunStatusPayload, ServerToClientEvents } from "@bupo/shared/realtime";
import { createTRPCClient, httpLink } from "@trpc/client";
import { io, type Socket } from "socket.io-client";
import superjson from "superjson";
import type { AppRouter } from "../../src/server/api/root.ts";

export function httpApi(baseUrl: string) {
  const jar = { cookie: "" };
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/api/trpc`,
        transformer: superjson,
        headers: () => ({ origin: baseUrl, ...(jar.cookie ? { cookie: jar.cookie } : {}) }),
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const set = res.headers.getSetCookie().find((c) => c.startsWith("bupo_session="));
          if (set) jar.cookie = set.split(";")[0]!;
          return res;
        },
      }),
    ],
  });
  return { client, jar };
}

/**
 * A browser-like live view of one run: joins, backfills, keeps steps without duplicates. It authenticates as a
 * member (session cookie) or as a share-link viewer (`{ shareToken }`).
 */
export class RunWatcher {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly steps = new Map<number, StepMetrics>();
  readonly statuses: RunStatusPayload[] = [];
  duplicates = 0;
  received = 0;

  constructor(
    baseUrl: string,
    credential: string | { shareToken: string },
    readonly runId: string,
  ) {
    this.socket = io(baseUrl, {
      ...(typeof credential === "string" ? { extraHeaders: { cookie: credential } } : { auth: credential }),
      transports: ["websocket"],
      reconnectionDelay: 200,
    });
    this.socket.on("run:metrics", (p) => {
      if (p.runId !== this.runId) return;
      for (const m of p.metrics) {
        this.received++;
        if (this.steps.has(m.step)) this.duplicates++;
        else this.steps.set(m.step, m);
      }
    });
    this.socket.on("run:status", (p) => {
      if (p.runId === this.runId) this.statuses.push(p);
    });
    // On every (re)connection, rejoin stating the last step held: the server sends only what is missing. A rejoin
    // cut short by a disconnect or close is not an error (the next connection rejoins; tests check join acks
    // through join() itself).
    this.socket.on("connect", () => {
      this.join().catch(() => undefined);
    });
  }

  get lastStep(): number {
    return Math.max(0, ...this.steps.keys());
  }

  join() {
    return this.socket
      .timeout(10_000)
      .emitWithAck("run:join", { runId: this.runId, afterStep: this.lastStep });
  }

  close() {
    this.socket.close();
  }
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
