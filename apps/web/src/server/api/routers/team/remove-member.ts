import { RemoveMemberInputSchema } from "@bupo/shared/team";
import { removeMember } from "../../../services/membership-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const removeMemberRoute = teamProcedure("ADMIN")
  .input(RemoveMemberInputSchema)
  .mutation(async ({ ctx, input }) => {
    await removeMember(ctx.prisma, ctx.runtime?.sockets, ctx.access, input.userId);
    return { ok: true as const };
  });
