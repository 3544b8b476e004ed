import { getTeam } from "../../../services/team-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const getTeamRoute = teamProcedure("VIEWER").query(({ ctx }) => getTeam(ctx.prisma, ctx.access));
