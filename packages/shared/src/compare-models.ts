/**
 * "Compare models" (issue 12): the same entropy analysis — task, samples, seed, lens — on 2–8 models, launched
 * in one request as one analysis run per model. The runs carry one comparison tag, so the comparison can be
 * listed, opened and shared as a whole. Every run config is still validated by `RunConfigSchema`.
 */
import { z } from "zod";
import { AnalysisOptionsSchema } from "./analysis-config.ts";
import { type ModelSource, ModelSourceSchema } from "./model-config.ts";
import type { RunConfigInput } from "./run-config.ts";
import { intField, objectError, stringField } from "./schema-helpers.ts";
import { TaskSchema } from "./task-config.ts";

export const COMPARE_MODELS = { min: 2, max: 8 } as const;

/** Tags of a comparison's runs: `compare:<id>`. */
export const COMPARISON_TAG_PREFIX = "compare:";
export const comparisonTag = (comparisonId: string) => `${COMPARISON_TAG_PREFIX}${comparisonId}`;

/** Same model twice = same source fields (a run checkpoint without a step is its latest). */
const modelKey = (m: ModelSource) => JSON.stringify(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));

export const CompareModelsSchema = z
  .object(
    {
      name: stringField({ max: 60, describe: "Name of the comparison; empty = generated" }).default(""),
      models: z
        .array(ModelSourceSchema, { error: "models must be a list of models" })
        .min(COMPARE_MODELS.min, `choose at least ${COMPARE_MODELS.min} models`)
        .max(COMPARE_MODELS.max, `choose at most ${COMPARE_MODELS.max} models`)
        .describe("The models analysed side by side: presets, models on the trainer, team checkpoints"),
      task: TaskSchema.prefault({ source: "builtin" }),
      analysis: AnalysisOptionsSchema.prefault({}),
      seed: intField({
        min: 0,
        max: 2 ** 31 - 1,
        default: 42,
        describe: "Seed for problem choice and sampling, the same for every model",
      }),
    },
    { error: objectError },
  )
  .superRefine((c, ctx) => {
    if (!Array.isArray(c.models)) return;
    const seen = new Map<string, number>();
    c.models.forEach((m, i) => {
      const key = modelKey(m);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: "custom",
          path: ["models", i],
          message: `models[${i}] is the same model as models[${first}]`,
        });
    });
  })
  .describe("The same entropy analysis on several models");
export type CompareModels = z.infer<typeof CompareModelsSchema>;
export type CompareModelsInput = z.input<typeof CompareModelsSchema>;

/** The analysis run config of each model (validate each with `RunConfigSchema`). */
export function comparisonRunConfigs(
  c: CompareModels,
  tag: string,
  modelLabel: (m: ModelSource) => string,
): RunConfigInput[] {
  return c.models.map((model) => ({
    kind: "analysis",
    model,
    task: c.task,
    seed: c.seed,
    analysis: c.analysis,
    tags: [tag],
    name: `${c.name || "Compare models"} · ${modelLabel(model)}`.slice(0, 80),
  }));
}
