/**
 * Built-in task registry keyed by the shared zod enum (`BuiltinTaskNameSchema`), plus seeded problem
 * sets with a disjoint held-out split.
 */
import { type BuiltinTaskName, BuiltinTaskNameSchema } from "@bupo/shared";
import { additionTask } from "./addition.ts";
import { modularTask } from "./modular.ts";
import { createRng, deriveSeed } from "./rng.ts";
import { sortingTask } from "./sorting.ts";
import type { Task, TaskProblem } from "./task.ts";

const TASKS: Record<BuiltinTaskName, Task> = {
  addition: additionTask,
  modular: modularTask,
  sorting: sortingTask,
};

/** All task names, in registry order. */
export const BUILTIN_TASK_NAMES = BuiltinTaskNameSchema.options;

/** Look up a task; unknown names throw listing the valid ones. */
export function getTask(name: string): Task {
  const parsed = BuiltinTaskNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new Error(`Unknown task "${name}"; valid tasks: ${BUILTIN_TASK_NAMES.join(", ")}`);
  }
  return TASKS[parsed.data];
}

/** Whether a data source / task id names a built-in task. */
export function isBuiltinTask(name: string): name is BuiltinTaskName {
  return BuiltinTaskNameSchema.safeParse(name).success;
}

/** Union of all built-in alphabets, sorted (one char vocabulary that serves every task). */
export function builtinAlphabet(): string {
  const chars = new Set<string>();
  for (const task of Object.values(TASKS)) for (const c of task.alphabet) chars.add(c);
  return [...chars].sort().join("");
}

/** `count` problems from the seeded stream `<task>/<stream>`; same arguments ⇒ same problems. */
export function generateProblems(
  task: Task,
  opts: { seed: number; count: number; difficulty: number; stream?: string },
): TaskProblem[] {
  const rng = createRng(deriveSeed(opts.seed, `${task.name}/${opts.stream ?? "train"}`));
  return Array.from({ length: opts.count }, () => task.generate(rng, opts.difficulty));
}

export interface BuiltinSplit {
  /** Fixed held-out problems (unique prompts). */
  heldOut: TaskProblem[];
  /** Endless training sampler that never returns a held-out prompt. */
  sampleTrain(count: number): TaskProblem[];
}

/**
 * A held-out set of up to `heldOutCount` unique problems (stream `eval`) and a training sampler (stream
 * `train`) that skips any prompt in the held-out set. For tiny problem spaces (e.g. modulus 7: 147 problems)
 * the held-out set is capped so that at least half of the space stays trainable.
 */
export function makeBuiltinSplit(
  task: Task,
  opts: { seed: number; difficulty: number; heldOutCount: number },
): BuiltinSplit {
  const evalRng = createRng(deriveSeed(opts.seed, `${task.name}/eval`));
  const heldOut: TaskProblem[] = [];
  const seen = new Set<string>();
  const maxTries = opts.heldOutCount * 20 + 100;
  for (let tries = 0; heldOut.length < opts.heldOutCount && tries < maxTries; tries++) {
    const p = task.generate(evalRng, opts.difficulty);
    if (seen.has(p.prompt)) continue;
    seen.add(p.prompt);
    heldOut.push(p);
  }
  // If most draws were duplicates the space is small: keep at most half of what was found held out.
  if (heldOut.length < opts.heldOutCount) {
    heldOut.length = Math.floor(heldOut.length / 2);
    seen.clear();
    for (const p of heldOut) seen.add(p.prompt);
  }
  const trainRng = createRng(deriveSeed(opts.seed, `${task.name}/train`));
  return {
    heldOut,
    sampleTrain(count: number) {
      const out: TaskProblem[] = [];
      for (let tries = 0; out.length < count; tries++) {
        if (tries > count * 1000 + 1000) {
          throw new Error(
            `${task.name}: the held-out set covers (almost) every problem; lower the eval prompt count`,
          );
        }
        const p = task.generate(trainRng, opts.difficulty);
        if (!seen.has(p.prompt)) out.push(p);
      }
      return out;
    },
  };
}
