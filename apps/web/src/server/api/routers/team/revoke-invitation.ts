import { InvitationIdInputSchema } from "@bupo/shared/team";
import { revokeInvitation } from "../../../services/invitation-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const revokeInvitationRoute = teamProcedure("ADMIN")
  .input(InvitationIdInputSchema)
  .mutation(async ({ ctx, input }) => {
    await revokeInvitation(ctx.prisma, ctx.access, input.invitationId);
    return { ok: true as const };
  });
