/**
 * The team's model and dataset library (services/library-service.ts): members of the team see it, members who
 * may launch runs may ask the trainers to scan again.
 */
import { DatasetPreviewInputSchema } from "@bupo/shared/model-library";
import {
  listLibraryDatasets,
  listLibraryModels,
  previewLibraryDataset,
  rescanLibraries,
} from "../../../services/library-service.ts";
import { router, teamProcedure } from "../../trpc.ts";

export const libraryRouter = router({
  models: teamProcedure("VIEWER").query(({ ctx }) => listLibraryModels(ctx.prisma, ctx.runtime, ctx.access)),
  datasets: teamProcedure("VIEWER").query(({ ctx }) => listLibraryDatasets(ctx.runtime)),
  previewDataset: teamProcedure("VIEWER")
    .input(DatasetPreviewInputSchema)
    .query(({ ctx, input }) => previewLibraryDataset(ctx.runtime, input.ref)),
  rescan: teamProcedure("MEMBER").mutation(({ ctx }) => rescanLibraries(ctx.runtime)),
});
