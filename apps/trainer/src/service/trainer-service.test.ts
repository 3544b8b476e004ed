import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultRunConfig } from "@bupo/shared/run-config";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterEach, describe, expect, it } from "vitest";
import { readTrainerEnv } from "../env.ts";
import { fileRootsFromEnv } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import { ModelLibrary } from "../library/model-library.ts";
import type { JobRunner } from "./job-manager.ts";
import type { TrainerRouter } from "./router.ts";
import { startTrainerService, type TrainerService } from "./trainer-service.ts";

const TOKEN = "service-token-0123456789";
// A job that reports one step per tick until it is stopped: enough to exercise slots, cancel and shutdown.
const tickingRunner: JobRunner = async (ctx) => {
  for (let step = 1; !ctx.signal.aborted; step++) {
    ctx.emit({ type: "log", level: "info", message: `tick ${step}` });
    await new Promise((r) => setTimeout(r, 20));
  }
  return "stopped";
};

let service: TrainerService | undefined;
afterEach(async () => {
  await service?.shutdown("test end");
});

async function start(runner: JobRunner = tickingRunner) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bupo-trainer-svc-"));
  const env = readTrainerEnv({
    TRAINER_PORT: "0",
    LOG_LEVEL: "fatal",
    TRAINER_TOKEN: TOKEN,
    TRAINER_DATA_DIR: dataDir,
    TRAINER_SLOTS: "1",
  });
  const roots = fileRootsFromEnv(env);
  service = await startTrainerService(env, {
    runner,
    describeBackend: () => ({ backend: "cpu", threads: 1, nativeKernels: false }),
    modelPresets: ["tiny"],
    tasks: ["addition"],
    version: "test",
    logitLens: async () => {
      throw new Error("no checkpoints in this test");
    },
    library: new ModelLibrary(roots, new RunFiles(roots), () => ({
      allowance: { bytes: 2 ** 32, source: "test" },
    })),
  });
  return { service, dataDir };
}

const client = (url: string, token?: string) =>
  createTRPCClient<TrainerRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
    ],
  });

describe("trainer service", () => {
  it("answers /health over real HTTP and shuts down gracefully", async () => {
    const { service } = await start();
    const res = await fetch(`${service.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", slots: 1, runningJobs: 0 });
    expect((await fetch(`${service.url}/nope`)).status).toBe(404);
    await service.shutdown("test");
    await service.shutdown("again"); // idempotent
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();
  });

  it("refuses calls without or with a wrong service token", async () => {
    const { service } = await start();
    for (const token of [undefined, "wrong-token-0123456789", `${TOKEN}x`]) {
      const err = await client(service.url, token)
        .capabilities.query()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCClientError);
      expect((err as TRPCClientError<TrainerRouter>).data?.code).toBe("UNAUTHORIZED");
    }
    const caps = await client(service.url, TOKEN).capabilities.query();
    expect(caps).toMatchObject({ backend: "cpu", slots: 1, freeSlots: 1, trainerId: service.url });
  });

  it("starts an attempt once, fills its slot, cancels, and reports every state change to the outbox", async () => {
    const { service, dataDir } = await start();
    const api = client(service.url, TOKEN);
    const config = defaultRunConfig();
    expect(await api.job.start.mutate({ runId: "r1", attempt: 1, config })).toEqual({ started: true });
    expect(await api.job.start.mutate({ runId: "r1", attempt: 1, config })).toEqual({ started: false });
    const busy = await api.job.start.mutate({ runId: "r2", attempt: 1, config }).catch((e: unknown) => e);
    expect((busy as TRPCClientError<TrainerRouter>).data?.code).toBe("CONFLICT");
    expect((await api.capabilities.query()).freeSlots).toBe(0);
    expect(await api.job.cancel.mutate({ runId: "r1" })).toEqual({ cancelling: true });
    await expect.poll(() => service.jobs.running().length).toBe(0);
    expect(await api.job.cancel.mutate({ runId: "r1" })).toEqual({ cancelling: false });
    const lines = fs
      .readFileSync(path.join(dataDir, "outbox", "r1.1.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "status", status: "running", seq: 1 });
    expect(lines.at(-1)).toMatchObject({ type: "status", status: "cancelled" });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
  });

  it("rejects a start with an invalid run config, naming the field", async () => {
    const { service } = await start();
    const bad = { ...defaultRunConfig(), rl: { ...defaultRunConfig().rl, lr: -1 } };
    const err = await client(service.url, TOKEN)
      .job.start.mutate({ runId: "r3", attempt: 1, config: bad })
      .catch((e: unknown) => e);
    expect((err as TRPCClientError<TrainerRouter>).data?.code).toBe("BAD_REQUEST");
    expect((err as Error).message).toContain("lr");
  });

  it("reports a failed job with its error message", async () => {
    const { service, dataDir } = await start(async () => {
      throw new Error("checkpoint folder is unreadable");
    });
    await client(service.url, TOKEN).job.start.mutate({
      runId: "r4",
      attempt: 2,
      config: defaultRunConfig(),
    });
    await expect.poll(() => service.jobs.running().length).toBe(0);
    const last = fs
      .readFileSync(path.join(dataDir, "outbox", "r4.2.jsonl"), "utf8")
      .trim()
      .split("\n")
      .pop()!;
    expect(JSON.parse(last)).toMatchObject({
      type: "status",
      status: "failed",
      message: "checkpoint folder is unreadable",
    });
  });

  it("rejects a bad environment with a message naming the variable and its range", () => {
    expect(() => readTrainerEnv({ TRAINER_SLOTS: "0" })).toThrow(/TRAINER_SLOTS/);
    expect(() => readTrainerEnv({ TRAINER_TOKEN: "short" })).toThrow(/TRAINER_TOKEN must be at least 16/);
  });
});
