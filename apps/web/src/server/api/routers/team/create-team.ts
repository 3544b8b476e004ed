import { CreateTeamInputSchema } from "@bupo/shared/team";
import { createTeam } from "../../../services/team-service.ts";
import { protectedProcedure } from "../../trpc.ts";

export const createTeamRoute = protectedProcedure
  .input(CreateTeamInputSchema)
  .mutation(({ ctx, input }) => createTeam(ctx.prisma, ctx.session.user.id, input.name));
