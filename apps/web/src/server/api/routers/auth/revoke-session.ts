import { RevokeSessionInputSchema } from "@bupo/shared/auth";
import { revokeSession } from "../../../services/session-service.ts";
import { protectedProcedure } from "../../trpc.ts";

/** Signs out one of the caller's own sessions (another browser, a lost laptop). */
export const revokeSessionRoute = protectedProcedure
  .input(RevokeSessionInputSchema)
  .mutation(async ({ ctx, input }) => {
    await revokeSession(ctx.prisma, ctx.runtime?.sockets, ctx.session.user.id, input.sessionId);
    if (input.sessionId === ctx.session.sessionId) ctx.setSessionCookie(null);
    return { ok: true as const };
  });
