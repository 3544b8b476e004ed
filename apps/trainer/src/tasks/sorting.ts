/**
 * Sorting: `sort(3,1,4,1)=` → `\boxed{1,1,3,4}`. Level L sorts L+2 single digits (repeats allowed),
 * ascending; whitespace inside the answer is ignored by the grader.
 */
import { gradeExactBoxed } from "./graders.ts";
import type { Rng } from "./rng.ts";
import { BOXED_CHARS, checkLevel, type Task, type TaskProblem } from "./task.ts";

function length(level: number): number {
  return checkLevel(level) + 2;
}

export const sortingTask: Task = {
  name: "sorting",
  description: "Sort digits ascending: sort(3,1,4,1)= → \\boxed{1,1,3,4}",
  alphabet: `0123456789,()=sort${BOXED_CHARS}`,
  difficultyParams: (level) => ({ length: length(level) }),
  generate(rng: Rng, level: number): TaskProblem {
    const items = Array.from({ length: length(level) }, () => rng.int(0, 9));
    const answer = [...items].sort((x, y) => x - y).join(",");
    return { prompt: `sort(${items.join(",")})=`, groundTruth: answer, target: `\\boxed{${answer}}` };
  },
  grade: gradeExactBoxed,
};
