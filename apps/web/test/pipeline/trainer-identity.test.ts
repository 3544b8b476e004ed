import fs from "node:fs";
import path from "node:path";
import { openTestDatabase } from "@bupo/db/testing";
import { TRAINER_NAMESPACE, type TrainerEventBody } from "@bupo/shared/trainer-protocol";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleStepMetrics } from "../sample-metrics.ts";
import { waitFor } from "./clients.ts";
import { newToken, tempDir, tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { freePort, hasPostgres, type Proc, postgresUrl, startTrainer, startWeb } from "./processes.ts";

// Who may report what over `/trainer`, with the real web and trainer processes:
// - an event the shared schema refuses (a metric at step 3e9, past PostgreSQL's int4) is acknowledged as
//   rejected, never "retry": the trainer's outbox drops it and the runs behind it still get through;
// - a client holding the shared service token but not the trainer's own credential cannot report as that
//   trainer (a finished run stays as it was), and a made-up trainer id leaves no trainer row.
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let web: Proc;
let trainer: Proc;
const token = newToken();
const dataDir = tempDir("trainer");
let trainerUrl: string;
let stuckRunId: string;
let owner: { teamId: string; creatorId: string };

/** A run row as this trainer would have left it. */
const runOnTrainer = (status: "RUNNING" | "SUCCEEDED", name: string) =>
  db.prisma.run.create({
    data: {
      ...owner,
      name,
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config: {},
      totalSteps: 4,
      status,
      lastStep: status === "SUCCEEDED" ? 4 : 0,
      trainerId: trainerUrl,
      attempt: 1,
    },
  });

/** An outbox file as the trainer writes it: one JSON event per line, (run, attempt) per file. */
function seedOutbox(runId: string, events: TrainerEventBody[]) {
  const dir = path.join(dataDir, "outbox");
  fs.mkdirSync(dir, { recursive: true });
  const lines = events.map((e, i) =>
    JSON.stringify({ ...e, runId, attempt: 1, seq: i + 1, at: new Date().toISOString() }),
  );
  fs.writeFileSync(path.join(dir, `${runId}.1.jsonl`), `${lines.join("\n")}\n`);
}

beforeAll(async () => {
  if (!hasPostgres) return;
  db = await openTestDatabase();
  const port = await freePort();
  trainerUrl = `http://127.0.0.1:${port}`;
  // A long heartbeat timeout: the interrupted run must still be RUNNING when the restarted trainer reports.
  web = await startWeb({
    databaseUrl: postgresUrl(db.target),
    trainerUrls: [trainerUrl],
    token,
    heartbeatTimeoutSeconds: 60,
  });
  // A run this trainer was running when it stopped, with a step it should never have produced still in its
  // outbox (first in line), ahead of everything the trainer will report next.
  const user = await db.prisma.user.create({
    data: { email: "outbox@example.com", name: "Outbox", passwordHash: "x" },
  });
  const team = await db.prisma.team.create({ data: { name: "Outbox" } });
  owner = { teamId: team.id, creatorId: user.id };
  stuckRunId = (await runOnTrainer("RUNNING", "interrupted")).id;
  seedOutbox(stuckRunId, [
    { type: "metrics", metrics: sampleStepMetrics(3e9) },
    { type: "log", level: "info", message: "after the bad step" },
  ]);
  trainer = await startTrainer({ webUrl: web.url, token, port, dataDir });
}, 120_000);

afterAll(async () => {
  await trainer?.stop();
  await web?.stop();
  await db?.drop();
});

async function runState(runId: string) {
  const r = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
  return {
    status: r.status,
    lastStep: r.lastStep,
    steps: await db.prisma.runMetric.count({ where: { runId } }),
    logs: await db.prisma.runLog.count({ where: { runId } }),
  };
}

describe.skipIf(!hasPostgres)("what a trainer may report", () => {
  it("rejects a metric at step 3e9 as invalid (not retry), and the outbox moves on", async () => {
    const user = await userWithTeam(web.url);
    const run = await user.client.run.create.mutate({ teamId: user.team.id, config: tinyRunConfig() });
    await waitFor(
      "the next run to succeed behind the invalid event",
      async () => (await db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).status === "SUCCEEDED",
      120_000,
    );
    expect(await db.prisma.runMetric.count({ where: { runId: stuckRunId } })).toBe(0);
    expect(
      await db.prisma.runLog.findMany({ where: { runId: stuckRunId }, select: { message: true } }),
    ).toEqual([{ message: "after the bad step" }]);
    expect(trainer.output()).toMatch(/"rejected":1,.*"msg":"web rejected events; dropping them"/);
    expect(trainer.output()).not.toContain("report not acknowledged; will retry");
  }, 180_000);

  it("refuses a client with the shared token posing as the trainer; a finished run stays unchanged", async () => {
    const finishedRunId = (await runOnTrainer("SUCCEEDED", "finished")).id;
    const before = await runState(finishedRunId);
    const inject = (auth: { token: string; trainerId: string; credential?: string }) =>
      new Promise<string>((resolve) => {
        const socket = io(`${web.url}${TRAINER_NAMESPACE}`, {
          auth,
          transports: ["websocket"],
          reconnection: false,
        });
        const done = (outcome: string) => {
          socket.close();
          resolve(outcome);
        };
        socket.on("connect", () => {
          const base = { runId: finishedRunId, attempt: 1, at: new Date().toISOString() };
          socket.emit("trainer:heartbeat", { runs: [], reporting: [], freeSlots: 1 });
          socket.emit("trainer:report", {
            events: [
              { ...base, seq: 900, type: "metrics", metrics: sampleStepMetrics(4) },
              { ...base, seq: 901, type: "log", level: "error", message: "injected" },
              { ...base, seq: 902, type: "status", status: "failed", message: "injected" },
            ],
          });
          setTimeout(() => done("connected"), 1000);
        });
        socket.on("connect_error", (e) => done(e.message));
      });
    const posing = [
      { token, trainerId: trainerUrl },
      { token, trainerId: trainerUrl, credential: newToken() + newToken() },
      { token, trainerId: "http://127.0.0.1:1/made-up" },
    ];
    for (const auth of posing) expect(await inject(auth)).toMatch(/^UNAUTHORIZED/);
    expect(await runState(finishedRunId)).toEqual(before);
    expect(await db.prisma.trainer.findMany({ select: { id: true } })).toEqual([{ id: trainerUrl }]);

    // The real trainer, re-enrolled after the refused handshakes asked for it, still reports.
    const user = await userWithTeam(web.url);
    const next = await user.client.run.create.mutate({ teamId: user.team.id, config: tinyRunConfig() });
    await waitFor(
      "a later run to succeed",
      async () => (await db.prisma.run.findUniqueOrThrow({ where: { id: next.id } })).status === "SUCCEEDED",
      120_000,
    );
  }, 180_000);
});
