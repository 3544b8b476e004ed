import { listSessions } from "../../../services/session-service.ts";
import { protectedProcedure } from "../../trpc.ts";

export const listSessionsRoute = protectedProcedure.query(async ({ ctx }) => {
  const sessions = await listSessions(ctx.prisma, ctx.session.user.id);
  return sessions.map((s) => ({ ...s, current: s.id === ctx.session.sessionId }));
});
