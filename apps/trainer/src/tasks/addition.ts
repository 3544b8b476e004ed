/**
 * Multi-digit addition: `482+19=` → `\boxed{501}`. Level L uses operands with up to L+1 digits
 * (uniform in [0, 10^(L+1))), so level 1 is 2-digit and level 5 is 6-digit addition.
 */
import { gradeExactBoxed } from "./graders.ts";
import type { Rng } from "./rng.ts";
import { BOXED_CHARS, checkLevel, type Task, type TaskProblem } from "./task.ts";

function digits(level: number): number {
  return checkLevel(level) + 1;
}

export const additionTask: Task = {
  name: "addition",
  description: "Add two non-negative integers: 482+19= → \\boxed{501}",
  alphabet: `0123456789+=${BOXED_CHARS}`,
  difficultyParams: (level) => ({ digits: digits(level) }),
  generate(rng: Rng, level: number): TaskProblem {
    const max = 10 ** digits(level) - 1;
    const a = rng.int(0, max);
    const b = rng.int(0, max);
    const answer = String(a + b);
    return { prompt: `${a}+${b}=`, groundTruth: answer, target: `\\boxed{${answer}}` };
  },
  grade: gradeExactBoxed,
};
