import { LayerMatrixInputSchema, LayerProfileInputSchema, SeriesInputSchema } from "@bupo/shared/run-queries";
import { requireRunAccess } from "../../../services/run-access.ts";
import { layerMatrix, layerProfile, metricSeries } from "../../../services/run-series-service.ts";
import { protectedProcedure } from "../../trpc.ts";

/** Chart data of one run: downsampled scalar series, the layer × step matrix, the per-layer profile. */
export const seriesRoute = protectedProcedure.input(SeriesInputSchema).query(async ({ ctx, input }) => {
  await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId);
  return metricSeries(ctx.prisma, input.runId, input.keys, input.range, input.buckets);
});

export const layerMatrixRoute = protectedProcedure
  .input(LayerMatrixInputSchema)
  .query(async ({ ctx, input }) => {
    await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId);
    return layerMatrix(ctx.prisma, input.runId, input.field, input.range, input.buckets);
  });

export const layerProfileRoute = protectedProcedure
  .input(LayerProfileInputSchema)
  .query(async ({ ctx, input }) => {
    await requireRunAccess(ctx.prisma, ctx.session.user.id, input.runId);
    return layerProfile(ctx.prisma, input.runId, input.step);
  });
