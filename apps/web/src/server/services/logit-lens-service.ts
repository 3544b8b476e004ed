import type { PrismaClient } from "@bupo/db/client";
import type { LogitLensInputSchema } from "@bupo/shared/run-queries";
import type { z } from "zod";
import { AppError } from "../errors.ts";
import type { RunRuntime } from "../runtime.ts";

/** Asks the trainer that ran the run for a logit-lens grid of its latest (or a given) checkpoint. */
export async function runLogitLens(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  input: z.output<typeof LogitLensInputSchema>,
) {
  const run = await prisma.run.findUniqueOrThrow({
    where: { id: input.runId },
    select: { trainerId: true, kind: true },
  });
  if (run.kind !== "TRAIN") throw new AppError("BAD_REQUEST", "The logit lens is shown for training runs.");
  if (!run.trainerId || !runtime) throw new AppError("NOT_FOUND", "This run has not reached a trainer yet.");
  return runtime.logitLens(run.trainerId, input);
}
