import { LogitLensInputSchema } from "@bupo/shared/run-queries";
import { runLogitLens } from "../../../services/logit-lens-service.ts";
import { runProcedure } from "../../trpc.ts";

export const logitLensRoute = runProcedure("VIEWER")
  .input(LogitLensInputSchema)
  .query(({ ctx, input }) => runLogitLens(ctx.prisma, ctx.runtime, { ...input, runId: ctx.run.runId }));
