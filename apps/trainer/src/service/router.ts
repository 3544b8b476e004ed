/**
 * The trainer's tRPC API, called by the web app. Every call needs `Authorization: Bearer <TRAINER_TOKEN>`.
 * The web imports only this router's type (type-only dependency), never its code.
 */
import { timingSafeEqual } from "node:crypto";
import { type Capabilities, JobRefSchema, StartJobInputSchema } from "@bupo/shared/trainer-protocol";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { type JobManager, NoFreeSlotError } from "./job-manager.ts";

export interface TrainerContext {
  authorization: string | undefined;
  token: string;
  jobs: JobManager;
  capabilities(): Capabilities;
}

const t = initTRPC.context<TrainerContext>().create({ transformer: superjson });

const authed = t.procedure.use(({ ctx, next }) => {
  const given = Buffer.from(ctx.authorization?.replace(/^Bearer /, "") ?? "");
  const expected = Buffer.from(ctx.token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "wrong or missing service token" });
  }
  return next();
});

export const trainerRouter = t.router({
  capabilities: authed.query(({ ctx }) => ctx.capabilities()),
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
});

export type TrainerRouter = typeof trainerRouter;
