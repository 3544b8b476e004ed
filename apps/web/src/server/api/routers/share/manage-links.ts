import { CreateShareInputSchema, ShareIdInputSchema } from "@bupo/shared/run-queries";
import { createShareLink, listShareLinks, revokeShareLink } from "../../../services/share-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const createShareRoute = teamProcedure("MEMBER")
  .input(CreateShareInputSchema)
  .mutation(({ ctx, input }) => createShareLink(ctx.prisma, ctx.access, input.runIds, input.expiresInHours));

export const listSharesRoute = teamProcedure("VIEWER").query(({ ctx }) =>
  listShareLinks(ctx.prisma, ctx.access),
);

export const revokeShareRoute = teamProcedure("MEMBER")
  .input(ShareIdInputSchema)
  .mutation(async ({ ctx, input }) => {
    await revokeShareLink(ctx.prisma, ctx.runtime?.sockets, ctx.access, input.shareId);
    return { ok: true as const };
  });
