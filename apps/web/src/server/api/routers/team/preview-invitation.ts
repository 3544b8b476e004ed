import { InvitationTokenInputSchema } from "@bupo/shared/team";
import { previewInvitation } from "../../../services/invitation-service.ts";
import { publicProcedure } from "../../trpc.ts";

/** Public: the link itself is the secret; shows only the team name, role and whether it is still usable. */
export const previewInvitationRoute = publicProcedure
  .input(InvitationTokenInputSchema)
  .query(({ ctx, input }) => previewInvitation(ctx.prisma, input.token));
