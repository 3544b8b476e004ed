import type { RunConfig } from "@bupo/shared/run-config";
import type { StepMarker } from "../../../components/charts/types.ts";

/** The run page's metric charts (verl names) with axis labels. */
export const METRIC_CHARTS: { key: string; title: string; yLabel?: string }[] = [
  { key: "critic/score/mean", title: "Reward (critic/score/mean)", yLabel: "reward" },
  { key: "actor/pg_loss", title: "Policy loss (actor/pg_loss)" },
  { key: "actor/entropy", title: "Policy entropy (actor/entropy)", yLabel: "nats" },
  { key: "actor/pg_clipfrac", title: "Clip fraction (actor/pg_clipfrac)" },
  { key: "actor/ppo_kl", title: "Approx. KL (actor/ppo_kl)" },
  { key: "actor/grad_norm", title: "Grad norm (actor/grad_norm)" },
  { key: "response_length/mean", title: "Response length (response_length/mean)", yLabel: "tokens" },
  { key: "perf/throughput", title: "Throughput (perf/throughput)", yLabel: "tokens/s" },
  { key: "frac_reward_zero_std", title: "Groups without signal (frac_reward_zero_std)" },
];

/** The BuPO phase switch, drawn on every chart: phase 1 is steps 1..S (internal layer k), then π. */
export function phaseMarkers(config: RunConfig | undefined): StepMarker[] {
  if (config?.kind !== "train" || config.algorithm !== "bupo" || config.rl.iterativeSteps <= 0) return [];
  return [
    {
      step: config.rl.iterativeSteps + 0.5,
      label: `S=${config.rl.iterativeSteps}: π_k→π (k=${config.rl.internalLayer})`,
    },
  ];
}
