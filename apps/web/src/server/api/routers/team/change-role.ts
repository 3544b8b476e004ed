import { ChangeRoleInputSchema } from "@bupo/shared/team";
import { changeMemberRole } from "../../../services/membership-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const changeRoleRoute = teamProcedure("ADMIN")
  .input(ChangeRoleInputSchema)
  .mutation(({ ctx, input }) =>
    changeMemberRole(ctx.prisma, ctx.runtime?.sockets, ctx.access, input.userId, input.role),
  );
