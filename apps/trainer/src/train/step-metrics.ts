/**
 * One step's metrics under verl's names (`@bupo/shared` StepMetricsSchema): rollout statistics
 * (`critic/score/*`, `response_length/*`, `frac_reward_zero_std`), update statistics averaged over the step's
 * mini-batch updates (`actor/*`, as verl averages its per-update lists), and timing (`perf/*`, `timing_s/*`).
 */
import type { BupoPhase, LayerEntropy, StepMetrics } from "@bupo/shared";
import { groupRewardStats } from "../rl/advantages.ts";
import type { UpdateResult } from "./policy-update.ts";
import type { Rollout } from "./types.ts";

export interface StepTimings {
  /** Seconds. */
  gen: number;
  oldLogProb: number;
  adv: number;
  updateActor: number;
  total: number;
}

export interface StepMetricsInput {
  step: number;
  phase: BupoPhase;
  /** k of a BuPO run (reported in both phases); undefined for GRPO. */
  internalLayer: number | undefined;
  rollout: Rollout;
  advantages: ArrayLike<number>;
  entropy: number;
  updates: readonly UpdateResult[];
  lr: number;
  maxResponseTokens: number;
  timings: StepTimings;
  layers?: LayerEntropy;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function buildStepMetrics(x: StepMetricsInput): StepMetrics {
  const samples = x.rollout.samples;
  const rewards = samples.map((s) => s.reward);
  const lengths = samples.map((s) => s.responseIds.length);
  // verl: advantages masked by the response mask → token-weighted statistics.
  const tokenAdv = samples.flatMap((s, i) =>
    new Array<number>(s.responseIds.length).fill(x.advantages[i] as number),
  );
  const applied = x.updates.filter((u) => !u.skipped);
  const totalTokens = samples.reduce((n, s) => n + s.promptIds.length + s.responseIds.length, 0);
  const metrics: StepMetrics = {
    step: x.step,
    "bupo/phase": x.phase,
    "actor/entropy": Math.max(0, x.entropy),
    "actor/pg_loss": mean(x.updates.map((u) => u.pgLoss)),
    "actor/pg_clipfrac": mean(x.updates.map((u) => u.pgClipfrac)),
    "actor/pg_clipfrac_lower": mean(x.updates.map((u) => u.pgClipfracLower)),
    "actor/ppo_kl": mean(x.updates.map((u) => u.ppoKl)),
    "actor/grad_norm": mean(applied.map((u) => u.gradNorm)),
    "actor/lr": x.lr,
    "critic/score/mean": mean(rewards),
    "critic/score/max": Math.max(...rewards),
    "critic/score/min": Math.min(...rewards),
    "critic/advantages/mean": mean(tokenAdv),
    "critic/advantages/max": tokenAdv.length ? Math.max(...tokenAdv) : 0,
    "critic/advantages/min": tokenAdv.length ? Math.min(...tokenAdv) : 0,
    "response_length/mean": mean(lengths),
    "response_length/max": Math.max(...lengths),
    "response_length/min": Math.min(...lengths),
    "response_length/clip_ratio": mean(lengths.map((n) => (n >= x.maxResponseTokens ? 1 : 0))),
    "prompt_length/mean": mean(samples.map((s) => s.promptIds.length)),
    frac_reward_zero_std: groupRewardStats(
      rewards,
      samples.map((s) => s.group),
    ).fracRewardZeroStd,
    "perf/throughput": x.timings.total > 0 ? totalTokens / x.timings.total : 0,
    "perf/time_per_step": x.timings.total,
    "perf/total_num_tokens": totalTokens,
    "timing_s/gen": x.timings.gen,
    "timing_s/old_log_prob": x.timings.oldLogProb,
    "timing_s/adv": x.timings.adv,
    "timing_s/update_actor": x.timings.updateActor,
  };
  if (x.internalLayer !== undefined) metrics["bupo/internal_layer"] = x.internalLayer;
  if (x.layers) metrics.layers = x.layers;
  return metrics;
}
