import { LogitLensInputSchema } from "@bupo/shared/run-queries";
import { runLogitLens } from "../../../services/logit-lens-service.ts";
import { requireRunAccess } from "../../../services/run-access.ts";
import { protectedProcedure } from "../../trpc.ts";

export const logitLensRoute = protectedProcedure.input(LogitLensInputSchema).query(async ({ ctx, input }) => {
  await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId);
  return runLogitLens(ctx.prisma, ctx.runtime, input);
});
