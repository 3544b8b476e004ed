/**
 * "Compare models" (run.compareModels) refusals on a real database: every model's config is validated by the
 * shared schema and checked for the team before anything is stored, and a refusal names the model's field.
 * The launch itself (runs created, tagged, analysed, shared) is covered by test/pipeline/share-live.test.ts.
 */
import type { CompareModelsInput } from "@bupo/shared/compare-models";
import { defaultRunConfig } from "@bupo/shared/run-config";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../src/server/errors.ts";
import { openHarness } from "./harness.ts";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.db.drop());

const qwen = { source: "preset", family: "qwen3", preset: "tiny" } as const;
const llama = { source: "preset", family: "llama", preset: "tiny" } as const;

async function ownerWithTeam(name: string) {
  const owner = await h.user(name);
  const team = await owner.api((a) => a.team.create({ name }));
  return { owner, team };
}

/** A finished training run of the team with a checkpoint at step 4. */
async function trainedRun(teamId: string, creatorId: string) {
  return h.db.prisma.run.create({
    data: {
      teamId,
      creatorId,
      name: "after BuPO",
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config: defaultRunConfig(),
      totalSteps: 4,
      lastStep: 4,
      lastCheckpointStep: 4,
      status: "SUCCEEDED",
    },
  });
}

/** The refusal of a compareModels call: code and the fields it names. */
async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const e = err as TRPCError;
  const cause = e.cause as unknown;
  const fields =
    cause instanceof AppError
      ? [cause.field]
      : ((cause as { issues?: { path: PropertyKey[] }[] }).issues ?? []).map((i) => i.path.join("."));
  return { code: e.code, fields, message: e.message };
}

describe("run.compareModels refusals", () => {
  it("field errors name the model, and nothing is stored", async () => {
    const { owner, team } = await ownerWithTeam("Compare fields");
    const launch = (comparison: unknown) =>
      owner.api((a) =>
        a.run.compareModels({ teamId: team.id, comparison: comparison as CompareModelsInput }),
      );
    const cases: [unknown, string][] = [
      [{ models: [qwen] }, "comparison.models"],
      [
        { models: Array.from({ length: 9 }, (_, i) => ({ ...qwen, preset: i % 2 ? "tiny" : "small" })) },
        "comparison.models",
      ],
      [
        { models: [qwen, { source: "preset", family: "mistral", preset: "tiny" }] },
        "comparison.models.1.family",
      ],
      [
        { models: [qwen, { source: "checkpoint", root: "models", path: "/etc" }] },
        "comparison.models.1.path",
      ],
      [{ models: [qwen, llama, { ...qwen }] }, "comparison.models.2"],
      [{ models: [qwen, llama], analysis: { sampleSize: 0 } }, "comparison.analysis.sampleSize"],
    ];
    for (const [comparison, field] of cases) {
      const r = await refusal(launch(comparison));
      expect(r.code).toBe("BAD_REQUEST");
      expect(r.fields).toContain(field);
    }
    expect(await h.db.prisma.run.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("another team's checkpoint reads like a missing run, on that model's field; nothing is stored", async () => {
    const a = await ownerWithTeam("Compare A");
    const b = await ownerWithTeam("Compare B");
    const foreign = await trainedRun(a.team.id, a.owner.user.id);
    const own = await trainedRun(b.team.id, b.owner.user.id);
    const launch = (models: unknown[]) =>
      b.owner.api((x) =>
        x.run.compareModels({ teamId: b.team.id, comparison: { models } as CompareModelsInput }),
      );
    const stolen = await refusal(
      launch([
        qwen,
        { source: "run-checkpoint", runId: own.id },
        { source: "run-checkpoint", runId: foreign.id },
      ]),
    );
    expect(stolen).toMatchObject({
      code: "NOT_FOUND",
      fields: ["comparison.models.2.runId"],
      message: "Run not found",
    });
    const missing = await refusal(launch([qwen, { source: "run-checkpoint", runId: "cm0nosuchrun" }]));
    expect(missing).toMatchObject({
      code: "NOT_FOUND",
      fields: ["comparison.models.1.runId"],
      message: "Run not found",
    });
    const unsaved = await refusal(launch([qwen, { source: "run-checkpoint", runId: own.id, step: 3 }]));
    expect(unsaved).toMatchObject({ code: "BAD_REQUEST", fields: ["comparison.models.1.step"] });
    expect(await h.db.prisma.run.count({ where: { teamId: b.team.id } })).toBe(1);
    expect(await h.db.prisma.run.count({ where: { teamId: a.team.id } })).toBe(1);
  });

  it("viewers may not launch", async () => {
    const { owner, team } = await ownerWithTeam("Compare roles");
    const viewer = await h.user("Compare viewer");
    const inv = await owner.api((a) => a.team.invitation.create({ teamId: team.id, role: "VIEWER" }));
    await viewer.api((a) => a.team.invitation.accept({ token: inv.token }));
    const r = await refusal(
      viewer.api((a) => a.run.compareModels({ teamId: team.id, comparison: { models: [qwen, llama] } })),
    );
    expect(r.code).toBe("FORBIDDEN");
    expect(await h.db.prisma.run.count({ where: { teamId: team.id } })).toBe(0);
  });
});
