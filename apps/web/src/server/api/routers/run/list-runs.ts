import { listRuns } from "../../../services/run-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const listRunsRoute = teamProcedure("VIEWER").query(({ ctx }) => listRuns(ctx.prisma, ctx.access));
