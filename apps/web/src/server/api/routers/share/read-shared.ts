/**
 * Public, read-only views through a share link: no login; only the link's runs; revoked or expired links
 * answer with the reason (and nothing else).
 */
import { diffConfigs } from "@bupo/shared/config-diff";
import { configUsedBy } from "@bupo/shared/config-used";
import {
  LayerMatrixInputSchema,
  LayerProfileInputSchema,
  LogitLensInputSchema,
  SeriesInputSchema,
  ShareTokenInputSchema,
} from "@bupo/shared/run-queries";
import { runLogitLens } from "../../../services/logit-lens-service.ts";
import { layerMatrix, layerProfile, metricSeries } from "../../../services/run-series-service.ts";
import { getRun } from "../../../services/run-service.ts";
import { resolveShareLink } from "../../../services/share-service.ts";
import { publicProcedure, sharedRunProcedure } from "../../trpc.ts";

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
      configDiff: diffConfigs(runs.map((r) => configUsedBy(r.config))),
      expiresAt: link.expiresAt,
    };
  });

export const sharedSeriesRoute = sharedRunProcedure
  .input(SeriesInputSchema)
  .query(({ ctx, input }) => metricSeries(ctx.prisma, ctx.run.runId, input.keys, input.range, input.buckets));

export const sharedLayerMatrixRoute = sharedRunProcedure
  .input(LayerMatrixInputSchema)
  .query(({ ctx, input }) => layerMatrix(ctx.prisma, ctx.run.runId, input.field, input.range, input.buckets));

export const sharedLayerProfileRoute = sharedRunProcedure
  .input(LayerProfileInputSchema)
  .query(({ ctx, input }) => layerProfile(ctx.prisma, ctx.run.runId, input.step));

export const sharedLogitLensRoute = sharedRunProcedure
  .input(LogitLensInputSchema)
  .query(({ ctx, input }) => runLogitLens(ctx.prisma, ctx.runtime, { ...input, runId: ctx.run.runId }));
