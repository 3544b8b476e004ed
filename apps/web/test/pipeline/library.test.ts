/**
 * Issue 12 items 1–3 against real processes: a trainer pointed at a hub cache in the real layout lists its
 * models (facts, the trainer holding them, unsupported ones with the reason), a team's library holds its own
 * training-run checkpoints and never another team's, a run naming a model no trainer lists (or one it cannot
 * load) is refused at create with a field error, the built-in datasets are listed and previewed, and an
 * analysis of a hub-cache model on MATH-500 runs to the end.
 */
import fs from "node:fs";
import path from "node:path";
import type { RunConfigInput } from "@bupo/shared/run-config";
import { writeTinyHubModel } from "@bupo/trainer/library/hub-cache-layout";
import { TRPCClientError } from "@trpc/client";
import { beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./clients.ts";
import { tempDir, tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres } from "./processes.ts";
import { webAndTrainerPerFile } from "./stack.ts";

const hubCache = tempDir("hub");
const REVISION = "c1899de289a04d12100db370d81485cdf75e47ca";
let qwenPath = "";

// Written before the stack starts (hooks run in order), so the trainer's start-up scan finds them.
beforeAll(async () => {
  qwenPath = await writeTinyHubModel(hubCache, {
    repoId: "Qwen/Qwen3-0.6B",
    revision: REVISION,
    model: "Qwen3-0.6B",
  });
  const moe = path.join(hubCache, "models--mistralai--Mixtral-8x7B-v0.1", "snapshots", "abc");
  fs.mkdirSync(moe, { recursive: true });
  fs.writeFileSync(path.join(moe, "config.json"), JSON.stringify({ architectures: ["MixtralForCausalLM"] }));
}, 60_000);
// Loading a real-vocabulary tokenizer (151,936 tokens) pauses the trainer's event loop for seconds on a busy
// machine: the heartbeat timeout allows for it.
const stack = webAndTrainerPerFile({ heartbeatTimeoutSeconds: 60 }, { env: { HF_HUB_CACHE: hubCache } });

type User = Awaited<ReturnType<typeof userWithTeam>>;

async function refusal(call: Promise<unknown>) {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCClientError);
  const err = e as { message: string; data: unknown };
  const data = err.data as { code: string; fieldErrors: { field: string; message: string }[] | null };
  return { code: data.code, message: err.message, fields: data.fieldErrors?.map((f) => f.field) };
}

async function finished(user: User, runId: string) {
  return waitFor(
    `run ${runId} to finish`,
    async () => {
      const r = await user.client.run.get.query({ runId });
      return r.status === "succeeded" || r.status === "failed" ? r : undefined;
    },
    180_000,
  );
}

const analysisOf = (model: RunConfigInput["model"]): RunConfigInput => ({
  kind: "analysis",
  model,
  task: {
    source: "dataset",
    root: "builtin",
    path: "datasets/math500.parquet",
    format: "parquet",
    tokenizer: model?.source === "checkpoint" ? { root: model.root, path: model.path } : { path: "x" },
    maxRows: 4,
  },
  analysis: { sampleSize: 2, maxResponseTokens: 4 },
});

describe.skipIf(!hasPostgres)("model and dataset library (issue 12 items 1–3)", () => {
  it("lists the trainer's hub-cache models with their facts and the trainer; unsupported ones with the reason", async () => {
    const a = await userWithTeam(stack.web.url);
    const { models, unreachable } = await a.client.library.models.query({ teamId: a.team.id });
    expect(unreachable).toEqual([]);
    const qwen = models.find((m) => m.name === "Qwen/Qwen3-0.6B");
    expect(qwen).toMatchObject({
      kind: "trainer",
      ref: { source: "checkpoint", root: "hf-cache", path: `models--Qwen--Qwen3-0.6B/snapshots/${REVISION}` },
      facts: {
        architecture: "Qwen3ForCausalLM",
        family: "qwen3",
        layers: 4,
        hiddenSize: 64,
        vocabSize: 151936,
      },
      tokenizer: true,
      chatTemplate: true,
      trainers: [{ trainerId: stack.trainer.url, fit: { analysis: true, training: true } }],
    });
    expect(qwen?.kind === "trainer" && qwen.ref.path).toBe(qwenPath);
    const mixtral = models.find((m) => m.name === "mistralai/Mixtral-8x7B-v0.1");
    expect(mixtral?.unsupported).toMatch(/^MixtralForCausalLM: mixture-of-experts/);
  });

  it("refuses at create a model no trainer lists, and one it cannot load, on config.model.path", async () => {
    const b = await userWithTeam(stack.web.url);
    const unknown = await refusal(
      b.client.run.create.mutate({
        teamId: b.team.id,
        config: analysisOf({
          source: "checkpoint",
          root: "hf-cache",
          path: "models--Qwen--Nope/snapshots/x",
        }),
      }),
    );
    expect(unknown).toEqual({
      code: "NOT_FOUND",
      message: "Model not found in any trainer's library (pick one from the model library).",
      fields: ["config.model.path"],
    });
    const moe = await refusal(
      b.client.run.create.mutate({
        teamId: b.team.id,
        config: analysisOf({
          source: "checkpoint",
          root: "hf-cache",
          path: "models--mistralai--Mixtral-8x7B-v0.1/snapshots/abc",
        }),
      }),
    );
    expect(moe.code).toBe("BAD_REQUEST");
    expect(moe.message).toMatch(/^This model cannot be loaded: MixtralForCausalLM: mixture-of-experts/);
    expect(moe.fields).toEqual(["config.model.path"]);
    expect(await stack.db.prisma.run.count({ where: { teamId: b.team.id } })).toBe(0);
  });

  it("lists and previews the built-in datasets; a file no trainer lists is not previewed", async () => {
    const a = await userWithTeam(stack.web.url);
    const { datasets } = await a.client.library.datasets.query({ teamId: a.team.id });
    expect(datasets.filter((d) => d.builtin).map((d) => d.name)).toEqual(
      expect.arrayContaining(["MATH-500", "AIME 2024", "AIME 2025", "AMC 2023", "DeepMath-5k"]),
    );
    const preview = await a.client.library.previewDataset.query({
      teamId: a.team.id,
      ref: { root: "builtin", path: "datasets/aime_2024.parquet" },
    });
    expect(preview.total).toBe(30);
    expect(preview.rows.length).toBeGreaterThan(0);
    expect(preview.rows.every((r) => r.prompt.length > 0 && r.answer.length > 0)).toBe(true);
    for (const ref of [
      { root: "datasets", path: "missing.parquet" },
      { root: "builtin", path: "datasets/README.md" },
    ] as const) {
      expect(await refusal(a.client.library.previewDataset.query({ teamId: a.team.id, ref }))).toMatchObject({
        code: "NOT_FOUND",
        message: "Dataset not found or not readable on any trainer.",
      });
    }
    expect(
      await refusal(
        a.client.library.previewDataset.query({
          teamId: "cm0nosuchteam",
          ref: { root: "builtin", path: "datasets/math500.parquet" },
        }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
  });

  it("a team's library holds its own training checkpoints, never another team's; a hub model analyses MATH-500", async () => {
    const a = await userWithTeam(stack.web.url);
    const b = await userWithTeam(stack.web.url);
    const trained = await a.client.run.create.mutate({
      teamId: a.team.id,
      config: tinyRunConfig({ totalSteps: 2 }),
    });
    const models = await a.client.library.models.query({ teamId: a.team.id });
    const qwen = models.models.find((m) => m.name === "Qwen/Qwen3-0.6B");
    if (qwen?.kind !== "trainer") throw new Error("the hub model is not listed");
    const analysed = await a.client.run.create.mutate({ teamId: a.team.id, config: analysisOf(qwen.ref) });

    const done = await finished(a, trained.id);
    expect(done.status, `${done.errorMessage}\n${stack.trainer.output()}`).toBe("succeeded");
    const own = (await a.client.library.models.query({ teamId: a.team.id })).models;
    expect(own.find((m) => m.kind === "run-checkpoint")).toMatchObject({
      ref: { source: "run-checkpoint", runId: trained.id, step: 2 },
      facts: { family: "qwen3", layers: 4 },
    });
    const foreign = (await b.client.library.models.query({ teamId: b.team.id })).models;
    expect(foreign.filter((m) => m.kind === "run-checkpoint")).toEqual([]);

    const analysis = await finished(a, analysed.id);
    expect(analysis.status, `${analysis.errorMessage}\n${stack.trainer.output()}`).toBe("succeeded");
    expect(analysis.analysis?.model).toMatchObject({ family: "qwen3", numLayers: 4, vocabSize: 151936 });
  }, 300_000);
});
