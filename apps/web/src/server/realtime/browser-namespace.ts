/**
 * Browser sockets (default namespace), of two kinds. A member's: the session cookie is checked at the
 * handshake; joining a run's room needs the same access as reading the run over tRPC; the socket lives in its
 * session's and its user's rooms, so that sign-out, revocation and membership changes reach it
 * (live-sockets.ts), and is disconnected when its session expires. A share-link viewer's: the link's token
 * (handshake `auth.shareToken`) must be active; it may join only the link's runs (checked at each join), lives
 * in the link's room so that revoking the link disconnects it, and is disconnected when the link expires.
 * A join backfills every step after the client's last.
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
import { activeShareLinkById, findActiveShareLink, requireLinkRun } from "../services/share-service.ts";
import { runRoom, sessionRoom, shareRoom, teamRoom, userRoom } from "./rooms.ts";
import type { RealtimeDeps, RealtimeServer } from "./types.ts";

type BrowserSocket = Parameters<Parameters<RealtimeServer["on"]>[1]>[0];
type MemberData = Extract<BrowserSocket["data"], { kind: "member" }>;

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
  /** What keeps the socket connected: its session (member) or its share link (viewer), while live. */
  const stillLive = async (socket: BrowserSocket): Promise<{ expiresAt: Date | null } | null> => {
    const data = socket.data;
    if (data.kind === "share") return activeShareLinkById(deps.prisma, data.shareId);
    const session = await liveSession(socket);
    return session?.sessionId === data.sessionId ? session : null;
  };

  /** Disconnects the socket when its session or link ends by time (re-checked, in steps the timer can take). */
  function disconnectAtExpiry(socket: BrowserSocket, expiresAt: Date | null) {
    if (expiresAt === null) return;
    const timer = setTimeout(
      async () => {
        const live = await stillLive(socket).catch(() => null);
        if (live) disconnectAtExpiry(socket, live.expiresAt);
        else socket.disconnect(true);
      },
      Math.min(Math.max(0, expiresAt.getTime() - Date.now()), MAX_TIMER_MS),
    );
    socket.once("disconnect", () => clearTimeout(timer));
  }

  io.use(async (socket, next) => {
    const shareToken: unknown = socket.handshake.auth?.shareToken;
    if (typeof shareToken === "string") {
      const link = await findActiveShareLink(deps.prisma, shareToken).catch(() => null);
      if (!link) return next(new Error("FORBIDDEN: this share link is revoked, expired or unknown"));
      socket.data = { kind: "share", shareId: link.id };
      return next();
    }
    const session = await liveSession(socket);
    if (!session) return next(new Error("UNAUTHORIZED: log in to receive live updates"));
    socket.data = { kind: "member", user: session.user, sessionId: session.sessionId };
    next();
  });

  /**
   * Puts a connected socket in the rooms that end it (session and user, or share link), then checks again: a
   * sign-out or revocation racing the handshake either finds the socket in its room or is seen here.
   */
  async function followWhatAuthorises(socket: BrowserSocket) {
    const data = socket.data;
    await socket.join(
      data.kind === "share"
        ? [shareRoom(data.shareId)]
        : [sessionRoom(data.sessionId), userRoom(data.user.id)],
    );
    const live = await stillLive(socket);
    if (live) disconnectAtExpiry(socket, live.expiresAt);
    else socket.disconnect(true);
  }

  /** The member behind the socket; share-link viewers have none (they may not join teams). */
  const memberOf = (socket: BrowserSocket): MemberData => {
    if (socket.data.kind !== "member") throw new AppError("FORBIDDEN", "Share links show runs only.");
    return socket.data;
  };

  /** A run's room is open to members who may read the run and to viewers of an active link that lists it. */
  const mayWatchRun = (socket: BrowserSocket, runId: string) => {
    const data = socket.data;
    return data.kind === "share"
      ? requireLinkRun(deps.prisma, data.shareId, runId)
      : requireRunAccess(deps.prisma, data.user.id, runId);
  };

  io.on("connection", (socket) => {
    socket.on("run:join", async (raw, ack) => {
      try {
        const input = JoinRunInputSchema.parse(raw);
        // Join first, then backfill: a step stored meanwhile arrives twice at worst, never not at all;
        // clients keep the highest step they hold and drop repeats.
        await joinChecked(socket, runRoom(input.runId), () => mayWatchRun(socket, input.runId));
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
        const member = memberOf(socket);
        await joinChecked(socket, teamRoom(teamId), () =>
          requireTeamRole(deps.prisma, member.user.id, teamId, "VIEWER"),
        );
        ack?.({ ok: true, data: null });
      } catch (e) {
        ack?.(toAckError(e));
      }
    });
    followWhatAuthorises(socket).catch(() => socket.disconnect(true));
  });
}
