/**
 * Modular arithmetic: `(17*5)%31=` → `\boxed{23}`. Operation +, − or ×, operands in [0, m), result in
 * [0, m) (Python-style non-negative remainder). Level 1–5 uses modulus 7, 13, 31, 61, 97.
 */
import { gradeExactBoxed } from "./graders.ts";
import type { Rng } from "./rng.ts";
import { BOXED_CHARS, checkLevel, type Task, type TaskProblem } from "./task.ts";

const MODULI = [7, 13, 31, 61, 97] as const;
const OPS = ["+", "-", "*"] as const;

function modulus(level: number): number {
  return MODULI[checkLevel(level) - 1] as number;
}

/** Non-negative remainder of (a op b) mod m. */
export function modularAnswer(a: number, op: (typeof OPS)[number], b: number, m: number): number {
  const raw = op === "+" ? a + b : op === "-" ? a - b : a * b;
  return ((raw % m) + m) % m;
}

export const modularTask: Task = {
  name: "modular",
  description: "Modular arithmetic: (17*5)%31= → \\boxed{23}",
  alphabet: `0123456789()+-*%=${BOXED_CHARS}`,
  difficultyParams: (level) => ({ modulus: modulus(level) }),
  generate(rng: Rng, level: number): TaskProblem {
    const m = modulus(level);
    const a = rng.int(0, m - 1);
    const b = rng.int(0, m - 1);
    const op = rng.pick(OPS);
    const answer = String(modularAnswer(a, op, b, m));
    return { prompt: `(${a}${op}${b})%${m}=`, groundTruth: answer, target: `\\boxed{${answer}}` };
  },
  grade: gradeExactBoxed,
};
