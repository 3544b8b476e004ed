/**
 * `analyze --stream`: the streamed path gives the in-memory path's entropies through the CLI, reports progress on
 * stderr, and memory admission refuses a job over TRAINER_MEMORY_LIMIT_MB with the numbers (exit 1, nothing read).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { customHubConfig } from "../checkpoint/hub-configs.ts";
import { writeSyntheticCheckpoint } from "../checkpoint/synthetic-checkpoint.ts";
import { analyzeCommand } from "./analyze-command.ts";
import type { AnalyzeReport } from "./analyze-format.ts";
import { invoke } from "./args.ts";
import { recordingIo } from "./test-io.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "bupo-analyze-stream-"));
const modelDir = path.join(tmp, "llama");
const TOKENS = "5,17,300,2,99,640,7,7,123";

beforeAll(async () => {
  await initBackend({ prefer: "wasm" });
  await writeSyntheticCheckpoint(
    modelDir,
    customHubConfig("Llama-3.1-8B", {
      hiddenSize: 64,
      numLayers: 3,
      numHeads: 4,
      numKvHeads: 2,
      intermediateSize: 96,
      vocabSize: 700,
    }),
    { maxShardBytes: 60_000 },
  );
});
afterEach(() => {
  delete process.env.TRAINER_MEMORY_LIMIT_MB;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = recordingIo();
  const code = await invoke(analyzeCommand, [...argv, "--backend", "wasm"], io);
  return { code, io };
}

describe("analyze --stream", () => {
  it("streamed and in-memory runs agree (≤ 1e-5 nats); progress goes to stderr; no tensors left", async () => {
    const before = tf.memory().numTensors;
    const streamed = await run("--model", modelDir, "--tokens", TOKENS, "--stream", "on", "--json");
    expect(streamed.code).toBe(0);
    expect(streamed.io.err).toMatch(/streamed analysis, estimated peak [\d,]+ MiB/);
    expect(streamed.io.err).toMatch(/analyze MFLOP .*100%.*ETA/);
    const heap = await run("--model", modelDir, "--tokens", TOKENS, "--stream", "off", "--json");
    expect(heap.code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const a = JSON.parse(streamed.io.out) as AnalyzeReport;
    const b = JSON.parse(heap.io.out) as AnalyzeReport;
    const rows = (r: AnalyzeReport) =>
      (r.samples[0]?.layerEntropy ?? []).concat(r.samples[0]?.ffnOutputEntropy ?? []).flat();
    const ra = rows(a);
    expect(ra.length).toBeGreaterThan(20);
    expect(Math.max(...ra.map((v, i) => Math.abs(v - (rows(b)[i] as number))))).toBeLessThanOrEqual(1e-5);
  });

  it("memory admission refuses a job over TRAINER_MEMORY_LIMIT_MB, naming the numbers", async () => {
    process.env.TRAINER_MEMORY_LIMIT_MB = "64";
    for (const mode of ["on", "off", "auto"]) {
      const { code, io } = await run("--model", modelDir, "--tokens", TOKENS, "--stream", mode);
      expect(code).toBe(1);
      expect(io.out).toBe("");
      expect(io.err).toMatch(
        /refused: it needs about [\d,]+ MiB \((streamed|in-heap): .*\), but this trainer allows 64 MiB \(TRAINER_MEMORY_LIMIT_MB\)/,
      );
    }
  });
});
