/**
 * THE run configuration: one schema for the launch form, the tRPC input, the database Json column and the
 * trainer (style §8.1). Every field has a default, a one-line help text and bounds; `RunConfigSchema.parse({})`
 * is a valid BuPO run on the tiny Qwen3 preset and the addition task.
 *
 * Cross-field rules (checked in `superRefine`, messages name the field):
 * - `rl.iterativeSteps ≤ rl.totalSteps` and `0 ≤ rl.internalLayer < L` of the chosen preset — BuPO only;
 *   for GRPO both BuPO fields are ignored. For a checkpoint the trainer checks k against its layer count.
 * - `rl.promptsPerStep` is a multiple of `rl.miniBatches` (each mini-batch holds whole groups, as in verl).
 * - `rl.maxPromptTokens + rl.maxResponseTokens ≤ maxPositionEmbeddings` of the preset.
 */
import { z } from "zod";
import { AnalysisOptionsSchema } from "./analysis-config.ts";
import { ModelSourceSchema } from "./model-config.ts";
import { ModelFamilySchema, ModelPresetSchema, presetDims } from "./model-presets.ts";
import { RlConfigSchema } from "./rl-config.ts";
import { enumOf, intField, numberField, objectError, stringField } from "./schema-helpers.ts";
import { TaskSchema } from "./task-config.ts";

export const RUN_KINDS = ["train", "analysis"] as const;
export const RunKindSchema = enumOf(RUN_KINDS).describe(
  "train = warm start + RL; analysis = internal-policy entropy probe of a model, no training",
);
export type RunKind = z.infer<typeof RunKindSchema>;

export const ALGORITHMS = ["bupo", "grpo"] as const;
export const AlgorithmSchema = enumOf(ALGORITHMS).describe(
  "bupo = internal-layer policy for the first S steps, then GRPO; grpo = baseline",
);
export type Algorithm = z.infer<typeof AlgorithmSchema>;

// -------------------------------------------------------------------------------------------------
// Warm start and schedule

export const WarmStartSchema = z
  .object(
    {
      sftSteps: intField({
        min: 0,
        max: 100_000,
        default: 300,
        describe:
          "Supervised steps on target texts (…\\boxed{answer}) before RL, so a fresh tiny model can emit the format; 0 = skip. Not in the paper (it starts from pretrained models)",
      }),
      lr: numberField({
        min: 0,
        minExclusive: true,
        max: 1,
        default: 1e-3,
        describe: "AdamW learning rate of the warm start",
      }),
      batchSize: intField({ min: 1, max: 1024, default: 32, describe: "Sequences per warm-start step" }),
    },
    { error: objectError },
  )
  .describe("Supervised warm start");
export type WarmStart = z.infer<typeof WarmStartSchema>;

export const ScheduleSchema = z
  .object(
    {
      evalEvery: intField({
        min: 0,
        max: 100_000,
        default: 20,
        describe: "Evaluate the full policy every N steps and before training (paper every 30); 0 = off",
      }),
      evalSamples: intField({
        min: 1,
        max: 64,
        default: 4,
        describe: "Samples k per held-out prompt for mean@k / pass@k (paper validation n=1, T=1)",
      }),
      evalPrompts: intField({
        min: 1,
        max: 10_000,
        default: 64,
        describe: "Held-out prompts per evaluation (capped by the held-out set size)",
      }),
      checkpointEvery: intField({
        min: 0,
        max: 100_000,
        default: 50,
        describe: "Save a checkpoint every N steps (and at the end); 0 = only at the end",
      }),
      entropyEvery: intField({
        min: 0,
        max: 100_000,
        default: 10,
        describe: "Log per-layer/attn/FFN internal-policy entropies every N steps; 0 = off",
      }),
      logEvery: intField({ min: 1, max: 10_000, default: 1, describe: "Report step metrics every N steps" }),
    },
    { error: objectError },
  )
  .describe("Evaluation, checkpoint and logging cadence");
export type Schedule = z.infer<typeof ScheduleSchema>;

// -------------------------------------------------------------------------------------------------
// The run config

const RunConfigObjectSchema = z.object(
  {
    kind: RunKindSchema.default("train"),
    algorithm: AlgorithmSchema.default("bupo"),
    model: ModelSourceSchema.prefault({ source: "preset" }),
    task: TaskSchema.prefault({ source: "builtin" }),
    rl: RlConfigSchema.prefault({}),
    warmStart: WarmStartSchema.prefault({}),
    schedule: ScheduleSchema.prefault({}),
    analysis: AnalysisOptionsSchema.prefault({}),
    seed: intField({
      min: 0,
      max: 2 ** 31 - 1,
      default: 42,
      describe: "Seed for init, task generation, splits and sampling",
    }),
    tags: z
      .array(stringField({ min: 1, max: 32, describe: "A tag" }), {
        error: (iss) => `tags must be an array of at most 16 strings (got ${typeof iss.input})`,
      })
      .max(16, { error: "tags must hold at most 16 entries" })
      .default([])
      .describe("Free-form labels for filtering runs"),
    name: stringField({ max: 80, describe: "Display name; empty = generated by the server" }).default(""),
  },
  { error: objectError },
);

type RunConfigShape = z.infer<typeof RunConfigObjectSchema>;

function addIssue(ctx: z.RefinementCtx, path: (string | number)[], message: string) {
  ctx.addIssue({ code: "custom", path, message });
}

/** Cross-field checks; values may be partially invalid here (zod runs refinements anyway), so guard types. */
function checkRunConfig(cfg: RunConfigShape, ctx: z.RefinementCtx): void {
  const rl = cfg.rl;
  if (!rl || typeof rl !== "object") return;
  const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
  const dims =
    cfg.model?.source === "preset" ? safePresetDims(cfg.model.family, cfg.model.preset) : undefined;

  if (cfg.kind === "train" && cfg.algorithm === "bupo") {
    if (isInt(rl.iterativeSteps) && isInt(rl.totalSteps) && rl.iterativeSteps > rl.totalSteps) {
      addIssue(
        ctx,
        ["rl", "iterativeSteps"],
        `iterativeSteps must be between 0 and totalSteps (${rl.totalSteps}) (got ${rl.iterativeSteps})`,
      );
    }
    if (
      dims &&
      cfg.model.source === "preset" &&
      isInt(rl.internalLayer) &&
      rl.internalLayer >= dims.numLayers
    ) {
      addIssue(
        ctx,
        ["rl", "internalLayer"],
        `internalLayer must be between 0 and ${dims.numLayers - 1} for ${cfg.model.family}/${cfg.model.preset} ` +
          `(${dims.numLayers} layers) (got ${rl.internalLayer})`,
      );
    }
  }
  if (cfg.kind === "train" && isInt(rl.promptsPerStep) && isInt(rl.miniBatches)) {
    if (rl.promptsPerStep % rl.miniBatches !== 0) {
      addIssue(
        ctx,
        ["rl", "miniBatches"],
        `miniBatches must divide promptsPerStep (${rl.promptsPerStep}) (got ${rl.miniBatches})`,
      );
    }
  }
  if (dims && isInt(rl.maxPromptTokens) && isInt(rl.maxResponseTokens)) {
    if (rl.maxPromptTokens + rl.maxResponseTokens > dims.maxPositionEmbeddings) {
      const maxResponse = Math.max(1, dims.maxPositionEmbeddings - rl.maxPromptTokens);
      addIssue(
        ctx,
        ["rl", "maxResponseTokens"],
        `maxResponseTokens must be between 1 and ${maxResponse} (maxPromptTokens + maxResponseTokens ≤ ` +
          `${dims.maxPositionEmbeddings}, the preset's maxPositionEmbeddings) (got ${rl.maxResponseTokens})`,
      );
    }
  }
}

function safePresetDims(family: unknown, preset: unknown) {
  const f = ModelFamilySchema.safeParse(family);
  const p = ModelPresetSchema.safeParse(preset);
  return f.success && p.success ? presetDims(f.data, p.data) : undefined;
}

export const RunConfigSchema = RunConfigObjectSchema.superRefine(checkRunConfig).describe(
  "BuPO Studio run configuration",
);
/** Parsed run config (all defaults filled). */
export type RunConfig = z.infer<typeof RunConfigSchema>;
/** What a client may send: every field optional. */
export type RunConfigInput = z.input<typeof RunConfigSchema>;

/** A run config with every default applied (`RunConfigSchema.parse({})`). */
export function defaultRunConfig(): RunConfig {
  return RunConfigSchema.parse({});
}

/** Whether the internal layer policy is used at this 1-based step (BuPO phase 1 iff step ≤ S). */
export function isInternalPhase(cfg: Pick<RunConfig, "algorithm" | "rl">, step: number): boolean {
  return cfg.algorithm === "bupo" && step >= 1 && step <= cfg.rl.iterativeSteps;
}
