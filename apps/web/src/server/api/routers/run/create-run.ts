import { RunConfigSchema } from "@bupo/shared/run-config";
import { z } from "zod";
import { createRun } from "../../../services/run-service.ts";
import { teamProcedure } from "../../trpc.ts";

export const CreateRunInputSchema = z.object({ config: RunConfigSchema });

/** Launch: members and above; the config is validated by the one shared schema (field errors on failure). */
export const createRunRoute = teamProcedure("MEMBER")
  .input(CreateRunInputSchema)
  .mutation(({ ctx, input }) => createRun(ctx.prisma, ctx.runtime, ctx.access, input.config));
