/**
 * What a run config may name, checked for the launching team (services/run-sources.ts) on a real database:
 * another team's run checkpoint reads exactly like a missing run, unsaved steps are refused, a missing step is
 * pinned to the latest checkpoint. (test/pipeline/run-files.test.ts covers the same through the real web server.)
 */
import { defaultRunConfig, type RunConfig } from "@bupo/shared/run-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../src/server/errors.ts";
import { checkRunSources } from "../src/server/services/run-sources.ts";
import { openHarness } from "./harness.ts";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.db.drop());

async function teamWithRun(name: string, lastCheckpointStep: number | null) {
  const owner = await h.user(name);
  const team = await owner.api((a) => a.team.create({ name }));
  const run = await h.db.prisma.run.create({
    data: {
      teamId: team.id,
      creatorId: owner.user.id,
      name: "trained",
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config: { ...defaultRunConfig(), schedule: { ...defaultRunConfig().schedule, checkpointEvery: 3 } },
      totalSteps: 10,
      lastCheckpointStep,
    },
  });
  return { access: { teamId: team.id, userId: owner.user.id, role: "OWNER" as const }, run };
}

const fromRun = (runId: string, step?: number): RunConfig => ({
  ...defaultRunConfig(),
  model: { source: "run-checkpoint", runId, ...(step === undefined ? {} : { step }) },
});

async function refusal(call: Promise<unknown>) {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  const { code, message, field } = e as AppError;
  return { code, message, field };
}

describe("checkRunSources", () => {
  it("another team's run checkpoint is NOT_FOUND, worded like a missing run", async () => {
    const a = await teamWithRun("Team A", 10);
    const b = await teamWithRun("Team B", 10);
    const foreign = await refusal(checkRunSources(h.db.prisma, undefined, b.access, fromRun(a.run.id, 10)));
    expect(foreign).toEqual({ code: "NOT_FOUND", message: "Run not found", field: "config.model.runId" });
    expect(
      await refusal(checkRunSources(h.db.prisma, undefined, b.access, fromRun("cm0nosuchrun", 10))),
    ).toEqual(foreign);
  });

  it("only steps the run saved; no step = the latest, pinned in the config", async () => {
    const a = await teamWithRun("Team C", 10);
    const none = await teamWithRun("Team D", null);
    for (const step of [3, 9, 10]) {
      const ok = await checkRunSources(h.db.prisma, undefined, a.access, fromRun(a.run.id, step));
      expect(ok.config.model).toEqual({ source: "run-checkpoint", runId: a.run.id, step });
    }
    expect(
      (await checkRunSources(h.db.prisma, undefined, a.access, fromRun(a.run.id))).config.model,
    ).toMatchObject({
      step: 10,
    });
    for (const step of [4, 12]) {
      expect(
        await refusal(checkRunSources(h.db.prisma, undefined, a.access, fromRun(a.run.id, step))),
      ).toMatchObject({
        code: "BAD_REQUEST",
        field: "config.model.step",
      });
    }
    expect(
      await refusal(checkRunSources(h.db.prisma, undefined, none.access, fromRun(none.run.id))),
    ).toMatchObject({
      code: "BAD_REQUEST",
      field: "config.model.runId",
    });
  });

  it("configs that name no run pass unchanged, with the preset's family", async () => {
    const a = await teamWithRun("Team E", 10);
    const config = defaultRunConfig();
    expect(await checkRunSources(h.db.prisma, undefined, a.access, config)).toEqual({
      config,
      family: "qwen3",
    });
  });

  it("a run checkpoint resolves to its source run's model family", async () => {
    const a = await teamWithRun("Team F", 10);
    await h.db.prisma.run.update({ where: { id: a.run.id }, data: { modelFamily: "LLAMA" } });
    const checked = await checkRunSources(h.db.prisma, undefined, a.access, fromRun(a.run.id, 10));
    expect(checked.family).toBe("llama");
  });
});
