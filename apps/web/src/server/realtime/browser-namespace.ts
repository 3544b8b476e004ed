/**
 * Browser sockets (default namespace): the session cookie is checked at the handshake; joining a run's room
 * needs the same access as reading the run over tRPC; a join backfills every step after the client's last.
 * A socket lives in its session's and its user's rooms, so that sign-out, revocation and membership changes
 * reach it (live-sockets.ts); it is disconnected when its session expires.
 */
import { type Ack, JoinRunInputSchema, JoinTeamInputSchema } from "@bupo/shared/realtime";
import type { RunStatus } from "@bupo/shared/trainer-protocol";
import { ZodError } from "zod";
import { readCookie, SESSION_COOKIE } from "../auth/cookies.ts";
import { AppError } from "../errors.ts";
import { requireTeamRole } from "../services/membership-service.ts";
import { requireRunAccess } from "../services/run-access.ts";
import { metricsAfter, recentLogs, runAnalysis, runEvals } from "../services/run-metrics-service.ts";
import { fromDbStatus } from "../services/run-status.ts";
import { findSession } from "../services/session-service.ts";
import { runRoom, sessionRoom, teamRoom, userRoom } from "./rooms.ts";
import type { RealtimeDeps, RealtimeServer } from "./types.ts";

type BrowserSocket = Parameters<Parameters<RealtimeServer["on"]>[1]>[0];

const BACKFILL_PAGE = 500;

/** Maps any error to a socket ack, once: AppError and zod messages pass, anything else is sanitised. */
export function toAckError(e: unknown): Extract<Ack<never>, { ok: false }> {
  if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message } };
  if (e instanceof ZodError)
    return { ok: false, error: { code: "BAD_REQUEST", message: e.issues.map((i) => i.message).join("; ") } };
  return {
    ok: false,
    error: { code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on the server." },
  };
}

/** Longest delay setTimeout takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Joins `room` when `check` passes, and checks again once joined: a revocation or removal that lands between
 * the first check and the join finds the socket in the room (and evicts it) or is seen by the second check.
 */
async function joinChecked(
  socket: BrowserSocket,
  room: string,
  check: () => Promise<unknown>,
): Promise<void> {
  await check();
  await socket.join(room);
  try {
    await check();
  } catch (e) {
    await socket.leave(room);
    throw e;
  }
}

export function attachBrowserNamespace(io: RealtimeServer, deps: RealtimeDeps): void {
  const liveSession = (socket: BrowserSocket) =>
    findSession(deps.prisma, readCookie(socket.handshake.headers.cookie, SESSION_COOKIE)).catch(() => null);
  /** The socket's own session, while it is live (not signed out, revoked or expired). */
  const ownSession = async (socket: BrowserSocket) => {
    const session = await liveSession(socket);
    return session?.sessionId === socket.data.sessionId ? session : null;
  };

  /** Disconnects the socket when its session ends by time (re-checked, in steps the timer can take). */
  function disconnectAtExpiry(socket: BrowserSocket, expiresAt: Date) {
    const timer = setTimeout(
      async () => {
        const session = await ownSession(socket);
        if (session) disconnectAtExpiry(socket, session.expiresAt);
        else socket.disconnect(true);
      },
      Math.min(Math.max(0, expiresAt.getTime() - Date.now()), MAX_TIMER_MS),
    );
    socket.once("disconnect", () => clearTimeout(timer));
  }

  io.use(async (socket, next) => {
    const session = await liveSession(socket);
    if (!session) return next(new Error("UNAUTHORIZED: log in to receive live updates"));
    socket.data.user = session.user;
    socket.data.sessionId = session.sessionId;
    next();
  });

  /**
   * Puts a connected socket in its session's and its user's rooms, then checks the session again: a sign-out
   * racing the handshake either finds the socket in its room or is seen here.
   */
  async function followSession(socket: BrowserSocket) {
    await socket.join([sessionRoom(socket.data.sessionId), userRoom(socket.data.user.id)]);
    const session = await ownSession(socket);
    if (session) disconnectAtExpiry(socket, session.expiresAt);
    else socket.disconnect(true);
  }

  io.on("connection", (socket) => {
    socket.on("run:join", async (raw, ack) => {
      try {
        const input = JoinRunInputSchema.parse(raw);
        // Join first, then backfill: a step stored meanwhile arrives twice at worst, never not at all;
        // clients keep the highest step they hold and drop repeats.
        await joinChecked(socket, runRoom(input.runId), () =>
          requireRunAccess(deps.prisma, socket.data.user.id, input.runId),
        );
        let after = input.afterStep;
        for (;;) {
          const page = await metricsAfter(deps.prisma, input.runId, after, BACKFILL_PAGE);
          if (!page.length) break;
          socket.emit("run:metrics", { runId: input.runId, metrics: page });
          after = page[page.length - 1]!.step;
          if (page.length < BACKFILL_PAGE) break;
        }
        const lines = await recentLogs(deps.prisma, input.runId, 500);
        if (lines.length) socket.emit("run:log", { runId: input.runId, lines });
        const evals = await runEvals(deps.prisma, input.runId);
        if (evals.length) socket.emit("run:eval", { runId: input.runId, evals });
        const analysis = await runAnalysis(deps.prisma, input.runId);
        if (analysis) socket.emit("run:analysis", { runId: input.runId, result: analysis });
        const run = await deps.prisma.run.findUniqueOrThrow({
          where: { id: input.runId },
          select: { status: true, lastStep: true },
        });
        ack?.({ ok: true, data: { lastStep: run.lastStep, status: fromDbStatus(run.status) as RunStatus } });
      } catch (e) {
        ack?.(toAckError(e));
      }
    });
    socket.on("run:leave", (raw) => {
      if (typeof raw?.runId === "string") void socket.leave(runRoom(raw.runId));
    });
    socket.on("team:join", async (raw, ack) => {
      try {
        const { teamId } = JoinTeamInputSchema.parse(raw);
        await joinChecked(socket, teamRoom(teamId), () =>
          requireTeamRole(deps.prisma, socket.data.user.id, teamId, "VIEWER"),
        );
        ack?.({ ok: true, data: null });
      } catch (e) {
        ack?.(toAckError(e));
      }
    });
    followSession(socket).catch(() => socket.disconnect(true));
  });
}
