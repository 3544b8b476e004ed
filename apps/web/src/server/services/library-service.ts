/**
 * The team's library: the models every configured trainer holds (merged by reference, with the trainers that
 * hold each and each one's fit estimate), the checkpoints of the team's own training runs (as run-checkpoint
 * references: another team's runs never appear), and the dataset files of the trainers. Previews are read by a
 * trainer that lists the dataset, so a reference that no trainer lists is refused without asking one.
 */
import type { PrismaClient } from "@bupo/db/client";
import type { FileRef } from "@bupo/shared/file-ref";
import type { DatasetRef, LibraryDataset, LibraryModel, TrainerModel } from "@bupo/shared/model-library";
import { presetLayerCount } from "@bupo/shared/model-presets";
import type { RunConfig } from "@bupo/shared/run-config";
import { AppError } from "../errors.ts";
import type { RunRuntime } from "../runtime.ts";
import type { TeamAccess } from "./membership-service.ts";
import type { TrainerLibraries } from "./trainer-libraries.ts";

/** Most team-run checkpoints listed (newest first). */
const MAX_RUN_CHECKPOINTS = 200;

const refKey = (ref: FileRef) => `${ref.root}:${ref.path}`;

function librariesOf(runtime: RunRuntime | undefined): TrainerLibraries {
  if (!runtime)
    throw new AppError("INTERNAL_SERVER_ERROR", "the trainers are not reachable from this process");
  return runtime.library;
}

/** Trainer models merged by reference, in first-seen order. */
export function mergeTrainerModels(
  libraries: { trainerId: string; library: { models: TrainerModel[] } }[],
): Extract<LibraryModel, { kind: "trainer" }>[] {
  const merged = new Map<string, Extract<LibraryModel, { kind: "trainer" }>>();
  for (const { trainerId, library } of libraries) {
    for (const { fit, ...model } of library.models) {
      const key = refKey(model.ref);
      const entry = merged.get(key) ?? { ...model, kind: "trainer" as const, trainers: [] };
      entry.trainers.push({ trainerId, ...(fit ? { fit } : {}) });
      merged.set(key, entry);
    }
  }
  return [...merged.values()];
}

async function teamRunCheckpoints(
  prisma: PrismaClient,
  access: TeamAccess,
  trainerModels: Extract<LibraryModel, { kind: "trainer" }>[],
): Promise<LibraryModel[]> {
  const runs = await prisma.run.findMany({
    where: { teamId: access.teamId, kind: "TRAIN", lastCheckpointStep: { not: null } },
    orderBy: { createdAt: "desc" },
    take: MAX_RUN_CHECKPOINTS,
    select: {
      id: true,
      name: true,
      algorithm: true,
      config: true,
      lastCheckpointStep: true,
      trainerId: true,
    },
  });
  return runs.map((run) => {
    const model = (run.config as RunConfig).model;
    const base =
      model.source === "checkpoint"
        ? trainerModels.find((m) => refKey(m.ref) === refKey(model))?.facts
        : undefined;
    const facts =
      model.source === "preset"
        ? {
            architecture: `${model.family} preset`,
            family: model.family,
            layers: presetLayerCount(model.family, model.preset),
          }
        : (base ?? { architecture: "checkpoint" });
    const what =
      model.source === "preset" ? `${model.family}/${model.preset}` : (base?.architecture ?? "model");
    return {
      kind: "run-checkpoint" as const,
      name: run.name,
      ref: { source: "run-checkpoint" as const, runId: run.id, step: run.lastCheckpointStep ?? 0 },
      facts,
      detail: `${run.algorithm} run · ${what} · step ${run.lastCheckpointStep}`,
      trainers: run.trainerId ? [{ trainerId: run.trainerId }] : [],
    };
  });
}

export async function listLibraryModels(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  access: TeamAccess,
): Promise<{ models: LibraryModel[]; unreachable: string[] }> {
  const { libraries, unreachable } = await librariesOf(runtime).list();
  const trainerModels = mergeTrainerModels(libraries);
  return {
    models: [...trainerModels, ...(await teamRunCheckpoints(prisma, access, trainerModels))],
    unreachable,
  };
}

export async function listLibraryDatasets(
  runtime: RunRuntime | undefined,
): Promise<{ datasets: LibraryDataset[]; unreachable: string[] }> {
  const { libraries, unreachable } = await librariesOf(runtime).list();
  const merged = new Map<string, LibraryDataset>();
  for (const { trainerId, library } of libraries) {
    for (const dataset of library.datasets) {
      const key = refKey(dataset.ref);
      const entry = merged.get(key) ?? { ...dataset, trainers: [] };
      entry.trainers.push(trainerId);
      merged.set(key, entry);
    }
  }
  return { datasets: [...merged.values()], unreachable };
}

export async function rescanLibraries(runtime: RunRuntime | undefined) {
  const { libraries, unreachable } = await librariesOf(runtime).rescan();
  return { scanned: libraries.map((l) => l.trainerId), unreachable };
}

export async function previewLibraryDataset(runtime: RunRuntime | undefined, ref: DatasetRef) {
  const { datasets } = await listLibraryDatasets(runtime);
  const listed = datasets.find((d) => refKey(d.ref) === refKey(ref));
  if (!listed)
    throw new AppError("NOT_FOUND", "Dataset not found or not readable on any trainer.", "ref.path");
  return librariesOf(runtime).previewDataset(ref, listed.trainers);
}

/**
 * The trainer model a run config names, or an AppError on `config.model.path`: a reference no trainer lists
 * is "not found" (the same whether it is missing or outside the roots), an unsupported one says why.
 */
export async function requireLibraryModel(
  runtime: RunRuntime | undefined,
  ref: FileRef,
): Promise<Extract<LibraryModel, { kind: "trainer" }>> {
  const { libraries } = await librariesOf(runtime).list();
  const found = mergeTrainerModels(libraries).find((m) => refKey(m.ref) === refKey(ref));
  if (!found) {
    throw new AppError(
      "NOT_FOUND",
      "Model not found in any trainer's library (pick one from the model library).",
      "config.model.path",
    );
  }
  if (found.unsupported) {
    throw new AppError(
      "BAD_REQUEST",
      `This model cannot be loaded: ${found.unsupported}`,
      "config.model.path",
    );
  }
  return found;
}
