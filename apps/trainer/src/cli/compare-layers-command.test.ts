/** `compare-layers` (issue 15) on two tiny checkpoints saved through src/checkpoint: JSON, tables, bad input. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { saveToyCharCheckpoint, TOY_CHAR_CONFIG } from "../probe/test-fixtures.ts";
import { invoke } from "./args.ts";
import { type CompareLayersReport, compareLayersCommand } from "./compare-layers-command.ts";
import { recordingIo } from "./test-io.ts";

const L = TOY_CHAR_CONFIG.numLayers;
const tmp = mkdtempSync(path.join(tmpdir(), "bupo-compare-"));
const base = path.join(tmp, "base");
const other = path.join(tmp, "other");

beforeAll(async () => {
  await initBackend({ prefer: "cpu" });
  await saveToyCharCheckpoint(base, 5);
  await saveToyCharCheckpoint(other, 6);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function compare(...argv: string[]) {
  const io = recordingIo();
  const code = await invoke(compareLayersCommand, [...argv, "--backend", "cpu"], io);
  return { code, io };
}

describe("compare-layers", () => {
  it("--json: one comparison per extra model, (L+1)² matrix, a model against itself is 1 on the diagonal", async () => {
    const before = tf.memory().numTensors;
    const { code, io } = await compare(
      "--models",
      `${base},${base},${other}`,
      "--prompt",
      "12+34=",
      "--json",
    );
    expect(io.err).toBe("");
    expect(code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const r = JSON.parse(io.out) as CompareLayersReport;
    expect(r.models).toHaveLength(3);
    expect(r.numTokens).toBe(6);
    const [same, diff] = r.comparisons;
    expect(same?.matrix).toHaveLength(L + 1);
    expect(same?.matrix[0]).toHaveLength(L + 1);
    for (let i = 0; i <= L; i++) expect(same?.byDepth[i]).toBeCloseTo(1, 5);
    expect(Math.min(...(diff?.byDepth.slice(1) ?? []))).toBeLessThan(0.99);
  });

  it("--stream on (from the files, layer by layer) gives the in-memory (--stream off) numbers", async () => {
    const run = async (mode: string) => {
      const { code, io } = await compare(
        "--models",
        `${base},${other}`,
        "--tokens",
        "3,5,7,9,11,13",
        "--stream",
        mode,
        "--json",
      );
      expect(code).toBe(0);
      return JSON.parse(io.out) as CompareLayersReport;
    };
    const on = await run("on");
    const off = await run("off");
    expect(on.models[1]).toContain("streamed");
    expect(off.models[1]).not.toContain("streamed");
    on.comparisons[0]?.matrix.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(v).toBeCloseTo(off.comparisons[0]?.matrix[i]?.[j] as number, 5);
      });
    });
  });

  it("prints tables, and refuses one model or token ids outside a model's vocabulary (exit 2)", async () => {
    const table = await compare("--preset", "tiny", "--seeds", "0,1", "--tokens", "1,2,3,4,5");
    expect(table.code).toBe(0);
    expect(table.io.out).toContain("linear CKA over 5 pooled tokens");
    expect(table.io.out).toContain("depth × depth");
    const one = await compare("--models", base, "--tokens", "1,2,3");
    expect(one.code).toBe(2);
    expect(one.io.err).toContain("two or more models");
    const outside = await compare("--models", `${base},${other}`, "--tokens", "1,2,999");
    expect(outside.code).toBe(2);
    expect(outside.io.err).toMatch(/--tokens: token id 999/);
  });
});
