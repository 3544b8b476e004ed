/**
 * One BuPO / GRPO training step (bupo-spec §4.2; Tan et al., arXiv 2512.19673; verl `ray_trainer.fit`):
 *   1. head ← policyHeadForStep(step)            — the ONE decision; used by steps 5 and 6 alike
 *   2. prompts of this step (seeded by step)      3. rollouts from the FULL policy π (`generate`)
 *   4. rewards → GRPO advantages (never touched by the head switch, §9 C14)
 *   5. old log-probs, no gradient, through `head` (+ full-policy entropy for `actor/entropy`)
 *   6. `miniBatches` updates, each through `head`: clipped surrogate, exact aggregate over the mini-batch,
 *      micro-batch gradient accumulation, clip-norm, AdamW; non-finite norms skip the update.
 * BuPO with k = L−1 is GRPO exactly: forward returns the very same logits tensor for π_{L−1}.
 */
import type { LayerEntropy, RunConfig, StepMetrics } from "@bupo/shared";
import type { NamedParameter } from "../model/weights.ts";
import { getAdvantageEstimator } from "../rl/advantages.ts";
import { deriveSeed } from "../tasks/rng.ts";
import type { AdamW } from "./adamw.ts";
import { buildMicroBatches, type MicroBatch } from "./batching.ts";
import { probeLayerEntropies } from "./entropy-probe.ts";
import { phaseOf, policyHeadForStep } from "./policy-head.ts";
import {
  computeOldLogProbs,
  disposePrepared,
  type LogProbTrace,
  type UpdateResult,
  updateOnMiniBatch,
} from "./policy-update.ts";
import { collectRollout } from "./rollout.ts";
import { buildStepMetrics } from "./step-metrics.ts";
import type { LoadedModel, ModelFns, Rollout, TrainingTask, TrainTokenizer } from "./types.ts";

export interface RlStepContext {
  config: Pick<RunConfig, "algorithm" | "rl" | "seed" | "analysis">;
  model: LoadedModel;
  params: readonly NamedParameter[];
  optimizer: AdamW;
  task: TrainingTask;
  tokenizer: TrainTokenizer;
  fns: ModelFns;
  /** Responses per micro-batch (gradient accumulation inside a mini-batch). */
  microBatchSize: number;
  /** Milliseconds (injectable for tests). */
  clock: () => number;
  trace?: (e: LogProbTrace) => void;
}

export interface RlStepResult {
  metrics: StepMetrics;
  updates: UpdateResult[];
  rollout: Rollout;
  /** [B] per-response GRPO advantages. */
  advantages: Float32Array;
}

/** Response indices of each mini-batch: promptsPerStep / miniBatches whole groups, in order (verl, no shuffle). */
export function miniBatchIndices(rollout: Rollout, miniBatches: number): number[][] {
  if (rollout.numGroups % miniBatches !== 0)
    throw new Error(`miniBatches (${miniBatches}) must divide the prompts per step (${rollout.numGroups})`);
  const groupsPer = rollout.numGroups / miniBatches;
  const out: number[][] = Array.from({ length: miniBatches }, () => []);
  rollout.samples.forEach((s, i) => {
    out[Math.floor(s.group / groupsPer)]?.push(i);
  });
  return out;
}

/**
 * Runs step `step` (1-based). `probeEntropy` adds the per-layer entropies (`metrics.layers`) measured on the
 * rollout with the pre-update weights.
 */
export async function runRlStep(
  ctx: RlStepContext,
  step: number,
  probeEntropy = false,
): Promise<RlStepResult> {
  const { rl } = ctx.config;
  const head = policyHeadForStep(ctx.config, step);
  const t0 = ctx.clock();

  const problems = ctx.task.trainBatch(step, rl.promptsPerStep);
  const rollout = await collectRollout(ctx.fns, ctx.model, ctx.tokenizer, problems, ctx.task.grade, {
    ...rl,
    seed: deriveSeed(ctx.config.seed, `rollout/${step}`),
    promptOptions: ctx.task.promptOptions,
  });
  const t1 = ctx.clock();

  const rewards = rollout.samples.map((s) => s.reward);
  const groups = rollout.samples.map((s) => s.group);
  const { advantages } = getAdvantageEstimator(rl.advantage)(rewards, groups, { normByStd: rl.normAdvByStd });
  const micro: MicroBatch[][] = miniBatchIndices(rollout, rl.miniBatches).map((indices) =>
    buildMicroBatches(rollout.samples, indices, {
      microBatchSize: ctx.microBatchSize,
      padId: ctx.tokenizer.padId,
      advantages,
    }),
  );
  const t2 = ctx.clock();

  let layers: LayerEntropy | undefined;
  if (probeEntropy) layers = await probeLayerEntropies(ctx.model, rollout, ctx.config.analysis);
  const t2p = ctx.clock(); // the probe is excluded from timing_s/old_log_prob (it counts in the total)
  const old = await computeOldLogProbs(ctx.fns, ctx.model, micro, head, rl.temperature, ctx.trace);
  const t3 = ctx.clock();

  const updates: UpdateResult[] = [];
  try {
    const updateCtx = {
      fns: ctx.fns,
      model: ctx.model,
      params: ctx.params,
      optimizer: ctx.optimizer,
      temperature: rl.temperature,
      gradClip: rl.gradClip,
      policyLoss: rl.policyLoss,
      lossOptions: {
        clipLow: rl.clipLow,
        clipHigh: rl.clipHigh,
        dualClip: rl.dualClip,
        logRatioClamp: 20,
        aggMode: rl.lossAgg,
      },
      trace: ctx.trace,
    };
    for (const [i, mini] of old.miniBatches.entries()) {
      updates.push(await updateOnMiniBatch(updateCtx, mini, i, head));
    }
  } finally {
    disposePrepared(old.miniBatches);
  }
  const t4 = ctx.clock();

  const seconds = (ms: number) => Math.max(0, ms) / 1000;
  const metrics = buildStepMetrics({
    step,
    phase: phaseOf(head),
    internalLayer: ctx.config.algorithm === "bupo" ? rl.internalLayer : undefined,
    rollout,
    advantages,
    entropy: old.entropy,
    updates,
    lr: ctx.optimizer.options.lr,
    maxResponseTokens: rl.maxResponseTokens,
    timings: {
      gen: seconds(t1 - t0),
      adv: seconds(t2 - t1),
      oldLogProb: seconds(t3 - t2p),
      updateActor: seconds(t4 - t3),
      total: seconds(t4 - t0),
    },
    layers,
  });
  return { metrics, updates, rollout, advantages };
}
