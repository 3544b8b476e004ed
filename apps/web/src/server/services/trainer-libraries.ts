/**
 * The libraries of the configured trainers, asked over each trainer's tRPC API (`library.*`). A trainer's
 * answer is validated with the shared schema like any other input; a trainer that cannot be reached or answers
 * nonsense is left out of the listing (and named in `unreachable`), never guessed.
 */
import {
  type DatasetPreview,
  DatasetPreviewSchema,
  type DatasetRef,
  type TrainerLibrary,
  TrainerLibrarySchema,
} from "@bupo/shared/model-library";
import { AppError } from "../errors.ts";
import type { TrainerDirectory } from "../scheduler/trainer-directory.ts";

export interface TrainerLibraries {
  /** Each reachable trainer's last scan. */
  list(): Promise<{ libraries: { trainerId: string; library: TrainerLibrary }[]; unreachable: string[] }>;
  /** Asks every trainer to scan again; the trainers that answered. */
  rescan(): Promise<{ libraries: { trainerId: string; library: TrainerLibrary }[]; unreachable: string[] }>;
  /** The first rows of a dataset, read by the first trainer that holds it. */
  previewDataset(ref: DatasetRef, trainerIds: readonly string[]): Promise<DatasetPreview>;
}

export function trainerLibraries(trainers: TrainerDirectory): TrainerLibraries {
  const collect = async (call: (url: string) => Promise<unknown>) => {
    const answers = await Promise.all(
      trainers.urls.map(async (trainerId) => {
        const parsed = TrainerLibrarySchema.safeParse(await call(trainerId).catch(() => null));
        return { trainerId, library: parsed.success ? parsed.data : undefined };
      }),
    );
    return {
      libraries: answers.flatMap((a) => (a.library ? [{ trainerId: a.trainerId, library: a.library }] : [])),
      unreachable: answers.filter((a) => !a.library).map((a) => a.trainerId),
    };
  };
  return {
    list: () => collect((url) => trainers.client(url).library.list.query()),
    rescan: () => collect((url) => trainers.client(url).library.rescan.mutate()),
    async previewDataset(ref, trainerIds) {
      for (const trainerId of trainerIds.filter((id) => trainers.urls.includes(id))) {
        const answer = await trainers
          .client(trainerId)
          .library.previewDataset.query({ ref })
          .catch(() => null);
        const parsed = DatasetPreviewSchema.safeParse(answer);
        if (parsed.success) return parsed.data;
      }
      throw new AppError("NOT_FOUND", "Dataset not found or not readable on any trainer.", "ref.path");
    },
  };
}
