/**
 * Metrics reported by the trainer, named exactly as verl logs them (product-anchors §2) so runs can be
 * exported to W&B/MLflow next to verl runs. Per-layer internal-policy entropies are structured arrays
 * indexed by 0-based layer (paper layer = index + 1), not flat keys.
 */
import { z } from "zod";
import { LensModeSchema } from "./analysis-config.ts";

const num = z.number();
const nonNeg = z.number().min(0);
const frac = z.number().min(0).max(1);

/**
 * Largest step a report may carry: far above rl.totalSteps' maximum and inside PostgreSQL's int4, so a
 * bad value is refused here as invalid data instead of failing in the database (the web also refuses steps
 * past the run's own totalSteps).
 */
export const MAX_STEP = 10_000_000;
const StepSchema = z.int().min(0).max(MAX_STEP);

/** BuPO phase: 1 = internal layer policy π_k (steps ≤ S), 2 = full policy π (GRPO runs are always 2). */
export const BupoPhaseSchema = z.union([z.literal(1), z.literal(2)]);
export type BupoPhase = z.infer<typeof BupoPhaseSchema>;

/** Logit-lens entropies (nats) of one module type across layers; arrays have length L. */
export const ModuleEntropySchema = z
  .object({
    input: z.array(num).describe("Entropy of the unembedded module input, per layer"),
    output: z.array(num).describe("Entropy of the unembedded module output, per layer"),
    change: z.array(num).describe("output − input per layer (ΔH > 0 expands, < 0 converges)"),
  })
  .refine((m) => m.input.length === m.output.length && m.output.length === m.change.length, {
    message: "input, output and change must have one entry per layer",
  });
export type ModuleEntropy = z.infer<typeof ModuleEntropySchema>;

/**
 * How each residual stream relates to the top layer's (issue 15, "feature refinement"), over the pooled response
 * tokens (the first `numTokens` in sample order): arrays of length L+1 indexed like the residual streams
 * h_0 (embeddings) … h_L, each compared with the raw h_L (so entry L is 1).
 */
export const RepresentationSimilaritySchema = z
  .object({
    numTokens: z.int().min(1).describe("Pooled tokens compared (capped, first in sample order)"),
    cosine: z.array(z.number().min(-1).max(1)).describe("Mean token-wise cos(h_i(t), h_L(t)), i = 0..L"),
    cka: z.array(z.number().min(0).max(1)).describe("Linear CKA of the [tokens × d] matrices h_i and h_L"),
  })
  .refine((s) => s.cosine.length === s.cka.length, { message: "cosine and cka need one entry per depth" });
export type RepresentationSimilarity = z.infer<typeof RepresentationSimilaritySchema>;

/** Per-layer internal-policy entropies (bupo-spec §2.2): token-weighted means over response tokens. */
export const LayerEntropySchema = z.object({
  lens: LensModeSchema,
  numTokens: z.int().min(0).describe("Response tokens pooled into the means"),
  layer: ModuleEntropySchema.describe("Residual h_{l-1} → h_l"),
  attn: ModuleEntropySchema.describe("RMSNorm_in(h_{l-1}) → attention output alone"),
  ffn: ModuleEntropySchema.describe("RMSNorm_post(h_{l-1}+a_l) → MLP output alone"),
  similarity: RepresentationSimilaritySchema.optional().describe("Residual streams vs the top layer's"),
});
export type LayerEntropy = z.infer<typeof LayerEntropySchema>;

/** One training step's metrics (verl names). Optional keys are reported when measured. */
export const StepMetricsSchema = z.object({
  step: StepSchema.describe("1-based global step (0 = before training)"),
  "bupo/phase": BupoPhaseSchema,
  "bupo/internal_layer": z.int().min(0).optional().describe("k used for the loss in phase 1"),
  "actor/entropy": nonNeg.describe("Full-policy entropy, token-mean over response tokens (both phases)"),
  "actor/pg_loss": num,
  "actor/pg_clipfrac": frac,
  "actor/pg_clipfrac_lower": frac,
  "actor/ppo_kl": num,
  "actor/grad_norm": nonNeg,
  "actor/lr": nonNeg,
  "critic/score/mean": num,
  "critic/score/max": num,
  "critic/score/min": num,
  "critic/advantages/mean": num.optional(),
  "critic/advantages/max": num.optional(),
  "critic/advantages/min": num.optional(),
  "response_length/mean": nonNeg,
  "response_length/max": nonNeg,
  "response_length/min": nonNeg,
  "response_length/clip_ratio": frac.describe("Fraction of responses cut at maxResponseTokens"),
  "prompt_length/mean": nonNeg.optional(),
  frac_reward_zero_std: frac.describe("Fraction of groups whose rewards are all equal (no GRPO signal)"),
  "perf/throughput": nonNeg.describe("Tokens per second (prompt + response)"),
  "perf/time_per_step": nonNeg.describe("Seconds"),
  "perf/total_num_tokens": nonNeg.optional(),
  "timing_s/gen": nonNeg.optional(),
  "timing_s/old_log_prob": nonNeg.optional(),
  "timing_s/adv": nonNeg.optional(),
  "timing_s/update_actor": nonNeg.optional(),
  layers: LayerEntropySchema.optional().describe("Per-layer entropies, every schedule.entropyEvery steps"),
});
export type StepMetrics = z.infer<typeof StepMetricsSchema>;

/** Evaluation of the full policy on held-out prompts: k samples per prompt. */
export const EvalMetricsSchema = z.object({
  step: StepSchema,
  dataSource: z.string().min(1).describe("Task name or parquet data_source, e.g. qwen_math500"),
  k: z.int().min(1),
  numPrompts: z.int().min(0),
  "mean@k": frac.describe("Mean reward over all k samples of all prompts (verl mean@N, paper Avg@K)"),
  "pass@k": frac.describe("Fraction of prompts with at least one correct sample among k"),
  "std@k": nonNeg.optional().describe("Mean over prompts of the std of the k rewards"),
  "response_length/mean": nonNeg.optional(),
});
export type EvalMetrics = z.infer<typeof EvalMetricsSchema>;

/** verl-style flat keys of an eval record: `val-core/<data_source>/acc/mean@<k>`, `…/pass@<k>`. */
export function evalMetricKeys(m: EvalMetrics): Record<string, number> {
  const base = `val-core/${m.dataSource}/acc`;
  const out: Record<string, number> = {
    [`${base}/mean@${m.k}`]: m["mean@k"],
    [`${base}/pass@${m.k}`]: m["pass@k"],
  };
  if (m["std@k"] !== undefined) out[`${base}/std@${m.k}`] = m["std@k"];
  return out;
}

/**
 * Every scalar of StepMetrics in a fixed order. The web stores each step's scalars in this order as one
 * float array as well, so charts downsample 100k steps with array reads instead of JSON lookups. Append new
 * keys at the end (stored rows keep their positions).
 */
export const SCALAR_METRIC_KEYS = [
  "bupo/phase",
  "bupo/internal_layer",
  "actor/entropy",
  "actor/pg_loss",
  "actor/pg_clipfrac",
  "actor/pg_clipfrac_lower",
  "actor/ppo_kl",
  "actor/grad_norm",
  "actor/lr",
  "critic/score/mean",
  "critic/score/max",
  "critic/score/min",
  "critic/advantages/mean",
  "critic/advantages/max",
  "critic/advantages/min",
  "response_length/mean",
  "response_length/max",
  "response_length/min",
  "response_length/clip_ratio",
  "prompt_length/mean",
  "frac_reward_zero_std",
  "perf/throughput",
  "perf/time_per_step",
  "perf/total_num_tokens",
  "timing_s/gen",
  "timing_s/old_log_prob",
  "timing_s/adv",
  "timing_s/update_actor",
] as const satisfies readonly Exclude<keyof StepMetrics, "step" | "layers">[];
export type ScalarMetricKey = (typeof SCALAR_METRIC_KEYS)[number];
