/**
 * Rollouts (spec §4.2 steps 1–2): n = groupSize responses per prompt, sampled with the model's `generate` —
 * ALWAYS the full policy π, in both BuPO phases (§9 C10) — then decoded (special tokens skipped) and graded.
 * Seeded: the same seed, weights and prompts give the same responses on one backend.
 */
import { deriveSeed } from "../tasks/rng.ts";
import type { PromptOptions } from "../tokenizer/types.ts";
import type {
  LoadedModel,
  ModelFns,
  Rollout,
  RolloutSample,
  TrainingProblem,
  TrainTokenizer,
} from "./types.ts";

export interface SamplingOptions {
  temperature: number;
  topP: number;
  maxPromptTokens: number;
  maxResponseTokens: number;
}

/**
 * Prompt ids as the tokenizer builds them (char: `<bos>` + text; tokenizer.json: chat template + generation
 * prompt), left-truncated to `maxPromptTokens` (verl `truncation: left`).
 */
export function encodePrompt(
  tokenizer: TrainTokenizer,
  prompt: TrainingProblem["prompt"],
  maxPromptTokens: number,
  options?: PromptOptions,
): number[] {
  const ids = tokenizer.encodePrompt(prompt, options);
  if (ids.length === 0) throw new Error(`prompt ${JSON.stringify(prompt)} encodes to no tokens`);
  return ids.length > maxPromptTokens ? ids.slice(ids.length - maxPromptTokens) : ids;
}

export interface SampledResponse {
  responseIds: number[];
  truncated: boolean;
}

/**
 * Samples `n` responses for each prompt row (rows repeated group by group: p0×n, p1×n, …), calling `generate`
 * on chunks of at most `chunkRows` rows (chunk c uses seed `deriveSeed(seed, "chunk/c")`).
 */
export async function sampleResponses(
  fns: Pick<ModelFns, "generate">,
  model: LoadedModel,
  tokenizer: TrainTokenizer,
  promptRows: readonly number[][],
  opts: SamplingOptions & { n: number; seed: number; chunkRows?: number },
): Promise<SampledResponse[]> {
  const rows = promptRows.flatMap((p) => Array.from({ length: opts.n }, () => [...p]));
  const chunkRows = Math.max(1, opts.chunkRows ?? rows.length);
  const out: SampledResponse[] = [];
  for (let start = 0, c = 0; start < rows.length; start += chunkRows, c++) {
    const chunk = rows.slice(start, start + chunkRows);
    const seed = chunkRows >= rows.length ? opts.seed : deriveSeed(opts.seed, `chunk/${c}`);
    const g = await fns.generate(model.weights, model.config, chunk, {
      maxNewTokens: opts.maxResponseTokens,
      temperature: opts.temperature,
      topP: opts.topP,
      seed,
      eosId: tokenizer.eosId,
      stopIds: [...tokenizer.stopIds],
      padId: tokenizer.padId,
    });
    g.tokens.forEach((ids, b) => {
      out.push({ responseIds: ids, truncated: g.finishReasons[b] === "length" });
    });
  }
  return out;
}

/** Decoded response text as graded (special tokens skipped, as verl's reward manager does). */
export function decodeResponse(tokenizer: TrainTokenizer, ids: readonly number[]): string {
  return tokenizer.decode(ids, { skipSpecialTokens: true });
}

/** A grader error or a non-finite reward counts as 0 (verl: 0 on any exception). */
export function safeGrade(
  grade: (r: string, p: TrainingProblem) => number,
  response: string,
  problem: TrainingProblem,
): number {
  try {
    const r = grade(response, problem);
    return Number.isFinite(r) ? r : 0;
  } catch {
    return 0;
  }
}

/** One step's rollout: sample, decode, grade. Samples are ordered group by group (group = prompt index). */
export async function collectRollout(
  fns: Pick<ModelFns, "generate">,
  model: LoadedModel,
  tokenizer: TrainTokenizer,
  problems: readonly TrainingProblem[],
  grade: (response: string, problem: TrainingProblem) => number,
  opts: SamplingOptions & {
    groupSize: number;
    seed: number;
    chunkRows?: number;
    promptOptions?: PromptOptions;
  },
): Promise<Rollout> {
  const prompts = problems.map((p) =>
    encodePrompt(tokenizer, p.prompt, opts.maxPromptTokens, opts.promptOptions),
  );
  const sampled = await sampleResponses(fns, model, tokenizer, prompts, { ...opts, n: opts.groupSize });
  const samples: RolloutSample[] = sampled.map((s, i) => {
    const group = Math.floor(i / opts.groupSize);
    const problem = problems[group] as TrainingProblem;
    const responseText = decodeResponse(tokenizer, s.responseIds);
    return {
      group,
      promptIds: prompts[group] as number[],
      responseIds: s.responseIds,
      responseText,
      groundTruth: problem.groundTruth,
      reward: safeGrade(grade, responseText, problem),
      truncated: s.truncated,
    };
  });
  return { samples, numGroups: problems.length };
}
