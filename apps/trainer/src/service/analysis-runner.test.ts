/** Analysis jobs end to end on tiny models: preset + built-in task, model folder + JSONL dataset, cancel, bad reference. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AnalysisResultSchema, type RunConfigInput, RunConfigSchema } from "@bupo/shared";
import type { TrainerEventBody } from "@bupo/shared/trainer-protocol";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { testFiles } from "../files/test-files.ts";
import { trainerCharTokenizer } from "../probe/index.ts";
import { saveToyCharCheckpoint, TOY_CHAR_CONFIG } from "../probe/test-fixtures.ts";
import { ANALYSIS_FILE, runAnalysisJob } from "./analysis-runner.ts";
import type { JobContext } from "./job-manager.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "bupo-analysis-job-"));
const modelDir = path.join(tmp, "model");
const toy = TOY_CHAR_CONFIG;

beforeAll(async () => {
  await initBackend({ prefer: "cpu" });
  await saveToyCharCheckpoint(modelDir);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function job(input: RunConfigInput, signal = new AbortController().signal) {
  const events: TrainerEventBody[] = [];
  const ctx: JobContext = {
    runId: "run-1",
    attempt: 1,
    config: RunConfigSchema.parse({ kind: "analysis", seed: 3, ...input }),
    signal,
    emit: (e) => events.push(e),
  };
  const outDir = mkdtempSync(path.join(tmp, "out-"));
  const analyses = () => events.flatMap((e) => (e.type === "analysis" ? [e.result] : []));
  return { ctx, events, outDir, analyses };
}

/** Writes a JSONL file into the test folder (the models and datasets root); returns its name there. */
function writeJsonl(name: string, rows: object[]): string {
  writeFileSync(path.join(tmp, name), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return name;
}

const datasetTask = (file: string) => ({
  source: "dataset" as const,
  path: file,
  format: "jsonl" as const,
  tokenizer: { path: "model" }, // unused: the checkpoint has its own tokenizer
});
const checkpointModel = { source: "checkpoint", path: "model" } as const;
const files = testFiles({ models: tmp, datasets: tmp });

describe("runAnalysisJob", () => {
  it("tiny preset + built-in task: one valid result, arrays of length L, file written, no tensors left", async () => {
    const { ctx, outDir, analyses } = job({
      model: { source: "preset", preset: "tiny", family: "qwen3" },
      task: { source: "builtin", name: "addition", difficulty: 1 },
      analysis: { sampleSize: 3, maxResponseTokens: 6 },
    });
    const before = tf.memory().numTensors;
    expect(await runAnalysisJob(ctx, outDir, files)).toBe("succeeded");
    expect(tf.memory().numTensors).toBe(before);
    const results = analyses();
    expect(results).toHaveLength(1);
    const r = AnalysisResultSchema.parse(results[0]);
    const L = 4; // tiny preset
    expect(r.model).toMatchObject({ family: "qwen3", numLayers: L, hiddenSize: 128 });
    for (const m of [r.layers.layer, r.layers.attn, r.layers.ffn]) {
      for (const a of [m.input, m.output, m.change]) expect(a).toHaveLength(L);
    }
    expect(r.numSamples).toBe(3);
    expect(r.positions).toBe("response");
    expect(r.layers.numTokens).toBeGreaterThanOrEqual(3); // ≥ 1 sampled token per response
    expect(r.meanReward).toBeGreaterThanOrEqual(0);
    expect(r.meanReward).toBeLessThanOrEqual(1);
    // Spread across the 3 samples per depth, and a token × layer view per sample (L+1 rows, top-5, decoded).
    expect(r.spread?.samples).toBe(3);
    expect(r.spread?.residual.std).toHaveLength(L + 1);
    expect(r.spread?.attnOutput.q75).toHaveLength(L);
    expect(r.tokenViews).toHaveLength(3);
    const view = r.tokenViews![0]!;
    expect(view.rows).toHaveLength(L + 1);
    expect(view.rows[0]).toHaveLength(view.positionTokens.length);
    expect(view.rows[L]![0]!.tokens).toHaveLength(5);
    expect(view.prompt.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(path.join(outDir, ANALYSIS_FILE), "utf8"))).toEqual(r);
  });

  it("checkpoint + JSONL responses: response positions pooled, graded, same sample count", async () => {
    const file = writeJsonl("graded.jsonl", [
      { prompt: "1+2=", response: "\\boxed{3}", answer: "3" },
      { prompt: "10+20=", response: "\\boxed{31}", answer: "30" },
      { prompt: "5+5=", response: "\\boxed{10}", answer: "10" },
    ]);
    const { ctx, outDir, analyses } = job({
      model: checkpointModel,
      task: datasetTask(file),
      analysis: { sampleSize: 3 },
    });
    expect(await runAnalysisJob(ctx, outDir, files)).toBe("succeeded");
    const r = AnalysisResultSchema.parse(analyses()[0]);
    expect(r.positions).toBe("response");
    expect(r.note).toBeUndefined();
    expect(r.numSamples).toBe(3);
    expect(r.model).toMatchObject({ numLayers: toy.numLayers, vocabSize: 40 });
    // Char tokenizer, no chat template: prompt ids then response ids; every response character is pooled.
    const responseIds = ["\\boxed{3}", "\\boxed{31}", "\\boxed{10}"].map((t) =>
      trainerCharTokenizer().encode(t),
    );
    expect(r.layers.numTokens).toBe(responseIds.flat().length);
    expect(r.meanReward).toBeCloseTo(2 / 3, 10);
    const { input, output, change } = r.layers.layer;
    expect(change[0]).toBeCloseTo((output[0] ?? Number.NaN) - (input[0] ?? Number.NaN), 5);
  });

  it("dataset rows without a response get one sampled from the model (noted)", async () => {
    const file = writeJsonl("mixed.jsonl", [
      { prompt: "1+2=", response: "\\boxed{3}", answer: "3" },
      { question: "7+8=", answer: "15" },
    ]);
    const { ctx, outDir, analyses } = job({
      model: checkpointModel,
      task: datasetTask(file),
      analysis: { sampleSize: 5, maxResponseTokens: 4 },
    });
    expect(await runAnalysisJob(ctx, outDir, files)).toBe("succeeded");
    const r = AnalysisResultSchema.parse(analyses()[0]);
    expect(r.numSamples).toBe(2); // the file has 2 rows
    expect(r.note).toContain("1 of 2 responses sampled");
    expect(["response", "prompt"]).toContain(r.positions); // "prompt" only if nothing at all could be pooled
  });

  it("an aborted signal returns stopped and emits nothing; abort mid-run emits no result", async () => {
    const controller = new AbortController();
    controller.abort("cancel");
    const pre = job({ model: checkpointModel }, controller.signal);
    expect(await runAnalysisJob(pre.ctx, pre.outDir, files)).toBe("stopped");
    expect(pre.events).toEqual([]);

    const midway = new AbortController();
    const mid = job(
      {
        model: checkpointModel,
        task: { source: "builtin", name: "addition", difficulty: 1 },
        analysis: { sampleSize: 2, maxResponseTokens: 4 },
      },
      midway.signal,
    );
    const emit = mid.ctx.emit;
    mid.ctx.emit = (e) => {
      emit(e);
      midway.abort("cancel"); // after the first progress line (model loaded)
    };
    const before = tf.memory().numTensors;
    expect(await runAnalysisJob(mid.ctx, mid.outDir, files)).toBe("stopped");
    expect(tf.memory().numTensors).toBe(before);
    expect(mid.analyses()).toEqual([]);
    expect(existsSync(path.join(mid.outDir, ANALYSIS_FILE))).toBe(false);
  });

  it("a bad checkpoint fails with the generic message naming the reference as given, no trainer path", async () => {
    const { ctx, outDir, events } = job({ model: { source: "checkpoint", path: "no-such-checkpoint" } });
    const err = (await runAnalysisJob(ctx, outDir, files).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe("model not found or not accessible: models:no-such-checkpoint");
    expect(events).toEqual([]);
  });
});
