/**
 * The launch form's fields, each bound to a path of the shared RunConfigSchema. Help text, bounds and
 * defaults are read from that schema (zod introspection), so the form, the API and the trainer can't drift.
 */
import { AnalysisOptionsSchema } from "@bupo/shared/analysis-config";
import { RlConfigSchema } from "@bupo/shared/rl-config";
import { ScheduleSchema, WarmStartSchema } from "@bupo/shared/run-config";
import type { z } from "zod";

export interface FieldMeta {
  help: string;
  min?: number;
  max?: number;
  int?: boolean;
  options?: readonly string[];
}

interface ZodInternals {
  _zod: { def: { type: string; innerType?: ZodLike; entries?: Record<string, string>; format?: string } };
  description?: string;
  minValue?: number | null;
  maxValue?: number | null;
}
type ZodLike = ZodInternals;

/** Help text, numeric bounds and enum options of one schema field. */
export function metaOf(schema: z.ZodType): FieldMeta {
  let s = schema as unknown as ZodLike;
  const help = s.description ?? "";
  while (s._zod.def.innerType) s = s._zod.def.innerType;
  if (s._zod.def.type === "enum") return { help, options: Object.values(s._zod.def.entries ?? {}) };
  if (s._zod.def.type === "number") {
    return {
      help,
      min: s.minValue ?? undefined,
      max: s.maxValue ?? undefined,
      int: s._zod.def.format === "safeint",
    };
  }
  return { help };
}

export interface FieldDef {
  path: string;
  label: string;
  meta: FieldMeta;
  /** Shown only when the predicate holds for the current form value. */
  when?: (cfg: FormConfig) => boolean;
}

export interface FormConfig {
  kind: "train" | "analysis";
  algorithm: "bupo" | "grpo";
  [key: string]: unknown;
}

const rl = RlConfigSchema.shape;
const ws = WarmStartSchema.shape;
const sch = ScheduleSchema.shape;
const an = AnalysisOptionsSchema.shape;
const training = (c: FormConfig) => c.kind === "train";
const bupo = (c: FormConfig) => c.kind === "train" && c.algorithm === "bupo";

export const SECTIONS: {
  title: string;
  description: string;
  fields: FieldDef[];
  when?: (c: FormConfig) => boolean;
}[] = [
  {
    title: "BuPO",
    description:
      "Optimise the internal policy of layer k for the first S steps, then the full policy (bupo-spec §4).",
    when: bupo,
    fields: [
      { path: "rl.internalLayer", label: "Internal layer k (0-based)", meta: metaOf(rl.internalLayer) },
      { path: "rl.iterativeSteps", label: "Internal-policy steps S", meta: metaOf(rl.iterativeSteps) },
    ],
  },
  {
    title: "GRPO",
    description:
      "Rollouts, advantages and the clipped policy update (paper defaults, adapted to tiny models where noted).",
    when: training,
    fields: [
      { path: "rl.totalSteps", label: "Total steps", meta: metaOf(rl.totalSteps) },
      { path: "rl.promptsPerStep", label: "Prompts per step", meta: metaOf(rl.promptsPerStep) },
      { path: "rl.groupSize", label: "Group size n", meta: metaOf(rl.groupSize) },
      { path: "rl.miniBatches", label: "Mini-batches per step", meta: metaOf(rl.miniBatches) },
      { path: "rl.lr", label: "Learning rate", meta: metaOf(rl.lr) },
      { path: "rl.clipLow", label: "Clip ε low", meta: metaOf(rl.clipLow) },
      { path: "rl.clipHigh", label: "Clip ε high", meta: metaOf(rl.clipHigh) },
      { path: "rl.dualClip", label: "Dual-clip c", meta: metaOf(rl.dualClip) },
      { path: "rl.weightDecay", label: "Weight decay", meta: metaOf(rl.weightDecay) },
      { path: "rl.gradClip", label: "Grad-norm clip", meta: metaOf(rl.gradClip) },
      { path: "rl.temperature", label: "Rollout temperature", meta: metaOf(rl.temperature) },
      { path: "rl.topP", label: "Rollout top-p", meta: metaOf(rl.topP) },
      { path: "rl.maxPromptTokens", label: "Max prompt tokens", meta: metaOf(rl.maxPromptTokens) },
      { path: "rl.maxResponseTokens", label: "Max response tokens", meta: metaOf(rl.maxResponseTokens) },
      { path: "rl.lossAgg", label: "Loss aggregation", meta: metaOf(rl.lossAgg) },
    ],
  },
  {
    title: "Warm start",
    description: "Supervised steps so a fresh tiny model can emit \\boxed{…} answers before RL.",
    when: training,
    fields: [
      { path: "warmStart.sftSteps", label: "Supervised steps", meta: metaOf(ws.sftSteps) },
      { path: "warmStart.lr", label: "Learning rate", meta: metaOf(ws.lr) },
      { path: "warmStart.batchSize", label: "Batch size", meta: metaOf(ws.batchSize) },
    ],
  },
  {
    title: "Schedule",
    description: "Evaluation, per-layer entropy probes, checkpoints and logging cadence.",
    when: training,
    fields: [
      { path: "schedule.evalEvery", label: "Evaluate every N steps", meta: metaOf(sch.evalEvery) },
      { path: "schedule.evalSamples", label: "Samples per eval prompt (k)", meta: metaOf(sch.evalSamples) },
      { path: "schedule.evalPrompts", label: "Held-out prompts", meta: metaOf(sch.evalPrompts) },
      {
        path: "schedule.entropyEvery",
        label: "Per-layer entropy every N steps",
        meta: metaOf(sch.entropyEvery),
      },
      {
        path: "schedule.checkpointEvery",
        label: "Checkpoint every N steps",
        meta: metaOf(sch.checkpointEvery),
      },
      { path: "schedule.logEvery", label: "Report metrics every N steps", meta: metaOf(sch.logEvery) },
    ],
  },
  {
    title: "Analysis",
    description: "Internal-policy entropy probe of the model on a sample of prompts and its own answers.",
    when: (c) => c.kind === "analysis",
    fields: [
      { path: "analysis.sampleSize", label: "Samples", meta: metaOf(an.sampleSize) },
      { path: "analysis.lens", label: "Lens", meta: metaOf(an.lens) },
      { path: "analysis.temperature", label: "Sampling temperature", meta: metaOf(an.temperature) },
      {
        path: "analysis.maxResponseTokens",
        label: "Max response tokens",
        meta: metaOf(an.maxResponseTokens),
      },
    ],
  },
];

export function getPath(obj: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

export function setPath<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split(".");
  const o = (obj ?? {}) as Record<string, unknown>;
  return { ...o, [head!]: rest.length ? setPath(o[head!], rest.join("."), value) : value } as T;
}
