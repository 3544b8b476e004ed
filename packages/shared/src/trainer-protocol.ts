/**
 * Web ⇄ trainer protocol. Web → trainer: tRPC calls to the trainer's service (start / cancel / state /
 * capabilities). Trainer → web: report batches over the Socket.IO namespace `/trainer`, each acknowledged;
 * every event carries a per-run sequence number, so delivery is at-least-once and web writes are idempotent
 * (metrics keyed by (run, step), logs by (run, seq), evals by (run, step, dataSource)).
 */
import { z } from "zod";
import { AnalysisResultSchema } from "./analysis-result.ts";
import { EvalMetricsSchema, StepMetricsSchema } from "./metrics.ts";
import { RunConfigSchema } from "./run-config.ts";

export const TRAINER_NAMESPACE = "/trainer";
export const MAX_EVENTS_PER_REPORT = 500;

const RunIdSchema = z.string().min(1).max(64);
const SeqSchema = z.int().min(1);

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const TERMINAL_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];

/** `attempt` counts starts of a run (a resume on another trainer is a new attempt); seq restarts per attempt. */
const AttemptSchema = z.int().min(0).max(1000);
const base = { runId: RunIdSchema, attempt: AttemptSchema, seq: SeqSchema, at: z.iso.datetime() };

export const TrainerEventSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("metrics"), metrics: StepMetricsSchema }),
  z.object({ ...base, type: z.literal("eval"), eval: EvalMetricsSchema }),
  z.object({
    ...base,
    type: z.literal("status"),
    status: RunStatusSchema.exclude(["queued"]),
    message: z.string().max(2000).optional(),
  }),
  z.object({
    ...base,
    type: z.literal("log"),
    level: z.enum(["debug", "info", "warn", "error"]),
    message: z.string().max(4000),
  }),
  z.object({ ...base, type: z.literal("checkpoint"), step: z.int().min(0), path: z.string().max(1000) }),
  z.object({ ...base, type: z.literal("analysis"), result: AnalysisResultSchema }),
]);
export type TrainerEvent = z.infer<typeof TrainerEventSchema>;
/** An event before the outbox numbers and timestamps it. */
export type TrainerEventBody = TrainerEvent extends infer E
  ? E extends unknown
    ? Omit<E, "runId" | "attempt" | "seq" | "at">
    : never
  : never;

export const ReportBatchSchema = z.object({
  events: z.array(TrainerEventSchema).min(1).max(MAX_EVENTS_PER_REPORT),
});
export type ReportBatch = z.infer<typeof ReportBatchSchema>;

/** `retryable: false` = the batch itself is bad (malformed, foreign runs): resending cannot help. */
export type ReportAck = { ok: true; stored: number } | { ok: false; error: string; retryable: boolean };

export const HeartbeatSchema = z.object({
  runs: z.array(z.object({ runId: RunIdSchema, lastStep: z.int().min(0) })).max(256),
  freeSlots: z.int().min(0),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

/** Trainer namespace events (trainer → web), with acknowledgements. */
export interface TrainerToWebEvents {
  "trainer:report": (batch: ReportBatch, ack: (r: ReportAck) => void) => void;
  "trainer:heartbeat": (hb: Heartbeat) => void;
}

// ---- web → trainer (tRPC inputs) ---------------------------------------------------------------
export const StartJobInputSchema = z.object({
  runId: RunIdSchema,
  attempt: AttemptSchema,
  config: RunConfigSchema,
  /** Checkpoint folder to resume from (on storage this trainer can read). */
  resumeFrom: z.string().max(1000).optional(),
});
export type StartJobInput = z.input<typeof StartJobInputSchema>;

export const JobRefSchema = z.object({ runId: RunIdSchema });

export const CapabilitiesSchema = z.object({
  trainerId: z.string(),
  version: z.string(),
  backend: z.string(),
  threads: z.int(),
  nativeKernels: z.boolean(),
  /** The OpenBLAS addon on the wasm backend: active, its core type and threads, or why it is off. */
  native: z
    .object({
      active: z.boolean(),
      coreType: z.string().optional(),
      blasThreads: z.int().optional(),
      reason: z.string().optional(),
      /** Kernel names the addon registered. */
      kernels: z.array(z.string()),
    })
    .optional(),
  /** The GPU adapter of the webgpu backend: vendor, device, limits (WebGPU reports no memory size). */
  gpu: z
    .object({
      vendor: z.string(),
      architecture: z.string(),
      device: z.string(),
      description: z.string(),
      software: z.boolean(),
      maxStorageBufferBindingSize: z.number(),
      maxBufferSize: z.number(),
      maxStorageBuffersPerShaderStage: z.int(),
      memoryBytes: z.number().optional(),
    })
    .optional(),
  slots: z.int(),
  freeSlots: z.int(),
  runningJobs: z.array(z.string()),
  modelPresets: z.array(z.string()),
  tasks: z.array(z.string()),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;
