import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunConfigSchema } from "@bupo/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_DIR } from "../files/file-roots.ts";
import { testFiles } from "../files/test-files.ts";
import { computeScore } from "../reward/compute-score.ts";
import { loadJsonlDataset, parseJsonlDataset } from "./jsonl.ts";
import { loadDatasetTask } from "./load.ts";
import { loadParquetDataset } from "./parquet.ts";
import { splitTrainHeldOut } from "./split.ts";

// The paper's datasets shipped in the repo (builtin/datasets/README.md): always present, never skipped.
const DATASETS = join(BUILTIN_DIR, "datasets");

describe("verl parquet files (builtin/datasets)", () => {
  it("math500: 500 rows, system + user messages, ground truth, data_source", async () => {
    const rows = await loadParquetDataset(join(DATASETS, "math500.parquet"));
    expect(rows).toHaveLength(500);
    const first = rows[0];
    if (!first) throw new Error("no rows");
    expect(first?.id).toBe("math500#0");
    expect(first?.dataSource).toBe("qwen_math500");
    expect(first?.groundTruth).toBe("\\left( 3, \\frac{\\pi}{2} \\right)");
    expect(Array.isArray(first?.prompt)).toBe(true);
    const [system, user] = first.prompt as { role: string; content: string }[];
    expect(system?.role).toBe("system");
    expect(system?.content).toContain("\\boxed{}");
    expect(user?.role).toBe("user");
    expect(user?.content).toContain("rectangular coordinates");
  });

  it("row counts and data sources of every file (datasets/README.md)", async () => {
    const expected: [string, number, string][] = [
      ["deepmath-5k", 5000, "math_dapo"],
      ["aime_2024", 30, "qwen_aime_2024"],
      ["aime_2025", 30, "qwen_aime_2025"],
      ["amc2023", 40, "qwen_amc2023"],
    ];
    for (const [name, count, source] of expected) {
      const rows = await loadParquetDataset(join(DATASETS, `${name}.parquet`));
      expect(rows).toHaveLength(count);
      expect(new Set(rows.map((r) => r.dataSource))).toEqual(new Set([source]));
      expect(rows.every((r) => r.groundTruth.length > 0)).toBe(true);
    }
  });

  it("maxRows, other columns by dotted path, and a helpful missing-column error", async () => {
    const path = join(DATASETS, "deepmath-5k.parquet");
    const rows = await loadParquetDataset(path, {
      maxRows: 3,
      promptKey: "question",
      answerKey: "final_answer",
    });
    expect(rows).toHaveLength(3);
    expect(typeof rows[0]?.prompt).toBe("string");
    await expect(loadParquetDataset(path, { answerKey: "solution" })).rejects.toThrow(
      /column "solution" not found .* available columns: .*reward_model/,
    );
  });

  it("the MATH reward accepts every reference answer of math500 when boxed", async () => {
    const rows = await loadParquetDataset(join(DATASETS, "math500.parquet"));
    for (const r of rows)
      expect(computeScore(r.dataSource, `So \\boxed{${r.groundTruth}}.`, r.groundTruth)).toBe(1);
  });

  it("loadDatasetTask splits deterministically, or uses evalPath", async () => {
    const cfg = RunConfigSchema.parse({
      task: {
        source: "dataset",
        path: "amc2023.parquet",
        tokenizer: { path: "unused" },
        heldOutFraction: 0.25,
      },
    });
    if (cfg.task.source !== "dataset") throw new Error("unreachable");
    const files = testFiles({ datasets: DATASETS });
    const a = await loadDatasetTask(cfg.task, 1, files);
    const b = await loadDatasetTask(cfg.task, 1, files);
    expect(a.heldOut).toHaveLength(10);
    expect(a.train).toHaveLength(30);
    expect(a.heldOut.map((r) => r.id)).toEqual(b.heldOut.map((r) => r.id));
    const withEval = await loadDatasetTask({ ...cfg.task, evalPath: "aime_2024.parquet" }, 1, files);
    expect(withEval.train).toHaveLength(40);
    expect(withEval.heldOut).toHaveLength(30);
  });
});

describe("JSONL loader", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bupo-jsonl-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts {prompt|question, answer|ground_truth} and chat-message prompts", async () => {
    const path = join(dir, "toy.jsonl");
    const lines = [
      { question: "1+1?", answer: "2" },
      { prompt: "2+2?", ground_truth: 4, data_source: "math_dapo" },
      {},
      { prompt: [{ role: "user", content: "3+3?" }], reward_model: { ground_truth: "6" } },
    ].map((l) => JSON.stringify(l));
    lines.splice(2, 1, "");
    await writeFile(path, `${lines.join("\n")}\n`);
    const rows = await loadJsonlDataset(path);
    expect(rows).toEqual([
      { id: "toy#0", prompt: "1+1?", groundTruth: "2", dataSource: "toy" },
      { id: "toy#1", prompt: "2+2?", groundTruth: "4", dataSource: "math_dapo" },
      { id: "toy#2", prompt: [{ role: "user", content: "3+3?" }], groundTruth: "6", dataSource: "toy" },
    ]);
  });

  it("explicit keys win; errors name the line", () => {
    const text = '{"q": "x", "a": "1", "question": "ignored"}\n';
    expect(parseJsonlDataset(text, "f", { promptKey: "q", answerKey: "a" })[0]).toMatchObject({
      prompt: "x",
      groundTruth: "1",
    });
    expect(() => parseJsonlDataset('{"question": "x"}\nnot json', "f")).toThrow(
      /f line 1: missing or non-text answer/,
    );
    expect(() => parseJsonlDataset('{"question": "x", "answer": "1"}\nnot json', "f")).toThrow(
      /f line 2: invalid JSON/,
    );
    expect(() => parseJsonlDataset('{"prompt": [{"role": "user"}], "answer": "1"}', "f")).toThrow(
      /array of \{role, content\}/,
    );
    expect(
      parseJsonlDataset('{"question":"a","answer":"1"}\n{"question":"b","answer":"2"}', "f", { maxRows: 1 }),
    ).toHaveLength(1);
  });
});

describe("splitTrainHeldOut", () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ id: `r${i}` }));

  it("holds out round(fraction·n) rows, disjoint and complete", () => {
    const { train, heldOut } = splitTrainHeldOut(rows, { fraction: 0.1, seed: 42 });
    expect(heldOut).toHaveLength(10);
    expect(train).toHaveLength(90);
    expect(new Set([...train, ...heldOut].map((r) => r.id)).size).toBe(100);
  });

  it("is deterministic, independent of row order, and changes with the seed", () => {
    const a = splitTrainHeldOut(rows, { fraction: 0.2, seed: 7 })
      .heldOut.map((r) => r.id)
      .sort();
    const b = splitTrainHeldOut([...rows].reverse(), { fraction: 0.2, seed: 7 })
      .heldOut.map((r) => r.id)
      .sort();
    const c = splitTrainHeldOut(rows, { fraction: 0.2, seed: 8 })
      .heldOut.map((r) => r.id)
      .sort();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("keeps the original order inside each part, caps and validates", () => {
    const { train } = splitTrainHeldOut(rows, { fraction: 0.5, seed: 1 });
    const idx = train.map((r) => Number(r.id.slice(1)));
    expect(idx).toEqual([...idx].sort((x, y) => x - y));
    expect(splitTrainHeldOut(rows, { fraction: 0.5, seed: 1, maxHeldOut: 5 }).heldOut).toHaveLength(5);
    expect(splitTrainHeldOut(rows, { fraction: 0, seed: 1 }).heldOut).toHaveLength(0);
    expect(() => splitTrainHeldOut(rows, { fraction: 1, seed: 1 })).toThrow(/\[0, 1\)/);
  });
});
