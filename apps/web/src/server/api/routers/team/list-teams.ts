import { listTeams } from "../../../services/team-service.ts";
import { protectedProcedure } from "../../trpc.ts";

export const listTeamsRoute = protectedProcedure.query(async ({ ctx }) => ({
  activeTeamId: ctx.session.user.activeTeamId,
  teams: await listTeams(ctx.prisma, ctx.session.user.id),
}));
