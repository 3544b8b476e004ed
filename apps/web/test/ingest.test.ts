import type { TrainerEvent } from "@bupo/shared/trainer-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEvents } from "../src/server/services/ingest-service.ts";
import { openHarness } from "./harness.ts";
import { sampleStepMetrics } from "./sample-metrics.ts";

// What a trainer's report may change, against the real database: only the current attempt of a queued or
// running run assigned to that trainer, never past the run's total steps; everything else is refused event
// by event (acknowledged as rejected, so the trainer's outbox moves on) and changes nothing.
let h: Awaited<ReturnType<typeof openHarness>>;
let owner: { teamId: string; creatorId: string };
const TRAINER = "http://127.0.0.1:4100";
const OTHER = "http://127.0.0.1:4200";

let seq = 0;
const at = () => new Date().toISOString();
const step = (runId: string, attempt: number, n: number): TrainerEvent => ({
  type: "metrics",
  runId,
  attempt,
  seq: ++seq,
  at: at(),
  metrics: sampleStepMetrics(n),
});
const log = (runId: string, attempt: number): TrainerEvent => ({
  type: "log",
  runId,
  attempt,
  seq: ++seq,
  at: at(),
  level: "info",
  message: "injected",
});

async function run(status: "RUNNING" | "SUCCEEDED", attempt = 2) {
  return h.db.prisma.run.create({
    data: {
      ...owner,
      name: "r",
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config: {},
      totalSteps: 4,
      status,
      trainerId: TRAINER,
      attempt,
      lastStep: 1,
    },
  });
}

async function state(runId: string) {
  const r = await h.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
  const steps = await h.db.prisma.runMetric.findMany({ where: { runId }, select: { step: true } });
  const logs = await h.db.prisma.runLog.count({ where: { runId } });
  return { status: r.status, lastStep: r.lastStep, steps: steps.map((s) => s.step).sort(), logs };
}

beforeAll(async () => {
  h = await openHarness();
  const u = await h.user("Ingest");
  const team = await u.api((a) => a.team.create({ name: "Ingest" }));
  owner = { teamId: team.id, creatorId: u.user.id };
});
afterAll(() => h.db.drop());

describe("trainer report ingest", () => {
  it("stores the current attempt of a running run and refuses each other event on its own", async () => {
    const r = await run("RUNNING");
    const good = [step(r.id, 2, 2), log(r.id, 2)];
    const bad = [step(r.id, 1, 3), log(r.id, 1), step(r.id, 2, 5)]; // old attempt; past totalSteps 4
    const result = await ingestEvents(h.db.prisma, TRAINER, [...good, ...bad]);
    expect([...result.rejected.keys()]).toEqual(bad);
    expect([...result.rejected.values()]).toEqual([
      "not the run's current attempt",
      "not the run's current attempt",
      "step past the run's total steps",
    ]);
    expect(await state(r.id)).toEqual({ status: "RUNNING", lastStep: 2, steps: [2], logs: 1 });
  });

  it("refuses reports from a trainer the run is not assigned to", async () => {
    const r = await run("RUNNING");
    const events = [step(r.id, 2, 3), log(r.id, 2)];
    const result = await ingestEvents(h.db.prisma, OTHER, events);
    expect(result.rejected.size).toBe(2);
    expect(await state(r.id)).toEqual({ status: "RUNNING", lastStep: 1, steps: [], logs: 0 });
  });

  it("leaves a finished run unchanged, even for its own trainer and attempt", async () => {
    const r = await run("SUCCEEDED");
    const events: TrainerEvent[] = [
      step(r.id, 2, 4),
      log(r.id, 2),
      { type: "status", runId: r.id, attempt: 2, seq: ++seq, at: at(), status: "failed", message: "x" },
    ];
    const result = await ingestEvents(h.db.prisma, TRAINER, events);
    expect(result.rejected.size).toBe(3);
    expect(result.statuses).toEqual([]);
    expect(await state(r.id)).toEqual({ status: "SUCCEEDED", lastStep: 1, steps: [], logs: 0 });
  });
});
