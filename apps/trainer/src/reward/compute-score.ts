/**
 * Reward routing by data source (verl `default_compute_score`): built-in task ids use their exact task
 * grader; every other source uses the MATH grader. verl routes `lighteval/MATH`, `HuggingFaceH4/MATH-500`,
 * `qwen*`, `aime*`, `olympiads*`, `minerva*` and `math_dapo` to `math.compute_score` (all data used by
 * BuPO); `numina_*` would go to prime_math in verl and also falls back to the MATH grader here.
 */
import { getTask, isBuiltinTask } from "../tasks/registry.ts";
import { computeMathScore } from "./math-grader.ts";

/** A reward function: decoded response (special tokens skipped) and reference answer → reward. */
export type RewardFn = (response: string, groundTruth: string) => number;

const MATH_SOURCE_PREFIXES = [
  "lighteval/MATH",
  "HuggingFaceH4/MATH-500",
  "qwen",
  "aime",
  "olympiads",
  "minerva",
  "math_dapo",
];

/** Whether verl would grade this data source with `math.compute_score`. */
export function isMathDataSource(dataSource: string): boolean {
  return MATH_SOURCE_PREFIXES.some((p) => dataSource.startsWith(p));
}

/** The reward function for a data source (built-in task name or dataset `data_source`). */
export function getRewardFn(dataSource: string): RewardFn {
  if (isBuiltinTask(dataSource)) return getTask(dataSource).grade;
  return computeMathScore;
}

/** Reward of one response; never throws (0 on any grader error), always 0 or 1. */
export function computeScore(dataSource: string, response: string, groundTruth: string): number {
  try {
    return getRewardFn(dataSource)(response, groundTruth);
  } catch {
    return 0;
  }
}
