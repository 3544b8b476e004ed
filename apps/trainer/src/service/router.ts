/**
 * The trainer's tRPC API, called by the web app. Every call needs `Authorization: Bearer <TRAINER_TOKEN>`
 * (fail-closed: with no token configured nothing is authorized; `serve` does not start without one).
 * The web imports only this router's type (type-only dependency), never its code.
 */
import {
  type DatasetPreview,
  DatasetPreviewInputSchema,
  type DatasetRef,
  type TrainerLibrary,
} from "@bupo/shared/model-library";
import { LogitLensInputSchema, type LogitLensResult } from "@bupo/shared/run-queries";
import { bearerToken, secretMatches } from "@bupo/shared/service-credentials";
import {
  type Capabilities,
  type EnrollInput,
  EnrollInputSchema,
  JobRefSchema,
  StartJobInputSchema,
} from "@bupo/shared/trainer-protocol";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { z } from "zod";
import { FileAccessError } from "../files/run-files.ts";
import { ProbeInputError } from "../probe/input-error.ts";
import { formatTrainerError } from "./error-format.ts";
import { type JobManager, NoFreeSlotError } from "./job-manager.ts";

export interface TrainerContext {
  authorization: string | undefined;
  token: string | undefined;
  jobs: JobManager;
  capabilities(): Capabilities;
  logitLens(input: z.output<typeof LogitLensInputSchema>): Promise<LogitLensResult>;
  library: {
    list(): Promise<TrainerLibrary>;
    rescan(): Promise<TrainerLibrary>;
    previewDataset(ref: DatasetRef): Promise<DatasetPreview>;
  };
  /** Takes the id and credential the web enrolled this trainer with; `reporting: false` without WEB_URL. */
  enroll(input: EnrollInput): { reporting: boolean };
}

const t = initTRPC
  .context<TrainerContext>()
  .create({ transformer: superjson, isDev: false, errorFormatter: formatTrainerError });

const authed = t.procedure.use(({ ctx, next }) => {
  if (!secretMatches(bearerToken(ctx.authorization), ctx.token)) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "wrong or missing service token" });
  }
  return next();
});

export const trainerRouter = t.router({
  capabilities: authed.query(({ ctx }) => ctx.capabilities()),
  link: t.router({
    enroll: authed.input(EnrollInputSchema).mutation(({ ctx, input }) => ctx.enroll(input)),
  }),
  job: t.router({
    start: authed.input(StartJobInputSchema).mutation(({ ctx, input }) => {
      try {
        return ctx.jobs.start(input);
      } catch (e) {
        if (e instanceof NoFreeSlotError) throw new TRPCError({ code: "CONFLICT", message: e.message });
        throw e;
      }
    }),
    cancel: authed
      .input(JobRefSchema)
      .mutation(({ ctx, input }) => ({ cancelling: ctx.jobs.cancel(input.runId) })),
    list: authed.query(({ ctx }) => ctx.jobs.running()),
  }),
  /** Models and datasets under this trainer's file roots (library/model-library.ts). */
  library: t.router({
    list: authed.query(({ ctx }) => ctx.library.list()),
    rescan: authed.mutation(({ ctx }) => ctx.library.rescan()),
    /** First rows (prompt, answer) of a dataset file; missing and not-allowed read the same. */
    previewDataset: authed.input(DatasetPreviewInputSchema).query(async ({ ctx, input }) => {
      try {
        return await ctx.library.previewDataset(input.ref);
      } catch (e) {
        if (e instanceof FileAccessError) throw new TRPCError({ code: "NOT_FOUND", message: e.message });
        throw e;
      }
    }),
  }),
  /** Logit lens of a run's latest (or given) checkpoint on this trainer, for one sampled answer. */
  logitLens: authed.input(LogitLensInputSchema).query(async ({ ctx, input }) => {
    try {
      return await ctx.logitLens(input);
    } catch (e) {
      // Missing and not-allowed checkpoints read the same; other failures are internal (message kept in the log).
      if (e instanceof FileAccessError) throw new TRPCError({ code: "NOT_FOUND", message: e.message });
      if (e instanceof ProbeInputError) throw new TRPCError({ code: "BAD_REQUEST", message: e.message });
      throw e;
    }
  }),
});

export type TrainerRouter = typeof trainerRouter;
