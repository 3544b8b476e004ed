import { RunIdInputSchema } from "@bupo/shared/run-queries";
import { requireRunAccess } from "../../../services/run-access.ts";
import { getRun } from "../../../services/run-service.ts";
import { protectedProcedure } from "../../trpc.ts";

/** One run with its config, the equivalent verl command line and the caller's role in its team. */
export const getRunRoute = protectedProcedure.input(RunIdInputSchema).query(async ({ ctx, input }) => {
  const access = await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId, "VIEWER");
  const run = await getRun(ctx.prisma, input.runId);
  return { ...run, myRole: access.role };
});
