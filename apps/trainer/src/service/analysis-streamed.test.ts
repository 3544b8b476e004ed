/**
 * Analysis jobs on the streamed path and memory admission, through the trainer's JobManager with the real
 * analysis runner: a job that only fits streamed runs streamed (sampling included) and matches the in-memory
 * job; a job over the allowance fails with the numbers and the next job still runs; cancelling a streamed job
 * releases its tensors.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AnalysisResult, type RunConfigInput, RunConfigSchema } from "@bupo/shared";
import type { TrainerEvent } from "@bupo/shared/trainer-protocol";
import * as tf from "@tensorflow/tfjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { testFiles } from "../files/test-files.ts";
import { saveToyCharCheckpoint } from "../probe/test-fixtures.ts";
import { runAnalysisJob } from "./analysis-runner.ts";
import { JobManager } from "./job-manager.ts";
import { Outbox } from "./outbox.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "bupo-analysis-streamed-"));
const files = testFiles({ models: tmp, datasets: tmp });
const config: RunConfigInput = {
  kind: "analysis",
  seed: 5,
  model: { source: "checkpoint", path: "model" },
  task: { source: "builtin", name: "addition", difficulty: 1 },
  analysis: { sampleSize: 3, maxResponseTokens: 5 },
};
/** Between the toy model's streamed (~0.4 GB) and in-memory (~0.56 GB) estimates: only streaming fits. */
const STREAM_ONLY_MB = "500";

beforeAll(async () => {
  await initBackend({ prefer: "wasm" });
  await saveToyCharCheckpoint(path.join(tmp, "model"));
});
afterEach(() => {
  delete process.env.TRAINER_MEMORY_LIMIT_MB;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let runs = 0;
/** Starts one analysis job on a fresh JobManager slot and waits for its terminal status. */
async function runJob(
  manager: JobManager,
  outbox: Outbox,
  onEvent?: (e: TrainerEvent, cancel: () => void) => void,
): Promise<TrainerEvent[]> {
  const runId = `run-${++runs}`;
  // Events reach `onEvent` as they are appended (synchronously, inside the job), so a cancel issued there lands
  // at that point of the job, however fast the machine.
  let seen = 0;
  const stop = outbox.onAppend(() => {
    const events = outbox.pending(10_000).filter((e) => e.runId === runId);
    for (const e of events.slice(seen)) onEvent?.(e, () => manager.cancel(runId));
    seen = events.length;
  });
  manager.start({ runId, attempt: 1, config: RunConfigSchema.parse(config) });
  try {
    for (;;) {
      const events = outbox.pending(10_000).filter((e) => e.runId === runId);
      const status = events.find(
        (e) => e.type === "status" && ["succeeded", "failed", "cancelled"].includes(e.status),
      );
      if (status && manager.freeSlots === 1) return events;
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    stop();
  }
}

const resultOf = (events: TrainerEvent[]) =>
  events.flatMap((e) => (e.type === "analysis" ? [e.result] : []))[0] as AnalysisResult;
const logs = (events: TrainerEvent[]) => events.flatMap((e) => (e.type === "log" ? [e.message] : []));

describe("streamed analysis jobs and memory admission", () => {
  let outbox: Outbox;
  let manager: JobManager;
  beforeAll(() => {
    outbox = Outbox.open(path.join(tmp, "outbox"));
    manager = new JobManager(
      1,
      (ctx) => runAnalysisJob(ctx, mkdtempSync(path.join(tmp, "out-")), files),
      outbox,
    );
  });

  it("a job that only fits streamed runs streamed (responses sampled streamed) and matches the in-memory job", async () => {
    const before = tf.memory().numTensors;
    process.env.TRAINER_MEMORY_LIMIT_MB = STREAM_ONLY_MB;
    const streamed = await runJob(manager, outbox);
    delete process.env.TRAINER_MEMORY_LIMIT_MB;
    const inMemory = await runJob(manager, outbox);
    expect(tf.memory().numTensors).toBe(before);
    expect(logs(streamed).some((m) => m.includes("streamed from its files"))).toBe(true);
    expect(logs(streamed).some((m) => /^analysis 100% · done · 3 samples/.test(m))).toBe(true);
    expect(logs(inMemory).some((m) => m.includes("streamed"))).toBe(false);
    const a = resultOf(streamed);
    const b = resultOf(inMemory);
    expect(a.numSamples).toBe(3);
    expect(a.layers.numTokens).toBe(b.layers.numTokens); // same sampled responses
    const flat = (r: AnalysisResult) =>
      [r.layers.layer, r.layers.attn, r.layers.ffn].flatMap((m) => [...m.input, ...m.output, ...m.change]);
    const fa = flat(a);
    const fb = flat(b);
    expect(Math.max(...fa.map((v, i) => Math.abs(v - (fb[i] as number))))).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(a.finalEntropy - b.finalEntropy)).toBeLessThanOrEqual(1e-5);
  });

  it("a job over the allowance fails with the numbers; the trainer runs the next job", async () => {
    process.env.TRAINER_MEMORY_LIMIT_MB = "100";
    const refused = await runJob(manager, outbox);
    const failed = refused.find((e) => e.type === "status" && e.status === "failed");
    expect(failed?.type === "status" && failed.message).toMatch(
      /^analysis job refused: it needs about [\d,]+ MiB \(streamed: .*\), but this trainer allows 100 MiB \(TRAINER_MEMORY_LIMIT_MB\)$/,
    );
    delete process.env.TRAINER_MEMORY_LIMIT_MB;
    const next = await runJob(manager, outbox);
    expect(next.some((e) => e.type === "status" && e.status === "succeeded")).toBe(true);
  });

  it("cancelling a streamed job mid-analysis stops it and releases its tensors", async () => {
    const before = tf.memory().numTensors;
    process.env.TRAINER_MEMORY_LIMIT_MB = STREAM_ONLY_MB;
    let cancelled = false;
    const events = await runJob(manager, outbox, (e, cancel) => {
      if (!cancelled && e.type === "log" && e.message.startsWith("analysis 0%")) {
        cancelled = true;
        cancel();
      }
    });
    expect(cancelled).toBe(true);
    expect(events.some((e) => e.type === "status" && e.status === "cancelled")).toBe(true);
    expect(events.some((e) => e.type === "analysis")).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});
