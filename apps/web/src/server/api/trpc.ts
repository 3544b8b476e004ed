/**
 * tRPC glue, top-down: 1. context, 2. initialisation and the one error mapping, 3. procedure builders.
 * Authorization is by construction: a procedure that touches team data is built on `teamProcedure(minRole)`
 * (input `teamId`), `runProcedure(minRole)` / `runsProcedure` (input `runId` / `runIds`) or
 * `sharedRunProcedure` (input `token` + `runId`); each checks on the server before the handler runs and puts
 * the checked access in the context (`ctx.access`, `ctx.run`, `ctx.runs`), which handlers pass to services.
 * Services additionally scope every query by team.
 */
import type { PrismaClient, TeamRole } from "@bupo/db/client";
import { formatZodIssues } from "@bupo/shared/errors";
import { CompareInputSchema, RunIdInputSchema, SharedRunInputSchema } from "@bupo/shared/run-queries";
import { TeamIdInputSchema } from "@bupo/shared/team";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { readCookie, SESSION_COOKIE, serializeSessionCookie } from "../auth/cookies.ts";
import { AppError } from "../errors.ts";
import type { RunRuntime } from "../runtime.ts";
import type { AuthConfig } from "../services/auth-service.ts";
import { requireTeamRole } from "../services/membership-service.ts";
import { requireRunAccess } from "../services/run-access.ts";
import { type CurrentSession, findSession, type RequestMeta } from "../services/session-service.ts";
import { requireSharedRun } from "../services/share-service.ts";

// ---- 1. CONTEXT -------------------------------------------------------------------------------------
export interface ContextDeps {
  prisma: PrismaClient;
  auth: AuthConfig;
  secureCookies: boolean;
  /** Scheduler and sockets of the server process; absent where none runs (then launching is refused). */
  runtime?: RunRuntime;
}

export interface RequestInfo {
  headers: Headers;
  /** Response headers: procedures append Set-Cookie here. */
  resHeaders: Headers;
  meta: RequestMeta;
}

export async function createContext(deps: ContextDeps, req: RequestInfo) {
  const session = await findSession(deps.prisma, readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  return {
    ...deps,
    meta: req.meta,
    session,
    setSessionCookie(token: string | null, maxAgeSeconds = 0) {
      req.resHeaders.append(
        "set-cookie",
        serializeSessionCookie(token ?? "", {
          maxAgeSeconds: token ? maxAgeSeconds : 0,
          secure: deps.secureCookies,
        }),
      );
    },
  };
}
export type Context = Awaited<ReturnType<typeof createContext>>;

// ---- 2. INITIALISATION ------------------------------------------------------------------------------
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? formatZodIssues(error.cause) : null;
    const appField = error.cause instanceof AppError ? error.cause.field : undefined;
    const fieldErrors = zod ?? (appField ? [{ field: appField, message: error.message }] : null);
    // Internal errors never show their message or stack to the client.
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: internal
        ? "Something went wrong on the server. Try again; if it persists, check the server log."
        : zod
          ? "Some fields are invalid."
          : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, fieldErrors },
    };
  },
});

/** Maps AppError (thrown by services) to the matching tRPC error — the one place this happens. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") console.error(result.error);
  return result;
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

// ---- 3. PROCEDURES ----------------------------------------------------------------------------------
export const publicProcedure = t.procedure.use(mapAppErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Log in to continue." });
  return next({ ctx: { ...ctx, session: ctx.session as CurrentSession } });
});

/** Input carries `teamId`; the caller must be a member with at least `minRole`. */
export const teamProcedure = (minRole: TeamRole) =>
  protectedProcedure.input(TeamIdInputSchema).use(async ({ ctx, input, next }) => {
    const access = await requireTeamRole(ctx.prisma, ctx.session.user.id, input.teamId, minRole);
    return next({ ctx: { ...ctx, access } });
  });

/** Input carries `runId`; the caller must be a member of the run's team with at least `minRole`. */
export const runProcedure = (minRole: TeamRole) =>
  protectedProcedure.input(RunIdInputSchema).use(async ({ ctx, input, next }) => {
    const run = await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId, minRole);
    return next({ ctx: { ...ctx, run } });
  });

/** Input carries `runIds` (runs of any teams the caller belongs to); each needs at least VIEWER. */
export const runsProcedure = protectedProcedure
  .input(CompareInputSchema)
  .use(async ({ ctx, input, next }) => {
    const runs = [];
    for (const id of new Set(input.runIds))
      runs.push(await requireRunAccess(ctx.prisma, ctx.session.user.id, id));
    return next({ ctx: { ...ctx, runs } });
  });

/** No login: input carries a share-link `token` and a `runId`; the link must be active and include the run. */
export const sharedRunProcedure = publicProcedure
  .input(SharedRunInputSchema)
  .use(async ({ ctx, input, next }) => {
    const run = await requireSharedRun(ctx.prisma, input.token, input.runId);
    return next({ ctx: { ...ctx, run } });
  });
