import { InvitationTokenInputSchema } from "@bupo/shared/team";
import { acceptInvitation } from "../../../services/invitation-service.ts";
import { protectedProcedure } from "../../trpc.ts";

export const acceptInvitationRoute = protectedProcedure
  .input(InvitationTokenInputSchema)
  .mutation(({ ctx, input }) => acceptInvitation(ctx.prisma, ctx.session.user.id, input.token));
