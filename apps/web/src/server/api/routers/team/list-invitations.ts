import { listInvitations } from "../../../services/invitation-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const listInvitationsRoute = teamProcedure("ADMIN").query(({ ctx }) =>
  listInvitations(ctx.prisma, ctx.access),
);
