/** Trainer driver: typed events, metrics JSONL, checkpoints, exact resume, cancellation, no leaked tensors. */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { EvalMetricsSchema, type RunConfig, type StepMetrics, StepMetricsSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { bitEqual } from "../model/test-utils/toy.ts";
import { disposeWeights, namedParameters } from "../model/weights.ts";
import type { TrainerEventMap } from "./events.ts";
import { MetricsJsonlWriter } from "./metrics-writer.ts";
import { toyModel, toyRunConfig, toyTask, toyTokenizer, withoutTimings } from "./test-fixtures.ts";
import { Trainer, type TrainerDeps } from "./trainer.ts";

const dirs: string[] = [];
async function outDir() {
  const d = await mkdtemp(path.join(tmpdir(), "bupo-train-"));
  dirs.push(d);
  return d;
}

/** A trainer on the toy model/task, recording every event. */
function toyTrainer(config: RunConfig, deps: Partial<TrainerDeps> & { outDir: string }) {
  const model = deps.resumeFrom ? undefined : toyModel("qwen3", 11);
  const trainer = new Trainer(config, { task: toyTask(), tokenizer: toyTokenizer(), model, ...deps });
  const events: { [K in keyof TrainerEventMap]: TrainerEventMap[K][] } = {
    status: [],
    log: [],
    warmstart: [],
    step: [],
    eval: [],
    phase: [],
    checkpoint: [],
  };
  for (const name of Object.keys(events) as (keyof TrainerEventMap)[])
    trainer.on(name, (p) => (events[name] as unknown[]).push(p));
  return { trainer, events, dispose: () => model && disposeWeights(model.weights) };
}

const snapshotModel = (m: {
  weights: Parameters<typeof namedParameters>[0];
  config: Parameters<typeof namedParameters>[1];
}) =>
  new Map(
    namedParameters(m.weights, m.config).map((p) => [
      p.name,
      (p.variable.dataSync() as Float32Array).slice(),
    ]),
  );

describe("Trainer", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("warm start + RL: typed events, phase change, evals, checkpoints, metrics JSONL; leaves no tensors", async () => {
    const config = toyRunConfig({
      warmStart: { sftSteps: 3, batchSize: 4 },
      rl: { totalSteps: 3, iterativeSteps: 2, internalLayer: 1 },
      schedule: { evalEvery: 2, checkpointEvery: 2, entropyEvery: 2, logEvery: 1 },
    });
    const dir = await outDir();
    const { trainer, events, dispose } = toyTrainer(config, { outDir: dir });
    const before = tf.memory().numTensors;
    const summary = await trainer.run();
    expect(tf.memory().numTensors).toBe(before);
    expect(summary).toMatchObject({ status: "completed", step: 3 });
    expect(events.status.map((s) => s.status)).toEqual(["starting", "warm-start", "training", "completed"]);
    expect(events.warmstart.map((w) => w.step)).toEqual([1, 2, 3]);
    expect(events.phase).toEqual([
      { step: 1, phase: 1, previous: null, internalLayer: 1 },
      { step: 3, phase: 2, previous: 1, internalLayer: null },
    ]);
    const metrics = events.step.map((s) => StepMetricsSchema.parse(s.metrics));
    expect(metrics.map((m) => [m.step, m["bupo/phase"], m["bupo/internal_layer"]])).toEqual([
      [1, 1, 1],
      [2, 1, 1],
      [3, 2, 1],
    ]);
    expect(metrics.map((m) => m.layers !== undefined)).toEqual([false, true, false]);
    expect(events.step.every((s) => s.updates.length === config.rl.miniBatches)).toBe(true);
    expect(events.eval.map((e) => EvalMetricsSchema.parse(e).step)).toEqual([0, 2]);
    expect(events.checkpoint.map((c) => [c.step, c.reason])).toEqual([
      [2, "periodic"],
      [3, "final"],
    ]);
    expect((await readdir(events.checkpoint[1]?.path as string)).sort()).toEqual([
      "bupo_run_config.json",
      "config.json",
      "model.safetensors",
      "optimizer.safetensors",
      "trainer_state.json",
    ]);
    const records = await new MetricsJsonlWriter(path.join(dir, "metrics.jsonl")).readAll();
    expect(records.map((r) => `${r.type}:${r.step}`)).toEqual([
      "warmstart:1",
      "warmstart:2",
      "warmstart:3",
      "eval:0",
      "step:1",
      "step:2",
      "eval:2",
      "step:3",
    ]);
    expect(events.log.filter((l) => l.level === "error")).toEqual([]);
    dispose();
  });

  it("resuming from a checkpoint continues the same run: same metrics and bit-identical weights", async () => {
    // S = 3: the phase switch happens after the resume point
    const config = toyRunConfig({
      rl: { totalSteps: 4, iterativeSteps: 3, internalLayer: 0 },
      schedule: { checkpointEvery: 2 },
    });
    const full = toyTrainer(config, { outDir: await outDir(), keepModel: true });
    const fullSummary = await full.trainer.run();
    const a = snapshotModel(fullSummary.model as NonNullable<typeof fullSummary.model>);
    full.dispose(); // the injected model is the caller's (keepModel hands back the same object)

    const dir = await outDir();
    const abort = new AbortController();
    const first = toyTrainer(config, { outDir: dir, signal: abort.signal });
    first.trainer.on("step", (s) => s.metrics.step === 2 && abort.abort());
    const cut = await first.trainer.run();
    first.dispose();
    expect(cut).toMatchObject({ status: "cancelled", step: 2 });
    expect(first.events.checkpoint.map((c) => c.reason)).toEqual(["periodic"]); // step 2 already saved

    const resumed = toyTrainer(config, {
      outDir: dir,
      resumeFrom: cut.lastCheckpoint as string,
      keepModel: true,
    });
    const resumedSummary = await resumed.trainer.run();
    const strip = (ms: StepMetrics[]) => ms.map((m) => withoutTimings(m));
    expect(strip(resumed.events.step.map((s) => s.metrics))).toEqual(
      strip(full.events.step.slice(2).map((s) => s.metrics)),
    );
    expect(resumed.events.step.map((s) => s.metrics["bupo/phase"])).toEqual([1, 2]);
    const b = snapshotModel(resumedSummary.model as NonNullable<typeof resumedSummary.model>);
    for (const [name, values] of a) expect(bitEqual(values, b.get(name) as Float32Array), name).toBe(true);
    const records = await new MetricsJsonlWriter(path.join(dir, "metrics.jsonl")).readAll();
    expect(records.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    if (resumedSummary.model) disposeWeights(resumedSummary.model.weights);
  });

  it("a run cancelled during the warm start resumes it (warm-start optimizer state) and matches an uninterrupted run", async () => {
    const config = toyRunConfig({
      warmStart: { sftSteps: 3, batchSize: 4 },
      rl: { totalSteps: 2, iterativeSteps: 1 },
      schedule: { evalEvery: 2 },
    });
    const full = toyTrainer(config, { outDir: await outDir(), keepModel: true });
    const fullSummary = await full.trainer.run();
    const a = snapshotModel(fullSummary.model as NonNullable<typeof fullSummary.model>);
    full.dispose();

    const dir = await outDir();
    const abort = new AbortController();
    const first = toyTrainer(config, { outDir: dir, signal: abort.signal });
    first.trainer.on("warmstart", (w) => w.step === 2 && abort.abort());
    const cut = await first.trainer.run();
    first.dispose();
    expect(cut).toMatchObject({ status: "cancelled", step: 0 });
    const resumed = toyTrainer(config, {
      outDir: dir,
      resumeFrom: cut.lastCheckpoint as string,
      keepModel: true,
    });
    const r = await resumed.trainer.run();
    expect(resumed.events.warmstart.map((w) => w.loss)).toEqual(
      full.events.warmstart.slice(2).map((w) => w.loss),
    );
    expect(resumed.events.eval).toEqual(full.events.eval);
    const b = snapshotModel(r.model as NonNullable<typeof r.model>);
    for (const [name, values] of a) expect(bitEqual(values, b.get(name) as Float32Array), name).toBe(true);
    const records = await new MetricsJsonlWriter(path.join(dir, "metrics.jsonl")).readAll();
    expect(records.map((x) => `${x.type}:${x.step}`)).toEqual([
      "warmstart:1",
      "warmstart:2",
      "warmstart:3",
      "eval:0",
      "step:1",
      "step:2",
      "eval:2",
    ]);
    if (r.model) disposeWeights(r.model.weights);
  });

  it("cancellation between steps: stops after the current step, saves a checkpoint, reports `cancelled`", async () => {
    const config = toyRunConfig({ rl: { totalSteps: 3 }, schedule: { checkpointEvery: 0 } });
    const abort = new AbortController();
    const { trainer, events, dispose } = toyTrainer(config, { outDir: await outDir(), signal: abort.signal });
    trainer.on("step", () => abort.abort());
    const summary = await trainer.run();
    expect(summary).toMatchObject({ status: "cancelled", step: 1 });
    expect(events.step).toHaveLength(1);
    expect(events.checkpoint.map((c) => [c.step, c.reason])).toEqual([[1, "cancel"]]);
    expect(events.status.at(-1)).toEqual({ status: "cancelled", step: 1 });
    dispose();
  });

  it("refuses to resume with a different run config", async () => {
    const config = toyRunConfig({ rl: { totalSteps: 1, iterativeSteps: 1 } });
    const dir = await outDir();
    const first = toyTrainer(config, { outDir: dir });
    const s = await first.trainer.run();
    first.dispose();
    const other = toyTrainer(toyRunConfig({ rl: { totalSteps: 2, iterativeSteps: 1, lr: 5e-4 } }), {
      outDir: dir,
      resumeFrom: s.lastCheckpoint as string,
    });
    await expect(other.trainer.run()).rejects.toThrow(/differs from the checkpoint/);
    expect(other.events.status.at(-1)?.status).toBe("failed");
  });
});
