/**
 * Public, read-only views through a share link: no login; only the link's runs; revoked or expired links
 * answer with the reason (and nothing else).
 */
import { diffConfigs } from "@bupo/shared/config-diff";
import {
  LogitLensInputSchema,
  ShareLayerMatrixInputSchema,
  ShareLayerProfileInputSchema,
  ShareSeriesInputSchema,
  ShareTokenInputSchema,
  ShareTokenSchema,
} from "@bupo/shared/run-queries";
import { runLogitLens } from "../../../services/logit-lens-service.ts";
import { layerMatrix, layerProfile, metricSeries } from "../../../services/run-series-service.ts";
import { getRun } from "../../../services/run-service.ts";
import { requireSharedRun, resolveShareLink } from "../../../services/share-service.ts";
import { publicProcedure } from "../../trpc.ts";

export const resolveShareRoute = publicProcedure
  .input(ShareTokenInputSchema)
  .query(async ({ ctx, input }) => {
    const link = await resolveShareLink(ctx.prisma, input.token);
    if (link.state !== "active")
      return { state: link.state, problem: link.problem, runs: [], configDiff: [] };
    const runs = await Promise.all(link.runIds.map((id) => getRun(ctx.prisma, id)));
    // Team-internal fields stay out of a public view.
    const shown = runs.map(({ teamId: _t, trainerId: _tr, creator, ...r }) => ({
      ...r,
      creator: { name: creator.name },
    }));
    return {
      state: link.state,
      problem: null,
      runs: shown,
      configDiff: diffConfigs(runs.map((r) => r.config)),
      expiresAt: link.expiresAt,
    };
  });

export const sharedSeriesRoute = publicProcedure
  .input(ShareSeriesInputSchema)
  .query(async ({ ctx, input }) => {
    await requireSharedRun(ctx.prisma, input.token, input.runId);
    return metricSeries(ctx.prisma, input.runId, input.keys, input.range, input.buckets);
  });

export const sharedLayerMatrixRoute = publicProcedure
  .input(ShareLayerMatrixInputSchema)
  .query(async ({ ctx, input }) => {
    await requireSharedRun(ctx.prisma, input.token, input.runId);
    return layerMatrix(ctx.prisma, input.runId, input.field, input.range, input.buckets);
  });

export const sharedLayerProfileRoute = publicProcedure
  .input(ShareLayerProfileInputSchema)
  .query(async ({ ctx, input }) => {
    await requireSharedRun(ctx.prisma, input.token, input.runId);
    return layerProfile(ctx.prisma, input.runId, input.step);
  });

export const sharedLogitLensRoute = publicProcedure
  .input(LogitLensInputSchema.extend({ token: ShareTokenSchema }))
  .query(async ({ ctx, input }) => {
    await requireSharedRun(ctx.prisma, input.token, input.runId);
    return runLogitLens(ctx.prisma, ctx.runtime, input);
  });
