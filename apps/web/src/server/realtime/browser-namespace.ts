/**
 * Browser sockets (default namespace): the session cookie is checked at the handshake; joining a run's room
 * needs the same access as reading the run over tRPC; a join backfills every step after the client's last.
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
import { runRoom, teamRoom } from "./rooms.ts";
import type { RealtimeDeps, RealtimeServer } from "./types.ts";

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

export function attachBrowserNamespace(io: RealtimeServer, deps: RealtimeDeps): void {
  io.use(async (socket, next) => {
    const session = await findSession(
      deps.prisma,
      readCookie(socket.handshake.headers.cookie, SESSION_COOKIE),
    ).catch(() => null);
    if (!session) return next(new Error("UNAUTHORIZED: log in to receive live updates"));
    socket.data.user = session.user;
    next();
  });

  io.on("connection", (socket) => {
    socket.on("run:join", async (raw, ack) => {
      try {
        const input = JoinRunInputSchema.parse(raw);
        await requireRunAccess(deps.prisma, socket.data.user.id, input.runId);
        // Join first, then backfill: a step stored meanwhile arrives twice at worst, never not at all;
        // clients keep the highest step they hold and drop repeats.
        await socket.join(runRoom(input.runId));
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
        await requireTeamRole(deps.prisma, socket.data.user.id, teamId, "VIEWER");
        await socket.join(teamRoom(teamId));
        ack?.({ ok: true, data: null });
      } catch (e) {
        ack?.(toAckError(e));
      }
    });
  });
}
