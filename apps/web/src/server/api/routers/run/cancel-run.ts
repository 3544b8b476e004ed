import { cancelRun } from "../../../services/run-service.ts";
import { runProcedure } from "../../trpc.ts";

/** Members cancel the runs they launched; admins and owners any run of the team (checked in the service). */
export const cancelRunRoute = runProcedure("MEMBER").mutation(({ ctx }) =>
  cancelRun(ctx.prisma, ctx.runtime, ctx.run),
);
