/** `train` end to end on a tiny config: 1 warm-start + 2 RL steps (BuPO phase 1 then 2), metrics JSONL, checkpoint. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StepMetricsSchema } from "@bupo/shared";
import { afterAll, describe, expect, it } from "vitest";
import { invoke } from "./args.ts";
import { recordingIo } from "./test-io.ts";
import { trainCommand } from "./train-command.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "bupo-train-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tinyConfig = {
  algorithm: "bupo",
  model: { source: "preset", family: "qwen3", preset: "tiny" },
  task: { source: "builtin", name: "addition", difficulty: 1 },
  rl: {
    totalSteps: 2,
    iterativeSteps: 1,
    promptsPerStep: 2,
    groupSize: 2,
    miniBatches: 1,
    maxResponseTokens: 8,
  },
  warmStart: { sftSteps: 1, batchSize: 4 },
  schedule: { evalEvery: 0, checkpointEvery: 0, entropyEvery: 2 },
  seed: 3,
};

describe("train", () => {
  it("runs 2 steps, writes metrics.jsonl, run-config.json and a final checkpoint", async () => {
    const configFile = path.join(tmp, "tiny.json");
    writeFileSync(configFile, JSON.stringify(tinyConfig));
    const out = path.join(tmp, "run");
    const io = recordingIo();
    expect(await invoke(trainCommand, ["--config", configFile, "--out", out], io)).toBe(0);
    expect(io.out).toBe("");
    expect(io.err).toContain("RL ");
    expect(io.err).toMatch(/ETA \d+:\d\d/);
    expect(io.err).toContain("train: completed at step 2");

    const records = readFileSync(path.join(out, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; step: number });
    expect(records.filter((r) => r.type === "warmstart")).toHaveLength(1);
    const steps = records.filter((r) => r.type === "step");
    expect(steps.map((s) => s.step)).toEqual([1, 2]);
    const [s1, s2] = steps.map(({ type: _, ...m }) => StepMetricsSchema.parse(m));
    expect(s1?.["bupo/phase"]).toBe(1);
    expect(s2?.["bupo/phase"]).toBe(2);
    expect(s2?.layers?.layer.input).toHaveLength(4);
    expect(JSON.parse(readFileSync(path.join(out, "run-config.json"), "utf8")).rl.lr).toBe(1e-4);
    expect(existsSync(path.join(out, "checkpoints", "step-2", "model.safetensors"))).toBe(true);
  });

  it("lists every invalid field with its allowed range, exit 2", async () => {
    const configFile = path.join(tmp, "bad.json");
    writeFileSync(configFile, JSON.stringify({ rl: { lr: 2, groupSize: 0 }, algorithm: "ppo" }));
    const io = recordingIo();
    expect(await invoke(trainCommand, ["--config", configFile], io)).toBe(2);
    expect(io.err).toContain(`error: --config ${configFile} is invalid:`);
    expect(io.err).toContain('  algorithm: algorithm must be one of bupo, grpo (got "ppo")');
    expect(io.err).toContain("  rl.groupSize: groupSize must be between 1 and 64 (got 0)");
    expect(io.err).toContain("  rl.lr: lr must be between 0 (exclusive) and 1 (got 2)");
  });

  it("rejects unknown fields (typos) instead of silently ignoring them", async () => {
    const configFile = path.join(tmp, "typo.json");
    writeFileSync(configFile, JSON.stringify({ rl: { learningRate: 0.1 } }));
    const io = recordingIo();
    expect(await invoke(trainCommand, ["--config", configFile], io)).toBe(2);
    expect(io.err).toMatch(/ {2}rl\.learningRate: unknown field \(allowed here: internalLayer, .*\blr\b/);
  });
});
