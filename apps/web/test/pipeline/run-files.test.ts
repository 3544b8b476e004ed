/**
 * Issue 10 item 1 against real processes: what a run config may name on the trainer. Team B cannot start from
 * team A's run checkpoint (refused at create, nothing stored), files are named only by root + relative path,
 * a dataset that is not JSON fails without quoting it, missing and not-allowed files read the same, and the
 * trainer's API never sends a stack or an absolute path.
 */
import fs from "node:fs";
import path from "node:path";
import type { RunConfigInput } from "@bupo/shared/run-config";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { waitFor } from "./clients.ts";
import { tempDir, tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres } from "./processes.ts";
import { webAndTrainerPerFile } from "./stack.ts";

const SECRET = "root:x:0:0:root:/root:/bin/bash";
const datasets = tempDir("datasets");
const outside = tempDir("outside");
fs.writeFileSync(path.join(outside, "passwd"), `${SECRET}\n`);
fs.writeFileSync(path.join(datasets, "not-json.jsonl"), `${SECRET}\n`);
fs.symlinkSync(path.join(outside, "passwd"), path.join(datasets, "leak.jsonl"));

const stack = webAndTrainerPerFile({}, { env: { TRAINER_DATASETS_DIRS: datasets } });

const analysis = (over: Partial<RunConfigInput>): RunConfigInput => ({
  kind: "analysis",
  model: { source: "preset", family: "qwen3", preset: "tiny" },
  task: { source: "builtin", name: "addition", difficulty: 1 },
  analysis: { sampleSize: 2, maxResponseTokens: 4 },
  ...over,
});
const datasetTask = (file: string) =>
  ({ source: "dataset", path: file, format: "jsonl", tokenizer: { path: "unused" } }) as const;

type User = Awaited<ReturnType<typeof userWithTeam>>;

async function refusal(call: Promise<unknown>) {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCClientError);
  const err = e as { message: string; data: unknown };
  const data = err.data as { code: string; fieldErrors: { field: string; message: string }[] | null };
  return { code: data.code, message: err.message, fieldErrors: data.fieldErrors };
}

async function finished(user: User, runId: string) {
  return waitFor(
    `run ${runId} to finish`,
    async () => {
      const r = await user.client.run.get.query({ runId });
      return r.status === "succeeded" || r.status === "failed" ? r : undefined;
    },
    120_000,
  );
}

describe.skipIf(!hasPostgres)("files a run config names (issue 10 item 1)", () => {
  it("team B cannot start from team A's run checkpoint; team A can, pinned to a saved step", async () => {
    const a = await userWithTeam(stack.web.url);
    const b = await userWithTeam(stack.web.url);
    const trained = await a.client.run.create.mutate({
      teamId: a.team.id,
      config: tinyRunConfig({ totalSteps: 2 }),
    });
    const done = await finished(a, trained.id);
    expect(done.status, `${done.errorMessage}\n${stack.trainer.output()}`).toBe("succeeded");

    const fromRun = (runId: string, step?: number) =>
      analysis({ model: { source: "run-checkpoint", runId, ...(step === undefined ? {} : { step }) } });
    const foreign = await refusal(
      b.client.run.create.mutate({ teamId: b.team.id, config: fromRun(trained.id, 2) }),
    );
    const missing = await refusal(
      b.client.run.create.mutate({ teamId: b.team.id, config: fromRun("cm0nosuchrun", 2) }),
    );
    expect(foreign).toEqual({
      code: "NOT_FOUND",
      message: "Run not found",
      fieldErrors: [{ field: "config.model.runId", message: "Run not found" }],
    });
    expect(missing).toEqual(foreign); // another team's run reads exactly like a missing one
    expect(await stack.db.prisma.run.count({ where: { teamId: b.team.id } })).toBe(0);

    const unsaved = await refusal(
      a.client.run.create.mutate({ teamId: a.team.id, config: fromRun(trained.id, 5) }),
    );
    expect(unsaved.fieldErrors?.[0]?.field).toBe("config.model.step");

    const own = await a.client.run.create.mutate({ teamId: a.team.id, config: fromRun(trained.id) });
    const row = await stack.db.prisma.run.findUniqueOrThrow({ where: { id: own.id } });
    expect((row.config as { model: unknown }).model).toEqual({
      source: "run-checkpoint",
      runId: trained.id,
      step: 2,
    });
    const analysed = await finished(a, own.id);
    expect(analysed.status, `${analysed.errorMessage}\n${stack.trainer.output()}`).toBe("succeeded");
  }, 240_000);

  it("absolute paths and `..` are field errors at create; nothing is stored", async () => {
    const b = await userWithTeam(stack.web.url);
    for (const file of ["/etc/passwd", "../../../../etc/passwd"]) {
      const r = await refusal(
        b.client.run.create.mutate({ teamId: b.team.id, config: analysis({ task: datasetTask(file) }) }),
      );
      expect(r.code).toBe("BAD_REQUEST");
      expect(r.fieldErrors?.map((f) => f.field)).toEqual(["config.task.path"]);
    }
    const model = await refusal(
      b.client.run.create.mutate({
        teamId: b.team.id,
        config: analysis({
          model: { source: "checkpoint", path: "/data/trainer/runs/x/checkpoints/step-6" },
        }),
      }),
    );
    expect(model.fieldErrors?.map((f) => f.field)).toEqual(["config.model.path"]);
    expect(await stack.db.prisma.run.count({ where: { teamId: b.team.id } })).toBe(0);
  });

  it("a non-JSON dataset fails without quoting it; missing and outside-the-root read the same", async () => {
    const b = await userWithTeam(stack.web.url);
    const errorOf = async (file: string) => {
      const run = await b.client.run.create.mutate({
        teamId: b.team.id,
        config: analysis({ task: datasetTask(file) }),
      });
      const r = await finished(b, run.id);
      expect(r.status).toBe("failed");
      const logs = await stack.db.prisma.runLog.findMany({ where: { runId: run.id } });
      return { message: r.errorMessage ?? "", logs: logs.map((l) => l.message).join("\n") };
    };
    const notJson = await errorOf("not-json.jsonl");
    expect(notJson.message).toBe("dataset not found or not accessible: datasets:not-json.jsonl");
    expect(`${notJson.message}\n${notJson.logs}`).not.toContain("root:x");
    expect(notJson.logs).not.toContain(datasets);

    const leak = await errorOf("leak.jsonl"); // a symlink out of the datasets folder
    const missing = await errorOf("missing.jsonl");
    expect(leak.message).toBe("dataset not found or not accessible: datasets:leak.jsonl");
    expect(missing.message.replace("missing", "leak")).toBe(leak.message);
    expect(`${leak.message}\n${leak.logs}`).not.toContain("root:x");
    // The detail is in the trainer's own log.
    expect(stack.trainer.output()).toContain("outside the root");
  }, 240_000);

  it("the trainer's API sends no stack and no absolute path, with or without credentials", async () => {
    const call = (procedure: string, headers: Record<string, string> = {}) =>
      fetch(`${stack.trainer.url}/trpc/${procedure}`, { headers }).then(async (r) => ({
        status: r.status,
        body: await r.text(),
      }));
    const bearer = { authorization: `Bearer ${stack.token}` };
    const lensInput = encodeURIComponent(JSON.stringify({ json: { runId: "cm0nosuchrun", topK: 3 } }));
    const responses = [
      await call("capabilities"),
      await call("job.list", { authorization: "Bearer wrong" }),
      await call(`logitLens?input=${lensInput}`, bearer),
      await call("no.such.procedure", bearer),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 404, 404]);
    for (const { body } of responses) {
      expect(body).not.toMatch(/stack/i);
      expect(body).not.toMatch(/\/(work|home|tmp|usr|root)\//);
      expect(body).not.toContain("node_modules");
    }
    expect(responses[2]?.body).toContain("checkpoint not found or not accessible: run cm0nosuchrun");
  });
});
