/**
 * Teacher-forced sequences of a probe and the positions that enter the pooled means (bupo-spec §3.2: the
 * response tokens of all samples, token-weighted). Built by ./task-samples.ts and ./dataset-samples.ts.
 */
import { ProbeInputError } from "./input-error.ts";

/** Which positions enter the means. */
export type PositionKind = "all" | "response" | "prompt";

export interface ProbeSample {
  /** Token ids fed to the model (teacher-forced). */
  tokens: number[];
  /** Positions [start, end) pooled into the means. */
  range: [number, number];
}

export interface ProbeSampleSet {
  samples: ProbeSample[];
  positions: PositionKind;
  note?: string;
  /** Mean reward of the probed responses, when they could be graded. */
  meanReward?: number;
}

/** Throws a {@link ProbeInputError} for the first id outside [0, V); `where` prefixes the message. */
export function checkTokenIds(tokens: readonly number[], V: number, where?: string): void {
  const bad = tokens.find((id) => id < 0 || id >= V);
  if (bad !== undefined) {
    const prefix = where ? `${where}: ` : "";
    throw new ProbeInputError(`${prefix}token id ${bad} is outside the vocabulary [0, ${V})`);
  }
}

/** Number of pooled positions of all samples. */
export function pooledCount(samples: readonly ProbeSample[]): number {
  return samples.reduce((n, s) => n + Math.max(0, s.range[1] - s.range[0]), 0);
}

/** Arithmetic mean (undefined for no values). */
export function meanOf(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Notes joined into one sentence list (undefined when there are none). */
export function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const kept = notes.filter((n): n is string => n !== undefined && n !== "");
  return kept.length === 0 ? undefined : kept.join("; ");
}

/**
 * When no position is pooled (every response empty), the sequences' own positions are analysed instead, and
 * the note says so; otherwise the set is returned as is.
 */
export function withPromptFallback(set: ProbeSampleSet): ProbeSampleSet {
  if (set.samples.length === 0 || pooledCount(set.samples) > 0) return set;
  const samples = set.samples.map((s) => ({
    tokens: s.tokens,
    range: [0, s.tokens.length] as [number, number],
  }));
  const note = joinNotes(
    set.note,
    `no response tokens to pool: analysed the prompt positions of ${samples.length} sample(s)`,
  );
  return { ...set, samples, positions: "prompt", ...(note ? { note } : {}) };
}
