/** `sample` (issue 15): text from π_k of a tiny checkpoint; K = L−1 is the model's own sampler; bad input → 2. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { generate } from "../model/generate.ts";
import { disposeWeights } from "../model/weights.ts";
import { loadCheckpointModel } from "../probe/index.ts";
import { saveToyCharCheckpoint, TOY_CHAR_CONFIG } from "../probe/test-fixtures.ts";
import { invoke } from "./args.ts";
import { type SampleReport, sampleCommand } from "./sample-command.ts";
import { recordingIo } from "./test-io.ts";

const L = TOY_CHAR_CONFIG.numLayers;
const tmp = mkdtempSync(path.join(tmpdir(), "bupo-sample-"));
const dir = path.join(tmp, "model");

beforeAll(async () => {
  await initBackend({ prefer: "cpu" });
  await saveToyCharCheckpoint(dir);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function sample(...argv: string[]) {
  const io = recordingIo();
  const code = await invoke(sampleCommand, [...argv, "--backend", "cpu"], io);
  return { code, io };
}

describe("sample", () => {
  it("--layer L−1 --json: the model sampler's tokens for the same seed; a lower layer says something else", async () => {
    const base = [
      "--model",
      dir,
      "--prompt",
      "12+34=",
      "--max-new-tokens",
      "12",
      "--sampling-seed",
      "3",
      "--json",
    ];
    const top = await sample(...base, "--layer", String(L - 1), "--temperature", "0.7");
    expect(top.io.err).toBe("");
    expect(top.code).toBe(0);
    const r = JSON.parse(top.io.out) as SampleReport;
    expect(r.layer).toBe(L - 1);
    const m = await loadCheckpointModel(dir);
    try {
      const g = await generate(m.weights, m.config, [r.promptTokens], {
        maxNewTokens: 12,
        temperature: 0.7,
        seed: 3,
        stopIds: [...(m.tokenizer?.stopIds ?? [])],
        eosId: m.config.eosTokenId,
      });
      expect(r.tokens).toEqual(g.tokens[0]);
      expect(r.text).toBe(m.tokenizer?.decode(r.tokens));
    } finally {
      disposeWeights(m.weights);
    }
    const low = JSON.parse(
      (await sample(...base, "--layer", "0", "--temperature", "0.7")).io.out,
    ) as SampleReport;
    expect(low.layer).toBe(0);
    expect(low.logProbs).not.toEqual(r.logProbs);
    const normed = JSON.parse(
      (await sample(...base, "--layer", "0", "--lens", "normed")).io.out,
    ) as SampleReport;
    expect(normed.lens).toBe("normed");
  });

  it("text mode prints the sample and a summary line; bad flags exit 2", async () => {
    const ok = await sample("--preset", "tiny", "--tokens", "1,2,3", "--layer", "0", "--max-new-tokens", "4");
    expect(ok.code).toBe(0);
    expect(ok.io.err).toContain("π_0 (paper layer 1");
    for (const bad of [
      ["--model", dir, "--prompt", "1+1=", "--layer", String(L)],
      ["--model", dir, "--prompt", "1+1=", "--temperature", "-1"],
      ["--model", dir, "--tokens", "1,2,999"],
      ["--model", dir],
    ]) {
      const r = await sample(...bad);
      expect(r.code, bad.join(" ")).toBe(2);
      expect(r.io.err).toMatch(/^error: /);
    }
  });
});
