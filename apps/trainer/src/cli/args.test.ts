/** Flag parsing and validation: every bad input is one line naming the flag and what is allowed, exit 2. */
import { describe, expect, it } from "vitest";
import { analyzeCommand, parseAnalyzeArgs } from "./analyze-command.ts";
import { enumFlag, exactlyOne, intFlag, intListFlag, invoke, parseFlags, UsageError } from "./args.ts";
import { benchCommand } from "./bench-command.ts";
import { gradeCommand } from "./grade-command.ts";
import { estimateEta, formatDuration, renderProgress } from "./progress.ts";
import { recordingIo } from "./test-io.ts";
import { trainCommand } from "./train-command.ts";

const usageError = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a UsageError");
};

describe("parseFlags", () => {
  const opts = { model: { type: "string" }, json: { type: "boolean" } } as const;

  it("parses known flags", () => {
    expect(parseFlags("x", ["--model", "m", "--json"], opts)).toMatchObject({ model: "m", json: true });
  });

  it("rejects unknown flags, listing the allowed ones", () => {
    expect(usageError(() => parseFlags("x", ["--modle", "m"], opts))).toBe(
      "x: unknown flag --modle (allowed: --model, --json, --help)",
    );
  });

  it("rejects a missing value and stray positionals", () => {
    expect(usageError(() => parseFlags("x", ["--model"], opts))).toBe("x: --model needs a value");
    expect(usageError(() => parseFlags("x", ["extra"], opts))).toContain('unexpected argument "extra"');
  });
});

describe("flag readers", () => {
  it("intFlag checks integer and range", () => {
    expect(intFlag({ n: "3" }, "n", { min: 1, max: 5 })).toBe(3);
    expect(intFlag({}, "n", { min: 1, max: 5 }, 2)).toBe(2);
    expect(usageError(() => intFlag({ n: "9" }, "n", { min: 1, max: 5 }))).toBe(
      '--n must be an integer between 1 and 5 (got "9")',
    );
    expect(usageError(() => intFlag({ n: "1.5" }, "n", { min: 1, max: 5 }))).toContain("integer");
  });

  it("enumFlag lists the allowed values", () => {
    expect(usageError(() => enumFlag({ lens: "x" }, "lens", ["raw", "normed"], "raw"))).toBe(
      '--lens must be one of raw, normed (got "x")',
    );
  });

  it("intListFlag and exactlyOne", () => {
    expect(intListFlag({ tokens: "1, 2,3" }, "tokens", 10)).toEqual([1, 2, 3]);
    expect(usageError(() => intListFlag({ tokens: "1,-2" }, "tokens", 10))).toContain('(got "-2")');
    expect(usageError(() => exactlyOne({}, ["a", "b"]))).toBe("one of --a, --b is required");
    expect(usageError(() => exactlyOne({ a: "1", b: "2" }, ["a", "b"]))).toBe(
      "--a and --b exclude each other (use one of --a, --b)",
    );
  });
});

describe("analyze argument validation", () => {
  it("accepts a preset with tokens", () => {
    const args = parseAnalyzeArgs({ preset: "tiny", family: "llama", tokens: "1,2", json: true });
    expect(args.model).toEqual({ kind: "preset", preset: "tiny", family: "llama", seed: 0 });
    expect(args.input).toEqual({ kind: "tokens", tokens: [1, 2] });
    expect(args.lens).toBe("raw");
  });

  it("names the flag and the allowed values", () => {
    expect(usageError(() => parseAnalyzeArgs({ tokens: "1" }))).toBe("one of --model, --preset is required");
    expect(usageError(() => parseAnalyzeArgs({ preset: "huge", tokens: "1" }))).toBe(
      '--preset must be one of tiny, small, medium (got "huge")',
    );
    expect(usageError(() => parseAnalyzeArgs({ preset: "tiny", family: "gpt", tokens: "1" }))).toBe(
      '--family must be one of qwen3, qwen2, llama (got "gpt")',
    );
    expect(usageError(() => parseAnalyzeArgs({ model: "m", family: "llama", tokens: "1" }))).toBe(
      "--family is only allowed with --preset",
    );
    expect(usageError(() => parseAnalyzeArgs({ preset: "tiny", tokens: "1", samples: "3" }))).toBe(
      "--samples is only allowed with --dataset",
    );
    expect(usageError(() => parseAnalyzeArgs({ preset: "tiny", tokens: "1", lens: "final" }))).toBe(
      '--lens must be one of raw, normed (got "final")',
    );
    expect(usageError(() => parseAnalyzeArgs({ preset: "tiny", dataset: "d.jsonl", samples: "0" }))).toBe(
      '--samples must be an integer between 1 and 100000 (got "0")',
    );
  });
});

describe("commands exit 2 with one line on bad input", () => {
  const cases: [string, typeof gradeCommand, string[], string][] = [
    [
      "analyze",
      analyzeCommand,
      ["--preset", "tiny"],
      "error: one of --tokens, --prompt, --dataset is required\n",
    ],
    [
      "analyze",
      analyzeCommand,
      ["--model", "/no/such/dir", "--tokens", "1"],
      "error: --model: checkpoint directory not found: /no/such/dir",
    ],
    [
      "grade",
      gradeCommand,
      ["--input", "/no/such.jsonl"],
      "error: --input: file not found: /no/such.jsonl\n",
    ],
    ["bench", benchCommand, ["--presets", "tiny,huge"], "error: --presets must be a comma-separated list of"],
    [
      "bench",
      benchCommand,
      ["--reps", "0"],
      'error: --reps must be an integer between 1 and 1000 (got "0")\n',
    ],
    [
      "train",
      trainCommand,
      [],
      "error: --config FILE is required (or --resume CHECKPOINT to continue a run)\n",
    ],
    [
      "train",
      trainCommand,
      ["--config", "/no/such.json"],
      "error: --config /no/such.json is invalid:\n  file not found\n",
    ],
  ];
  it.each(cases)("%s %j", async (_name, command, argv, expected) => {
    const io = recordingIo();
    expect(await invoke(command, argv, io)).toBe(2);
    expect(io.err.startsWith(expected)).toBe(true);
    expect(io.out).toBe("");
  });

  it("prints usage for --help with exit 0", async () => {
    for (const command of [analyzeCommand, gradeCommand, benchCommand, trainCommand]) {
      const io = recordingIo();
      expect(await invoke(command, ["--help"], io)).toBe(0);
      expect(io.out).toMatch(/^usage: bupo-trainer /);
    }
  });
});

describe("progress", () => {
  it("formats durations and estimates the remaining time from the rate so far", () => {
    expect(formatDuration(75)).toBe("1:15");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(formatDuration(Number.NaN)).toBe("--:--");
    expect(estimateEta(10_000, 5, 20)).toBe(30); // 2 s per unit, 15 left
    expect(estimateEta(10_000, 15, 20, 10)).toBe(10); // resumed at 10: 2 s per unit since then
    expect(renderProgress(5, 20, 10_000, { width: 4, suffix: "x" })).toBe(
      "█░░░  25% 5/20 · 0:10 · ETA 0:30 · x",
    );
  });
});
