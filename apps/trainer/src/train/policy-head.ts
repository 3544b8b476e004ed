/**
 * Which policy head the loss uses at a step (bupo-spec §4.1, §9 C9). This is the ONLY place that decides it:
 * the RL step calls `policyHeadForStep` once and hands the same head to the old-log-prob pass and to every
 * update, so old and new log-probs can never come from different heads.
 *
 * BuPO: steps 1..S (1-based, `global_steps ≤ iterative_steps`) use the internal layer policy π_k, later steps
 * the full policy π. GRPO: always π. Rollouts never use a head from here: they always sample from π.
 */
import { type BupoPhase, isInternalPhase, type RunConfig } from "@bupo/shared";
import type { ForwardOptions } from "../model/forward.ts";

export type PolicyHead = { kind: "internal"; layer: number } | { kind: "final" };

/** The head of 1-based step `step`. Throws for step < 1 (the counter starts at 1, as in verl). */
export function policyHeadForStep(cfg: Pick<RunConfig, "algorithm" | "rl">, step: number): PolicyHead {
  if (!Number.isInteger(step) || step < 1) throw new Error(`step must be an integer ≥ 1 (got ${step})`);
  return isInternalPhase(cfg, step) ? { kind: "internal", layer: cfg.rl.internalLayer } : { kind: "final" };
}

/** BuPO phase reported in metrics: 1 = internal head, 2 = full policy. */
export function phaseOf(head: PolicyHead): BupoPhase {
  return head.kind === "internal" ? 1 : 2;
}

/** Forward options that make `forward` return the head's logits in `internalLogits` (internal) or `logits`. */
export function headForwardOptions(head: PolicyHead): Pick<ForwardOptions, "internalLayer"> {
  return head.kind === "internal" ? { internalLayer: head.layer } : {};
}
