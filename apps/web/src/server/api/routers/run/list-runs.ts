import { ListRunsInputSchema } from "@bupo/shared/run-queries";
import { listRuns } from "../../../services/run-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const listRunsRoute = teamProcedure("VIEWER")
  .input(ListRunsInputSchema)
  .query(({ ctx, input }) => listRuns(ctx.prisma, ctx.access, input));
