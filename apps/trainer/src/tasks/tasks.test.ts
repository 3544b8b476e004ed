import { describe, expect, it } from "vitest";
import { additionTask } from "./addition.ts";
import { modularAnswer, modularTask } from "./modular.ts";
import {
  BUILTIN_TASK_NAMES,
  builtinAlphabet,
  generateProblems,
  getTask,
  isBuiltinTask,
  makeBuiltinSplit,
} from "./registry.ts";
import { createRng, deriveSeed } from "./rng.ts";
import { sortingTask } from "./sorting.ts";

describe("registry", () => {
  it("has the three built-in tasks keyed by the shared enum", () => {
    expect(BUILTIN_TASK_NAMES).toEqual(["addition", "modular", "sorting"]);
    expect(getTask("addition")).toBe(additionTask);
    expect(getTask("modular")).toBe(modularTask);
    expect(getTask("sorting")).toBe(sortingTask);
    expect(isBuiltinTask("sorting")).toBe(true);
    expect(isBuiltinTask("math_dapo")).toBe(false);
  });

  it("unknown task names throw listing the valid ones", () => {
    expect(() => getTask("parity")).toThrow('Unknown task "parity"; valid tasks: addition, modular, sorting');
  });

  it("the union alphabet covers every task", () => {
    const alphabet = builtinAlphabet();
    for (const name of BUILTIN_TASK_NAMES)
      for (const c of getTask(name).alphabet) expect(alphabet).toContain(c);
    expect(new Set(alphabet).size).toBe(alphabet.length);
  });
});

describe("generators", () => {
  it("are deterministic per seed and differ across seeds and streams", () => {
    const a = generateProblems(additionTask, { seed: 1, count: 5, difficulty: 2 });
    const b = generateProblems(additionTask, { seed: 1, count: 5, difficulty: 2 });
    const c = generateProblems(additionTask, { seed: 2, count: 5, difficulty: 2 });
    const d = generateProblems(additionTask, { seed: 1, count: 5, difficulty: 2, stream: "eval" });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });

  it("every problem is self-consistent, uses only its alphabet and grades its own target as 1", () => {
    for (const name of BUILTIN_TASK_NAMES) {
      const task = getTask(name);
      for (let level = 1; level <= 5; level++) {
        for (const p of generateProblems(task, { seed: 7, count: 30, difficulty: level })) {
          expect(p.target).toBe(`\\boxed{${p.groundTruth}}`);
          for (const ch of p.prompt + p.target) expect(task.alphabet).toContain(ch);
          expect(task.grade(p.target, p.groundTruth)).toBe(1);
          expect(task.grade(`so ${p.target}`, p.groundTruth)).toBe(1);
        }
      }
    }
  });

  it("addition: level L has up to L+1 digits and the right sum", () => {
    for (const p of generateProblems(additionTask, { seed: 3, count: 50, difficulty: 3 })) {
      const [a, b] = p.prompt.slice(0, -1).split("+").map(Number) as [number, number];
      expect(a).toBeLessThan(10_000);
      expect(b).toBeLessThan(10_000);
      expect(Number(p.groundTruth)).toBe(a + b);
    }
    expect(additionTask.difficultyParams(1)).toEqual({ digits: 2 });
  });

  it("modular: non-negative remainders, moduli by level", () => {
    expect(modularAnswer(3, "-", 5, 7)).toBe(5);
    expect(modularAnswer(17, "*", 5, 31)).toBe(23);
    expect(modularAnswer(6, "+", 6, 7)).toBe(5);
    expect([1, 2, 3, 4, 5].map((l) => modularTask.difficultyParams(l).modulus)).toEqual([7, 13, 31, 61, 97]);
    for (const p of generateProblems(modularTask, { seed: 5, count: 50, difficulty: 2 })) {
      const m = /^\((\d+)([-+*])(\d+)\)%(\d+)=$/.exec(p.prompt);
      expect(m).not.toBeNull();
      const [, a, op, b, mod] = m as unknown as [string, string, "+" | "-" | "*", string, string];
      expect(Number(mod)).toBe(13);
      expect(p.groundTruth).toBe(String(modularAnswer(Number(a), op, Number(b), 13)));
    }
  });

  it("sorting: L+2 digits, sorted ascending", () => {
    const [p] = generateProblems(sortingTask, { seed: 9, count: 1, difficulty: 2 });
    const items = p?.prompt.slice(5, -2).split(",").map(Number) ?? [];
    expect(items).toHaveLength(4);
    expect(p?.groundTruth).toBe([...items].sort((x, y) => x - y).join(","));
  });

  it("difficulty outside 1–5 throws", () => {
    expect(() => additionTask.generate(createRng(1), 0)).toThrow(
      "difficulty must be an integer between 1 and 5 (got 0)",
    );
    expect(() => sortingTask.generate(createRng(1), 2.5)).toThrow(/between 1 and 5/);
  });
});

describe("graders", () => {
  it("grade the last box exactly, ignoring whitespace", () => {
    expect(additionTask.grade("\\boxed{12} then \\boxed{13}", "13")).toBe(1);
    expect(additionTask.grade("\\boxed{013}", "13")).toBe(0);
    expect(additionTask.grade("13", "13")).toBe(0); // no box
    expect(additionTask.grade("\\boxed{13", "13")).toBe(0); // unclosed
    expect(sortingTask.grade("\\boxed{1, 2, 2}", "1,2,2")).toBe(1);
    expect(sortingTask.grade("\\boxed{2,1,2}", "1,2,2")).toBe(0);
  });
});

describe("held-out split", () => {
  it("held-out prompts are unique and never sampled for training", () => {
    const split = makeBuiltinSplit(additionTask, { seed: 42, difficulty: 1, heldOutCount: 200 });
    const held = new Set(split.heldOut.map((p) => p.prompt));
    expect(held.size).toBe(200);
    for (const p of split.sampleTrain(2000)) expect(held.has(p.prompt)).toBe(false);
  });

  it("is deterministic and keeps tiny problem spaces trainable", () => {
    const a = makeBuiltinSplit(modularTask, { seed: 1, difficulty: 1, heldOutCount: 64 });
    const b = makeBuiltinSplit(modularTask, { seed: 1, difficulty: 1, heldOutCount: 64 });
    expect(a.heldOut).toEqual(b.heldOut);
    expect(a.sampleTrain(10)).toEqual(b.sampleTrain(10));
    // modulus 7 has 7·7·3 = 147 problems: asking for all of them keeps at most half held out
    const huge = makeBuiltinSplit(modularTask, { seed: 1, difficulty: 1, heldOutCount: 1000 });
    expect(huge.heldOut.length).toBeLessThanOrEqual(74);
    expect(huge.sampleTrain(20)).toHaveLength(20);
  });
});

describe("rng", () => {
  it("is reproducible and uniform enough", () => {
    const r1 = createRng(deriveSeed(42, "x"));
    const r2 = createRng(deriveSeed(42, "x"));
    const xs = Array.from({ length: 1000 }, () => r1.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => r2.next()));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    const r = createRng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const k = r.int(0, 2);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });
});
