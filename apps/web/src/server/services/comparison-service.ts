/**
 * "Compare models": one entropy-analysis run per chosen model, launched together. Every run config is
 * validated by the shared RunConfigSchema and checked for the team (checkRunSources: team checkpoints only,
 * library models only) before anything is stored; then all runs are stored in one transaction with the
 * comparison's tag. A refusal names the model's field (`comparison.models.<i>…`) and stores nothing.
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@bupo/db/client";
import { type CompareModels, comparisonRunConfigs, comparisonTag } from "@bupo/shared/compare-models";
import type { ModelSource } from "@bupo/shared/model-config";
import { RunConfigSchema } from "@bupo/shared/run-config";
import { AppError } from "../errors.ts";
import type { RunRuntime } from "../runtime.ts";
import type { TeamAccess } from "./membership-service.ts";
import { createRuns } from "./run-service.ts";
import { type CheckedRunConfig, checkRunSources } from "./run-sources.ts";

const FIELD = "comparison";

/** Short display name of a model: `qwen3-tiny`, the folder's last segment, the run's name. */
function modelLabel(m: ModelSource, runNames: Map<string, string>): string {
  if (m.source === "preset") return `${m.family}-${m.preset}`;
  if (m.source === "run-checkpoint") {
    const name = runNames.get(m.runId) ?? m.runId;
    return m.step === undefined ? name : `${name} @${m.step}`;
  }
  return m.path.split("/").filter(Boolean).at(-1) ?? m.path;
}

/** The field of model `i` for an error on a run-config field (`config.model.runId` → `comparison.models.1.runId`). */
function comparisonField(field: string | undefined, i: number): string {
  if (field?.startsWith("config.model")) return field.replace("config.model", `${FIELD}.models.${i}`);
  return field ? field.replace(/^config/, FIELD) : `${FIELD}.models.${i}`;
}

/** Validates and checks every model's run config; throws on the first refusal, with the model's field. */
async function checkedConfigs(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  access: TeamAccess,
  input: CompareModels,
  tag: string,
): Promise<CheckedRunConfig[]> {
  const runIds = input.models.flatMap((m) => (m.source === "run-checkpoint" ? [m.runId] : []));
  const named = await prisma.run.findMany({
    where: { id: { in: runIds }, teamId: access.teamId },
    select: { id: true, name: true },
  });
  const runNames = new Map(named.map((r) => [r.id, r.name]));
  const configs = comparisonRunConfigs(input, tag, (m) => modelLabel(m, runNames));
  const checked: CheckedRunConfig[] = [];
  for (const [i, raw] of configs.entries()) {
    const parsed = RunConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError("BAD_REQUEST", issue.message, comparisonField(`config.${issue.path.join(".")}`, i));
    }
    try {
      checked.push(await checkRunSources(prisma, runtime, access, parsed.data));
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, e.message, comparisonField(e.field, i));
      throw e;
    }
  }
  return checked;
}

/** Launches the comparison: its id, tag, runs and where it is drawn. */
export async function launchComparison(
  prisma: PrismaClient,
  runtime: RunRuntime | undefined,
  access: TeamAccess,
  input: CompareModels,
) {
  const comparisonId = randomBytes(9).toString("base64url");
  const tag = comparisonTag(comparisonId);
  const configs = await checkedConfigs(prisma, runtime, access, input, tag);
  const runs = await createRuns(prisma, runtime, access, configs);
  return { comparisonId, tag, runs, path: `/compare?runs=${runs.map((r) => r.id).join(",")}` };
}
