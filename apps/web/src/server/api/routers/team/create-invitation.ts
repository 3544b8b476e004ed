import { CreateInvitationInputSchema } from "@bupo/shared/team";
import { createInvitation } from "../../../services/invitation-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const createInvitationRoute = teamProcedure("ADMIN")
  .input(CreateInvitationInputSchema)
  .mutation(({ ctx, input }) => createInvitation(ctx.prisma, ctx.access, input.role, input.expiresInHours));
