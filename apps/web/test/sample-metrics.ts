import type { StepMetrics } from "@bupo/shared/metrics";

/** A valid step record (verl names) with neutral values, for tests that report steps as a trainer would. */
export const sampleStepMetrics = (step: number): StepMetrics => ({
  step,
  "bupo/phase": 2,
  "actor/entropy": 1,
  "actor/pg_loss": 0,
  "actor/pg_clipfrac": 0,
  "actor/pg_clipfrac_lower": 0,
  "actor/ppo_kl": 0,
  "actor/grad_norm": 1,
  "actor/lr": 1e-4,
  "critic/score/mean": 0.5,
  "critic/score/max": 1,
  "critic/score/min": 0,
  "response_length/mean": 4,
  "response_length/max": 4,
  "response_length/min": 4,
  "response_length/clip_ratio": 0,
  frac_reward_zero_std: 0,
  "perf/throughput": 10,
  "perf/time_per_step": 1,
});
