/** Task sources: per-step determinism, held-out exclusion, dataset epochs and reward routing, dataset runs. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatasetTaskSchema } from "@bupo/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { testFiles } from "../files/test-files.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { builtinAlphabet } from "../tasks/registry.ts";
import { createCharTokenizer } from "../tokenizer/char-tokenizer.ts";
import { builtinTrainingTask, datasetTrainingTask } from "./task-source.ts";
import { toyRunConfig } from "./test-fixtures.ts";
import { runTraining } from "./trainer.ts";

let dir = "";
const rows = [
  { question: "1+1=", answer: "2", data_source: "qwen_toy" },
  { question: "2+2=", answer: "4", data_source: "qwen_toy" },
  { question: "3+3=", answer: "6", data_source: "qwen_toy" },
  { question: "1/2=", answer: "\\frac{1}{2}", data_source: "qwen_toy" },
  { question: "4+4=", answer: "8", data_source: "qwen_toy" },
  { question: "5+5=", answer: "10", data_source: "qwen_toy" },
];

describe("task sources", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
    dir = await mkdtemp(path.join(tmpdir(), "bupo-task-"));
    await writeFile(path.join(dir, "train.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("built-in: a step's prompts are a pure function of (seed, step) and never held out", () => {
    const a = builtinTrainingTask({ name: "sorting", difficulty: 1 }, { seed: 3, heldOutCount: 20 });
    const b = builtinTrainingTask({ name: "sorting", difficulty: 1 }, { seed: 3, heldOutCount: 20 });
    expect(a.trainBatch(7, 5)).toEqual(b.trainBatch(7, 5));
    expect(a.trainBatch(7, 5)).not.toEqual(a.trainBatch(8, 5));
    const held = new Set(a.heldOut.map((p) => p.prompt));
    expect(held.size).toBe(20);
    for (let s = 1; s <= 20; s++)
      for (const p of a.trainBatch(s, 8)) expect(held.has(p.prompt as string)).toBe(false);
    const [p] = a.sftBatch?.(1, 1) ?? [];
    expect(p && a.grade(p.target as string, p)).toBe(1);
  });

  it("dataset: held-out split, every training row once per epoch, rewards routed by data_source", async () => {
    const cfg = DatasetTaskSchema.parse({
      source: "dataset",
      path: "train.jsonl",
      format: "jsonl",
      tokenizer: { path: "." },
      heldOutFraction: 0.34,
    });
    const task = await datasetTrainingTask(cfg, { seed: 1, promptsPerStep: 2 }, testFiles({ datasets: dir }));
    expect(task.heldOut).toHaveLength(2);
    expect(task.sftBatch).toBeUndefined();
    const epoch = [1, 2].flatMap((s) => task.trainBatch(s, 2).map((p) => p.prompt));
    expect(new Set(epoch).size).toBe(4);
    expect(epoch).toEqual([1, 2].flatMap((s) => task.trainBatch(s, 2).map((p) => p.prompt)));
    const half = { prompt: "1/2=", groundTruth: "\\frac{1}{2}", dataSource: "qwen_toy" };
    expect(task.grade("so \\boxed{0.5}", half)).toBe(1); // MATH grader (§6): 0.5 ≡ \frac{1}{2}
    expect(task.grade("\\boxed{3}", { ...half, groundTruth: "3.0" })).toBe(0);
  });

  it("a dataset run trains without warm start (no targets) and reports it", async () => {
    // The rows use "/" (1/2=), which the built-in alphabet lacks: whichever rows the step draws must encode.
    const tokenizer = createCharTokenizer(`${builtinAlphabet()}/`);
    const config = toyConfig("qwen3", { vocabSize: tokenizer.vocabSize, eosTokenId: tokenizer.eosId });
    const weights = initWeights(config, 2);
    const runConfig = toyRunConfig({
      algorithm: "grpo",
      task: { source: "dataset", path: "train.jsonl", format: "jsonl", tokenizer: { path: "." } },
      warmStart: { sftSteps: 5 },
      rl: { totalSteps: 1, iterativeSteps: 0 },
    });
    const logs: string[] = [];
    const out = await mkdtemp(path.join(tmpdir(), "bupo-ds-"));
    const summary = await runTraining(
      runConfig,
      {
        outDir: out,
        tokenizer,
        model: { config, weights },
        files: testFiles({ datasets: dir, models: dir }),
      },
      { log: (l) => logs.push(l.message), warmstart: () => logs.push("warm start ran") },
    );
    expect(summary.status).toBe("completed");
    expect(logs).toContain("task qwen_toy has no targets: warm start skipped");
    expect(logs).not.toContain("warm start ran");
    disposeWeights(weights);
    await rm(out, { recursive: true, force: true });
  });
});
