import { mayManageRun } from "../../../services/run-access.ts";
import { getRun } from "../../../services/run-service.ts";
import { runProcedure } from "../../trpc.ts";

/** One run with its config, the equivalent verl command line, the caller's role and whether they may cancel it. */
export const getRunRoute = runProcedure("VIEWER").query(async ({ ctx }) => {
  const run = await getRun(ctx.prisma, ctx.run.runId);
  return { ...run, myRole: ctx.run.role, mayManage: mayManageRun(ctx.run) };
});
