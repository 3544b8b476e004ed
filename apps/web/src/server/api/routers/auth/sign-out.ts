import { revokeSession } from "../../../services/session-service.ts";
import { publicProcedure } from "../../trpc.ts";

/** Revokes the current session server-side and clears the cookie; harmless when already signed out. */
export const signOutRoute = publicProcedure.mutation(async ({ ctx }) => {
  if (ctx.session)
    await revokeSession(ctx.prisma, ctx.runtime?.sockets, ctx.session.user.id, ctx.session.sessionId);
  ctx.setSessionCookie(null);
  return { ok: true as const };
});
