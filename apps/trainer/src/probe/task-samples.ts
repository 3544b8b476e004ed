/**
 * Probe samples of a built-in task: the first `sampleSize` problems of the task's evaluation stream for the
 * seed (the stream a `train` run with that seed draws its held-out set from), one response each sampled from the
 * model's full policy, graded with the task's exact grader. Sequence = prompt ids + response ids (EOS included
 * when sampled); the response positions are pooled — as the in-training probe (src/train/entropy-probe.ts).
 */
import type { BuiltinTask } from "@bupo/shared";
import { computeScore } from "../reward/compute-score.ts";
import { generateProblems, getTask } from "../tasks/registry.ts";
import { deriveSeed } from "../tasks/rng.ts";
import { ProbeInputError } from "./input-error.ts";
import type { ProbeModel } from "./model-source.ts";
import {
  encodeSamplingPrompt,
  type ProbeDrawOptions,
  type SamplingModel,
  sampleResponses,
} from "./sample-responses.ts";
import { meanOf, type ProbeSampleSet } from "./samples.ts";

export async function builtinTaskSamples(
  task: Pick<BuiltinTask, "name" | "difficulty">,
  model: SamplingModel & Pick<ProbeModel, "tokenizer">,
  opts: ProbeDrawOptions,
): Promise<ProbeSampleSet> {
  const tok = model.tokenizer;
  if (!tok) throw new ProbeInputError(`the model has no tokenizer to write ${task.name} prompts with`);
  const impl = getTask(task.name);
  const problems = generateProblems(impl, {
    seed: opts.seed,
    count: opts.sampleSize,
    difficulty: task.difficulty,
    stream: "eval",
  });
  const prompts = problems.map((p, i) =>
    encodeSamplingPrompt(model, tok, p.prompt, `${task.name} prompt ${i + 1}`),
  );
  const responses = await sampleResponses(model, tok, prompts, {
    ...opts,
    seed: deriveSeed(opts.seed, "analysis/responses"),
  });
  const rewards = responses.map((r, i) => computeScore(impl.name, r.text, problems[i]?.groundTruth ?? ""));
  return {
    samples: prompts.map((p, i) => {
      const tokens = [...p, ...(responses[i]?.ids ?? [])];
      return { tokens, range: [p.length, tokens.length] };
    }),
    positions: "response",
    meanReward: meanOf(rewards),
  };
}
