import { LayerMatrixInputSchema, LayerProfileInputSchema, SeriesInputSchema } from "@bupo/shared/run-queries";
import { layerMatrix, layerProfile, metricSeries } from "../../../services/run-series-service.ts";
import { runProcedure } from "../../trpc.ts";

/** Chart data of one run: downsampled scalar series, the layer × step matrix, the per-layer profile. */
export const seriesRoute = runProcedure("VIEWER")
  .input(SeriesInputSchema)
  .query(({ ctx, input }) => metricSeries(ctx.prisma, ctx.run.runId, input.keys, input.range, input.buckets));

export const layerMatrixRoute = runProcedure("VIEWER")
  .input(LayerMatrixInputSchema)
  .query(({ ctx, input }) => layerMatrix(ctx.prisma, ctx.run.runId, input.field, input.range, input.buckets));

export const layerProfileRoute = runProcedure("VIEWER")
  .input(LayerProfileInputSchema)
  .query(({ ctx, input }) => layerProfile(ctx.prisma, ctx.run.runId, input.step));
