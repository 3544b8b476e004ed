import { setActiveTeam } from "../../../services/team-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const switchTeamRoute = teamProcedure("VIEWER").mutation(async ({ ctx }) => {
  await setActiveTeam(ctx.prisma, ctx.access);
  return { activeTeamId: ctx.access.teamId };
});
