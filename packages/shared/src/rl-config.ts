/**
 * RL hyperparameters (`config.rl`) and the enums that key the trainer's RL registries.
 *
 * Paper values: bupo-spec §5/§7 (BuPO and GRPO scripts of Trae1ounG/BuPO, verl defaults). Where a paper
 * value cannot apply to a 4–6-layer model the default is adapted and the help text says so.
 */
import { z } from "zod";
import { booleanField, enumOf, intField, numberField, objectError } from "./schema-helpers.ts";

/**
 * Loss aggregation modes of verl `agg_loss` (length bias in brackets):
 * - `token-mean`: Σ mask·ℓ / Σ mask over the mini-batch — every token weighs the same (BuPO/GRPO default).
 * - `seq-mean-token-sum`: mean over (non-empty) sequences of per-sequence token sums — longer responses
 *   weigh more.
 * - `seq-mean-token-mean`: mean over (non-empty) sequences of per-sequence token means — original GRPO; a
 *   token of a short response weighs more than one of a long response.
 * - `seq-mean-token-sum-norm`: Σ over all tokens / T with T the padded response length (verl's Dr.GRPO
 *   constant normaliser) — no per-response length bias; the scale grows with the batch size.
 */
export const LOSS_AGG_MODES = [
  "token-mean",
  "seq-mean-token-sum",
  "seq-mean-token-mean",
  "seq-mean-token-sum-norm",
] as const;
export const LossAggModeSchema = enumOf(LOSS_AGG_MODES).describe(
  "Loss aggregation over response tokens (verl agg_loss); paper: token-mean",
);
export type LossAggMode = z.infer<typeof LossAggModeSchema>;

/** Advantage estimators (verl `AdvantageEstimator`); only outcome-reward GRPO is used by BuPO. */
export const ADVANTAGE_ESTIMATORS = ["grpo"] as const;
export const AdvantageEstimatorSchema = enumOf(ADVANTAGE_ESTIMATORS).describe(
  "Advantage estimator; grpo = group-normalised outcome reward (paper)",
);
export type AdvantageEstimator = z.infer<typeof AdvantageEstimatorSchema>;

/** Policy losses (verl `loss_mode`); vanilla = PPO clip + dual clip. */
export const POLICY_LOSSES = ["vanilla"] as const;
export const PolicyLossSchema = enumOf(POLICY_LOSSES).describe(
  "Policy loss; vanilla = PPO clipped surrogate with dual clip (paper)",
);
export type PolicyLoss = z.infer<typeof PolicyLossSchema>;

const beta = (i: 1 | 2, d: number) =>
  numberField({ min: 0, max: 0.99999, default: d, describe: `AdamW β${i} (paper ${d})` });

export const RlConfigSchema = z
  .object(
    {
      internalLayer: intField({
        min: 0,
        max: 127,
        default: 0,
        describe:
          "BuPO internal layer k, 0-based (paper layer = k+1); must be < the model's layer count. " +
          "Paper: k=5 of 36 for Qwen3-4B (lowest sixth), k=26 for Llama; tiny default 0 (layer 1 of 4). BuPO only",
      }),
      iterativeSteps: intField({
        min: 0,
        max: 100_000,
        default: 20,
        describe:
          "BuPO phase-1 steps S: steps 1..S optimise the layer-k policy, later steps the full policy. " +
          "Paper 30 of 300 (10 %); default 20 of 200. BuPO only",
      }),
      totalSteps: intField({
        min: 1,
        max: 100_000,
        default: 200,
        describe: "Training steps (one rollout batch each); paper 300, default 200 for tiny models",
      }),
      promptsPerStep: intField({
        min: 1,
        max: 1024,
        default: 8,
        describe:
          "Prompts sampled per step (train_batch_size); paper 128, default 8 (64 responses) for wasm budgets",
      }),
      groupSize: intField({
        min: 1,
        max: 64,
        default: 8,
        describe:
          "Responses sampled per prompt (rollout n); GRPO normalises rewards within each group; paper 8",
      }),
      miniBatches: intField({
        min: 1,
        max: 64,
        default: 4,
        describe: "Optimizer updates per step; each uses promptsPerStep/miniBatches whole groups; paper 4",
      }),
      clipLow: numberField({
        min: 0,
        max: 1,
        default: 0.2,
        describe: "PPO clip ε_low: ratio is clipped below at 1−ε_low; paper 0.2",
      }),
      clipHigh: numberField({
        min: 0,
        max: 10,
        default: 0.2,
        describe: "PPO clip ε_high: ratio is clipped above at 1+ε_high; paper 0.2",
      }),
      dualClip: numberField({
        min: 1,
        minExclusive: true,
        max: 1000,
        default: 10,
        describe: "Dual-clip constant c (> 1): loss capped at c·|Â| for negative advantages; paper 10",
      }),
      lr: numberField({
        min: 0,
        minExclusive: true,
        max: 1,
        default: 1e-4,
        describe: "AdamW learning rate, constant; paper 1e-6 for 4B models, default 1e-4 for tiny models",
      }),
      betas: z
        .tuple([beta(1, 0.9), beta(2, 0.999)], {
          error: (iss) =>
            `betas must be a pair [β1, β2] of numbers in [0, 1) (got ${JSON.stringify(iss.input)})`,
        })
        .default([0.9, 0.999])
        .describe("AdamW betas [β1, β2]; paper [0.9, 0.999]"),
      weightDecay: numberField({
        min: 0,
        max: 1,
        default: 0.01,
        describe: "AdamW decoupled weight decay; paper 0.01",
      }),
      gradClip: numberField({
        min: 0,
        minExclusive: true,
        max: 1000,
        default: 1,
        describe: "Global gradient-norm clip; updates with a non-finite norm are skipped; paper 1.0",
      }),
      temperature: numberField({
        min: 0,
        minExclusive: true,
        max: 10,
        default: 1,
        describe: "Rollout sampling temperature (also divides the logits of old/new log-probs); paper 1.0",
      }),
      topP: numberField({
        min: 0,
        minExclusive: true,
        max: 1,
        default: 1,
        describe: "Rollout nucleus sampling top-p; 1 = off; paper 1.0",
      }),
      maxPromptTokens: intField({
        min: 1,
        max: 32_768,
        default: 64,
        describe:
          "Longest prompt in tokens, left-truncated; paper 1024, default 64 (built-in tasks are short)",
      }),
      maxResponseTokens: intField({
        min: 1,
        max: 32_768,
        default: 32,
        describe:
          "Longest sampled response in tokens; paper 8192 (Qwen3) / 3072 (Llama), default 32 for toy tasks",
      }),
      lossAgg: LossAggModeSchema.default("token-mean"),
      advantage: AdvantageEstimatorSchema.default("grpo"),
      policyLoss: PolicyLossSchema.default("vanilla"),
      normAdvByStd: booleanField({
        default: true,
        describe:
          "Divide GRPO advantages by the group std (+1e-6); false = Dr.GRPO mean-centring only; paper true",
      }),
    },
    { error: objectError },
  )
  .describe("RL (GRPO/BuPO) hyperparameters");
export type RlConfig = z.infer<typeof RlConfigSchema>;
