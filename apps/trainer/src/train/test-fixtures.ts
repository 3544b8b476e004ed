/**
 * Test-only fixtures for src/train: a toy run config, a toy task with mixed rewards, and a ready RL step context
 * on a toy model (model/test-utils `toyConfig`: d 32, L 3). Not exported from index.ts.
 */
import { type RunConfig, type RunConfigInput, RunConfigSchema } from "@bupo/shared";
import type * as tf from "@tensorflow/tfjs";
import type { ModelConfig, ModelFamily } from "../model/config.ts";
import { forward } from "../model/forward.ts";
import { generate } from "../model/generate.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig } from "../model/test-utils/toy.ts";
import { disposeWeights, namedParameters } from "../model/weights.ts";
import { createCharTokenizer } from "../tokenizer/char-tokenizer.ts";
import { AdamW } from "./adamw.ts";
import type { RlStepContext } from "./rl-step.ts";
import type { LoadedModel, ModelFns, TrainingTask, TrainTokenizer } from "./types.ts";

export const TOY_ALPHABET = "abcdef";

/** RunConfig for toy runs: 2 prompts × 4 responses, 2 mini-batches, short responses, no eval/probe. */
export function toyRunConfig(overrides: RunConfigInput = {}): RunConfig {
  const base: RunConfigInput = {
    algorithm: "bupo",
    seed: 7,
    rl: {
      internalLayer: 0,
      iterativeSteps: 2,
      totalSteps: 3,
      promptsPerStep: 2,
      groupSize: 4,
      miniBatches: 2,
      lr: 1e-3,
      maxPromptTokens: 8,
      maxResponseTokens: 6,
    },
    warmStart: { sftSteps: 0, batchSize: 4 },
    schedule: { evalEvery: 0, checkpointEvery: 0, entropyEvery: 0, evalPrompts: 4, evalSamples: 2 },
    analysis: { sampleSize: 3 },
  };
  return RunConfigSchema.parse({
    ...base,
    ...overrides,
    rl: { ...base.rl, ...overrides.rl },
    warmStart: { ...base.warmStart, ...overrides.warmStart },
    schedule: { ...base.schedule, ...overrides.schedule },
    analysis: { ...base.analysis, ...overrides.analysis },
  });
}

/** Toy task: prompts are seeded strings over `abcdef`; reward 1 iff the response contains "b" (mixed groups). */
export function toyTask(): TrainingTask {
  const prompt = (seed: number, i: number) =>
    Array.from({ length: 3 + ((seed + i) % 3) }, (_, j) => TOY_ALPHABET[(seed * 7 + i * 5 + j * 3) % 6]).join(
      "",
    );
  const problems = (seed: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ prompt: prompt(seed, i), groundTruth: "b", target: "bb" }));
  return {
    name: "toy",
    heldOut: problems(1000, 4),
    trainBatch: (step, count) => problems(step, count),
    sftBatch: (step, count) => problems(500 + step, count),
    grade: (response, problem) => (response.includes(problem.groundTruth) ? 1 : 0),
  };
}

export function toyTokenizer(): TrainTokenizer {
  return createCharTokenizer(TOY_ALPHABET);
}

/** Toy model config sized to the toy tokenizer. */
export function toyModelConfig(
  family: ModelFamily = "qwen3",
  overrides: Partial<ModelConfig> = {},
): ModelConfig {
  const tok = toyTokenizer();
  return toyConfig(family, { vocabSize: tok.vocabSize, eosTokenId: tok.eosId, ...overrides });
}

export function toyModel(
  family: ModelFamily = "qwen3",
  seed = 3,
  overrides: Partial<ModelConfig> = {},
): LoadedModel {
  const config = toyModelConfig(family, overrides);
  return { config, weights: initWeights(config, seed) };
}

/** Everything `runRlStep` needs on a fresh toy model; `dispose()` frees model + optimizer. */
export function toyStepContext(
  config: RunConfig,
  opts: { family?: ModelFamily; seed?: number; fns?: Partial<ModelFns>; microBatchSize?: number } = {},
): RlStepContext & { dispose(): void } {
  const model = toyModel(opts.family ?? "qwen3", opts.seed ?? 3);
  const params = namedParameters(model.weights, model.config);
  const optimizer = new AdamW(params, {
    lr: config.rl.lr,
    betas: config.rl.betas,
    weightDecay: config.rl.weightDecay,
  });
  return {
    config,
    model,
    params,
    optimizer,
    task: toyTask(),
    tokenizer: toyTokenizer(),
    fns: { forward: opts.fns?.forward ?? forward, generate: opts.fns?.generate ?? generate },
    microBatchSize: opts.microBatchSize ?? 64,
    clock: () => 0,
    dispose() {
      optimizer.dispose();
      disposeWeights(model.weights);
    },
  };
}

/** Host snapshot of every parameter (name → values). */
export function snapshot(ctx: {
  params: readonly { name: string; variable: tf.Variable }[];
}): Map<string, Float32Array> {
  return new Map(ctx.params.map((p) => [p.name, (p.variable.dataSync() as Float32Array).slice()]));
}

/** Metrics without wall-clock keys (perf/*, timing_s/*), for equality across runs. */
export function withoutTimings(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(m).filter(([k]) => !k.startsWith("perf/") && !k.startsWith("timing_s/")),
  );
}
