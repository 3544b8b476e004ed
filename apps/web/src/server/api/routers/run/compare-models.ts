import { CompareModelsSchema } from "@bupo/shared/compare-models";
import { z } from "zod";
import { launchComparison } from "../../../services/comparison-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const CompareModelsInputSchema = z.object({ comparison: CompareModelsSchema });

/** "Compare models": the same analysis on 2–8 models, one run each, in one request (members and above). */
export const compareModelsRoute = teamProcedure("MEMBER")
  .input(CompareModelsInputSchema)
  .mutation(({ ctx, input }) => launchComparison(ctx.prisma, ctx.runtime, ctx.access, input.comparison));
