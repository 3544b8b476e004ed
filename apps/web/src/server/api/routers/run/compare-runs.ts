import { diffConfigs } from "@bupo/shared/config-diff";
import { configUsedBy } from "@bupo/shared/config-used";
import { getRun } from "../../../services/run-service.ts";
import { runsProcedure } from "../../trpc.ts";

/** Several runs side by side (any teams the caller belongs to) with the config keys that differ. */
export const compareRunsRoute = runsProcedure.query(async ({ ctx }) => {
  const runs = await Promise.all(ctx.runs.map((r) => getRun(ctx.prisma, r.runId)));
  return { runs, configDiff: diffConfigs(runs.map((r) => configUsedBy(r.config))) };
});
