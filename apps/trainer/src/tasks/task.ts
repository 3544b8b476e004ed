/**
 * The common shape of a built-in verifiable task (minGPT `projects/adder` style): a seeded generator of
 * problems whose answers are checked exactly, and a grader. Answers are emitted as `\boxed{answer}` so the
 * same extraction as the MATH reward applies; the supervised warm start trains on `target`.
 */
import type { BuiltinTaskName } from "@bupo/shared";
import type { Rng } from "./rng.ts";

export interface TaskProblem {
  /** Prompt text fed to the model (no chat template for built-in tasks). */
  prompt: string;
  /** Reference answer, the content expected inside `\boxed{}`. */
  groundTruth: string;
  /** Full target response for the warm start: `\boxed{groundTruth}` (EOS is appended by the tokenizer). */
  target: string;
}

export interface Task {
  name: BuiltinTaskName;
  /** One line for the UI. */
  description: string;
  /** Every character a prompt or target can contain (the char tokenizer's vocabulary). */
  alphabet: string;
  /** Human-readable parameters of a difficulty level 1–5 (e.g. `{ digits: 3 }`). */
  difficultyParams(level: number): Record<string, number>;
  /** One problem; deterministic given the rng state. */
  generate(rng: Rng, level: number): TaskProblem;
  /** 1 if the last `\boxed{}` of `response` holds the right answer, else 0. */
  grade(response: string, groundTruth: string): number;
}

/** Characters of the `\boxed{…}` wrapper. */
export const BOXED_CHARS = "\\boxed{}";

/** Validates a difficulty level (1–5 integer) and returns it. */
export function checkLevel(level: number): number {
  if (!Number.isInteger(level) || level < 1 || level > 5) {
    throw new Error(`difficulty must be an integer between 1 and 5 (got ${level})`);
  }
  return level;
}
