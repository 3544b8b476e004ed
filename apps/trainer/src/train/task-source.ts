/**
 * Run config `task` → {@link TrainingTask}.
 * - Built-in tasks: the held-out set is the task module's own split (`makeBuiltinSplit`); training and
 *   warm-start prompts come from one seeded stream PER STEP (`<task>/train/<step>`, `<task>/sft/<step>`) that
 *   skips held-out prompts.
 * - Datasets (`data/`): the deterministic train / held-out split; step `s` takes `count` rows of a seeded
 *   permutation of the training rows per epoch, so a step's rows are again a pure function of (seed, step).
 *   Rewards route by each row's `data_source` (reward/compute-score: MATH grader or built-in grader).
 * Either way resuming at step N needs no sampler state.
 */
import type { BuiltinTask, DatasetTask } from "@bupo/shared";
import { fileRefText } from "@bupo/shared/file-ref";
import { loadDatasetTask } from "../data/load.ts";
import type { DatasetRow } from "../data/types.ts";
import type { RunFiles } from "../files/run-files.ts";
import { computeScore } from "../reward/compute-score.ts";
import { getTask, makeBuiltinSplit } from "../tasks/registry.ts";
import { createRng, deriveSeed } from "../tasks/rng.ts";
import type { Task, TaskProblem } from "../tasks/task.ts";
import type { TrainingProblem, TrainingTask } from "./types.ts";

function drawExcluding(
  task: Task,
  seed: number,
  level: number,
  count: number,
  exclude: Set<string>,
): TaskProblem[] {
  const rng = createRng(seed);
  const out: TaskProblem[] = [];
  for (let tries = 0; out.length < count; tries++) {
    if (tries > count * 1000 + 1000)
      throw new Error(`${task.name}: the held-out set covers (almost) every problem; lower evalPrompts`);
    const p = task.generate(rng, level);
    if (!exclude.has(p.prompt)) out.push(p);
  }
  return out;
}

export function builtinTrainingTask(
  cfg: Pick<BuiltinTask, "name" | "difficulty">,
  opts: { seed: number; heldOutCount: number },
): TrainingTask {
  const task = getTask(cfg.name);
  const split = makeBuiltinSplit(task, {
    seed: opts.seed,
    difficulty: cfg.difficulty,
    heldOutCount: opts.heldOutCount,
  });
  const heldOutPrompts = new Set(split.heldOut.map((p) => p.prompt));
  const stream = (kind: string, step: number) => deriveSeed(opts.seed, `${task.name}/${kind}/${step}`);
  return {
    name: task.name,
    heldOut: split.heldOut,
    trainBatch: (step, count) =>
      drawExcluding(task, stream("train", step), cfg.difficulty, count, heldOutPrompts),
    sftBatch: (step, count) =>
      drawExcluding(task, stream("sft", step), cfg.difficulty, count, heldOutPrompts),
    grade: (response, problem) => task.grade(response, problem.groundTruth),
  };
}

/** Fisher–Yates permutation of 0..n−1 from a seeded stream. */
function permutation(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

/** Rows `[start, start + count)` of the endless sequence epoch 0, epoch 1, … (each epoch a fresh permutation). */
function rowsAt<T>(rows: readonly T[], seed: number, start: number, count: number): T[] {
  const n = rows.length;
  const perms = new Map<number, number[]>();
  return Array.from({ length: count }, (_, i) => {
    const pos = start + i;
    const epoch = Math.floor(pos / n);
    let perm = perms.get(epoch);
    if (!perm) {
      perm = permutation(n, deriveSeed(seed, `epoch/${epoch}`));
      perms.set(epoch, perm);
    }
    return rows[perm[pos % n] as number] as T;
  });
}

const toProblem = (r: DatasetRow): TrainingProblem => ({
  prompt: r.prompt,
  groundTruth: r.groundTruth,
  dataSource: r.dataSource,
});

/** A dataset task; `heldOutCount` caps the evaluation rows. Warm start is unavailable (no targets). */
export async function datasetTrainingTask(
  cfg: DatasetTask,
  opts: { seed: number; promptsPerStep: number },
  files: RunFiles,
): Promise<TrainingTask> {
  const split = await loadDatasetTask(cfg, opts.seed, files);
  if (split.train.length === 0) throw new Error(`${fileRefText(cfg)}: no training rows`);
  const seed = deriveSeed(opts.seed, `dataset/${cfg.path}`);
  return {
    name: split.train[0]?.dataSource ?? cfg.path,
    heldOut: split.heldOut.map(toProblem),
    trainBatch: (step, count) =>
      rowsAt(split.train, seed, (step - 1) * opts.promptsPerStep, count).map(toProblem),
    grade: (response, problem) => computeScore(problem.dataSource ?? "", response, problem.groundTruth),
    promptOptions: { enableThinking: cfg.enableThinking },
  };
}
