/** Inputs of the run-reading API (runs list, chart series, per-layer views, compare, share links). */
import { z } from "zod";
import { IdSchema as Id } from "./auth.ts";
import { plainText } from "./schema-helpers.ts";
import { RUN_STATUSES } from "./trainer-protocol.ts";

export const RUN_SORTS = ["created", "name", "status", "progress"] as const;
export const ListRunsInputSchema = z.object({
  teamId: Id,
  status: z.enum(RUN_STATUSES).optional(),
  algorithm: z.enum(["bupo", "grpo"]).optional(),
  family: z.enum(["qwen3", "qwen2", "llama"]).optional(),
  kind: z.enum(["train", "analysis"]).optional(),
  tag: plainText(z.string().max(32, "tag must be at most 32 characters")).optional(),
  search: plainText(z.string().max(100, "search must be at most 100 characters")).optional(),
  sort: z.enum(RUN_SORTS).default("created"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.int("page must be a whole number").min(1, "page must be at least 1").max(10_000).default(1),
  pageSize: z
    .int()
    .min(1, "pageSize must be between 1 and 100")
    .max(100, "pageSize must be between 1 and 100")
    .default(20),
});
export type ListRunsInput = z.input<typeof ListRunsInputSchema>;

export const RunIdInputSchema = z.object({ runId: Id });

export const StepRangeSchema = z
  .object({ from: z.int().min(0, "from must be ≥ 0"), to: z.int().min(0, "to must be ≥ 0") })
  .refine((r) => r.from <= r.to, { message: "from must be ≤ to", path: ["from"] });

export const MAX_SERIES_KEYS = 16;
export const SeriesInputSchema = z.object({
  runId: Id,
  keys: z
    .array(plainText(z.string().min(1).max(64)))
    .min(1, "keys must name at least one metric")
    .max(MAX_SERIES_KEYS, `keys must name at most ${MAX_SERIES_KEYS} metrics`),
  range: StepRangeSchema.nullish(),
  buckets: z
    .int()
    .min(10, "buckets must be between 10 and 4000")
    .max(4000, "buckets must be between 10 and 4000")
    .default(1000),
});

export const LayerMatrixInputSchema = z.object({
  runId: Id,
  field: z.enum(["layerEntropy", "attnEntropyDelta", "ffnEntropyDelta"]).default("layerEntropy"),
  range: StepRangeSchema.nullish(),
  buckets: z
    .int()
    .min(10, "buckets must be between 10 and 1000")
    .max(1000, "buckets must be between 10 and 1000")
    .default(200),
});

export const LayerProfileInputSchema = z.object({ runId: Id, step: z.int().min(0).optional() });

export const CompareInputSchema = z.object({
  runIds: z.array(Id).min(1, "pick at least one run").max(8, "compare at most 8 runs"),
});

// ---- share links ------------------------------------------------------------------------------
export const SHARE_TTL_HOURS = { min: 1, max: 24 * 365 } as const;
export const CreateShareInputSchema = z.object({
  teamId: Id,
  runIds: z.array(Id).min(1, "share at least one run").max(8, "share at most 8 runs"),
  /** Unset = never expires (until revoked). */
  expiresInHours: z
    .int("expiresInHours must be a whole number")
    .min(
      SHARE_TTL_HOURS.min,
      `expiresInHours must be between ${SHARE_TTL_HOURS.min} and ${SHARE_TTL_HOURS.max}`,
    )
    .max(
      SHARE_TTL_HOURS.max,
      `expiresInHours must be between ${SHARE_TTL_HOURS.min} and ${SHARE_TTL_HOURS.max}`,
    )
    .optional(),
});
export const ShareIdInputSchema = z.object({ teamId: Id, shareId: Id });
export const ShareTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "share link token is malformed");
export const ShareTokenInputSchema = z.object({ token: ShareTokenSchema });
/** A run read through a share link; the run-reading inputs above add their own fields to it. */
export const SharedRunInputSchema = z.object({ token: ShareTokenSchema, runId: Id });

export const LogitLensInputSchema = z.object({
  runId: Id,
  /** Checkpoint step (latest at or before it); latest when unset. */
  step: z.int().min(0).optional(),
  lens: z.enum(["raw", "normed"]).default("raw"),
  topK: z.int().min(1, "topK must be between 1 and 10").max(10, "topK must be between 1 and 10").default(5),
});
export type LogitLensInput = z.input<typeof LogitLensInputSchema>;

/** A logit-lens grid for one sampled answer: rows = residual stream after 0..L layers, columns = positions. */
export interface LogitLensResult {
  step: number;
  prompt: string;
  answer: string;
  /** Input token at each shown position (the grid's column labels). */
  positionTokens: string[];
  rows: { tokens: string[]; probs: number[]; entropy: number }[][];
  lens: "raw" | "normed";
}
