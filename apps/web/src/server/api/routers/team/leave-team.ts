import { leaveTeam } from "../../../services/membership-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const leaveTeamRoute = teamProcedure("VIEWER").mutation(async ({ ctx }) => {
  await leaveTeam(ctx.prisma, ctx.runtime?.sockets, ctx.access);
  return { ok: true as const };
});
