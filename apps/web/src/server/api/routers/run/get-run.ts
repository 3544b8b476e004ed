import { z } from "zod";
import { requireRunAccess } from "../../../services/run-access.ts";
import { getRun } from "../../../services/run-service.ts";
import { protectedProcedure } from "../../trpc.ts";

export const RunIdInputSchema = z.object({ runId: z.string().min(1).max(64) });

export const getRunRoute = protectedProcedure.input(RunIdInputSchema).query(async ({ ctx, input }) => {
  await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId, "VIEWER");
  return getRun(ctx.prisma, input.runId);
});
