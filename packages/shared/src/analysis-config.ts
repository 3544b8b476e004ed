/**
 * Internal-policy analysis (bupo-spec §2–§3): logit-lens entropies of every layer / attention / FFN module.
 *
 * `AnalysisOptionsSchema` is the `analysis` section of a run config (used when `kind = "analysis"` and by
 * the periodic in-training probe); `AnalysisConfigSchema` is a standalone analysis job (model + data +
 * options), derivable from a run config with `toAnalysisConfig`.
 */
import { z } from "zod";
import { ModelSourceSchema } from "./model-config.ts";
import { booleanField, enumOf, intField, numberField, objectError } from "./schema-helpers.ts";
import { TaskSchema } from "./task-config.ts";

export const LENS_MODES = ["raw", "normed"] as const;
export const LensModeSchema = enumOf(LENS_MODES).describe(
  "raw = W_U·h without the final RMSNorm (repo-faithful, additive over modules); normed = W_U·RMSNorm_final(h) (classic logit lens)",
);
export type LensMode = z.infer<typeof LensModeSchema>;

export const AnalysisOptionsSchema = z
  .object(
    {
      sampleSize: intField({
        min: 1,
        max: 10_000,
        default: 10,
        describe:
          "Problems probed (one sampled response each, teacher-forced); paper: first 10 MATH500 problems",
      }),
      lens: LensModeSchema.default("raw"),
      trueLastLayer: booleanField({
        default: false,
        describe:
          "Apply the final RMSNorm to the last layer's output (the model's true policy); the repo plot never does (off-by-one)",
      }),
      temperature: numberField({
        min: 0,
        minExclusive: true,
        max: 10,
        default: 1,
        describe: "Sampling temperature of the probed responses; paper 1.0",
      }),
      maxResponseTokens: intField({
        min: 1,
        max: 32_768,
        default: 32,
        describe: "Longest probed response in tokens; paper 3072, default 32 for toy tasks",
      }),
    },
    { error: objectError },
  )
  .describe("Internal-policy entropy analysis options");
export type AnalysisOptions = z.infer<typeof AnalysisOptionsSchema>;

export const AnalysisConfigSchema = z
  .object(
    {
      model: ModelSourceSchema.prefault({ source: "preset" }),
      task: TaskSchema.prefault({ source: "builtin" }),
      ...AnalysisOptionsSchema.shape,
      seed: intField({
        min: 0,
        max: 2 ** 31 - 1,
        default: 42,
        describe: "Seed for problem choice and sampling",
      }),
    },
    { error: objectError },
  )
  .describe("Standalone internal-policy analysis job");
export type AnalysisConfig = z.infer<typeof AnalysisConfigSchema>;

/** The analysis job implied by a run config (its model, task, seed and `analysis` options). */
export function toAnalysisConfig(cfg: {
  model: AnalysisConfig["model"];
  task: AnalysisConfig["task"];
  seed: number;
  analysis: AnalysisOptions;
}): AnalysisConfig {
  return AnalysisConfigSchema.parse({ model: cfg.model, task: cfg.task, seed: cfg.seed, ...cfg.analysis });
}
