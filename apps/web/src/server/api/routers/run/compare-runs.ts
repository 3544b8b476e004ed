import { diffConfigs } from "@bupo/shared/config-diff";
import { CompareInputSchema } from "@bupo/shared/run-queries";
import { requireRunAccess } from "../../../services/run-access.ts";
import { getRun } from "../../../services/run-service.ts";
import { protectedProcedure } from "../../trpc.ts";

/** Several runs side by side (any teams the caller belongs to) with the config keys that differ. */
export const compareRunsRoute = protectedProcedure.input(CompareInputSchema).query(async ({ ctx, input }) => {
  const ids = [...new Set(input.runIds)];
  for (const id of ids) await requireRunAccess(ctx.prisma, ctx.session.user.id, id);
  const runs = await Promise.all(ids.map((id) => getRun(ctx.prisma, id)));
  return { runs, configDiff: diffConfigs(runs.map((r) => r.config)) };
});
