/**
 * What a run config may name, checked for the launching team before anything is stored. Files under the
 * trainer's roots are named by root + relative path (the shared schema refuses absolute paths, `..` and unknown
 * roots); a model may also be the checkpoint of a training run, and only of one of the team's own runs: another
 * team's run is "Run not found", exactly as for its other data. A run-checkpoint reference without a step is
 * pinned to the run's latest checkpoint, so the stored config says which weights the run started from. A model
 * folder must be one a configured trainer lists in its library (and can load): a run names a library entry,
 * not an arbitrary path on the trainer machine.
 */
import type { PrismaClient } from "@bupo/db/client";
import type { RunCheckpointModel } from "@bupo/shared/model-config";
import type { ModelFamily } from "@bupo/shared/model-presets";
import type { RunConfig } from "@bupo/shared/run-config";
import { AppError } from "../errors.ts";
import type { RunRuntime } from "../runtime.ts";
import { requireLibraryModel } from "./library-service.ts";
import type { TeamAccess } from "./membership-service.ts";

const FIELD = "config.model";

/** The checkpoint steps a finished or running training run has saved, as the web knows them. */
function isSavedStep(step: number, last: number, checkpointEvery: number): boolean {
  return step === last || (checkpointEvery > 0 && step % checkpointEvery === 0 && step <= last);
}

async function checkRunCheckpoint(
  prisma: PrismaClient,
  access: TeamAccess,
  model: RunCheckpointModel,
): Promise<{ model: RunCheckpointModel; family: ModelFamily }> {
  const source = await prisma.run.findFirst({
    where: { id: model.runId, teamId: access.teamId },
    select: { kind: true, lastCheckpointStep: true, config: true, modelFamily: true },
  });
  if (!source) throw new AppError("NOT_FOUND", "Run not found", `${FIELD}.runId`);
  const last = source.lastCheckpointStep;
  if (source.kind !== "TRAIN" || last === null) {
    throw new AppError("BAD_REQUEST", "This run has no checkpoint yet.", `${FIELD}.runId`);
  }
  const step = model.step ?? last;
  const every = (source.config as { schedule?: { checkpointEvery?: number } }).schedule?.checkpointEvery ?? 0;
  if (!isSavedStep(step, last, every)) {
    throw new AppError(
      "BAD_REQUEST",
      `step must be a saved checkpoint of the run (the latest is step ${last}) (got ${step})`,
      `${FIELD}.step`,
    );
  }
  const family = ({ LLAMA: "llama", QWEN2: "qwen2", QWEN3: "qwen3" } as const)[source.modelFamily];
  return { model: { ...model, step }, family };
}

/** A config checked for the team, with the model family it resolves to (stored on the run for filters). */
export interface CheckedRunConfig {
  config: RunConfig;
  family: ModelFamily;
}

/** The config to store and its model family, or an AppError on the field the team may not use. */
export async function checkRunSources(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  access: TeamAccess,
  config: RunConfig,
): Promise<CheckedRunConfig> {
  if (config.model.source === "preset") return { config, family: config.model.family };
  if (config.model.source === "checkpoint") {
    const entry = await requireLibraryModel(runtime, config.model);
    return { config, family: entry.facts.family ?? "qwen3" };
  }
  const { model, family } = await checkRunCheckpoint(prisma, access, config.model);
  return { config: { ...config, model }, family };
}
