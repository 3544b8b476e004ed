import { RunIdInputSchema } from "@bupo/shared/run-queries";
import { requireRunAccess } from "../../../services/run-access.ts";
import { cancelRun } from "../../../services/run-service.ts";
import { protectedProcedure } from "../../trpc.ts";

export const cancelRunRoute = protectedProcedure.input(RunIdInputSchema).mutation(async ({ ctx, input }) => {
  await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId, "MEMBER");
  return cancelRun(ctx.prisma, ctx.runtime, input.runId);
});
