/**
 * Web ⇄ trainer protocol. Web → trainer: tRPC calls to the trainer's service (start / cancel / state /
 * capabilities). Trainer → web: report batches over the Socket.IO namespace `/trainer`, each acknowledged;
 * every event carries a per-run sequence number, so delivery is at-least-once and web writes are idempotent
 * (metrics keyed by (run, step), logs by (run, seq), evals by (run, step, dataSource)).
 */
import { z } from "zod";
import { AnalysisResultSchema } from "./analysis-result.ts";
import { EvalMetricsSchema, MAX_STEP, StepMetricsSchema } from "./metrics.ts";
import { RunConfigSchema } from "./run-config.ts";

export const TRAINER_NAMESPACE = "/trainer";
export const MAX_EVENTS_PER_REPORT = 500;

const RunIdSchema = z.string().min(1).max(64);
/** PostgreSQL int4: a number stored in an Int column is bounded here, so it is refused as invalid data. */
const INT4_MAX = 2_147_483_647;
const SeqSchema = z.int().min(1).max(INT4_MAX);
const StepSchema = z.int().min(0).max(MAX_STEP);

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
  z.object({ ...base, type: z.literal("checkpoint"), step: StepSchema, path: z.string().max(1000) }),
  z.object({ ...base, type: z.literal("analysis"), result: AnalysisResultSchema }),
]);
export type TrainerEvent = z.infer<typeof TrainerEventSchema>;
/** An event before the outbox numbers and timestamps it. */
export type TrainerEventBody = TrainerEvent extends infer E
  ? E extends unknown
    ? Omit<E, "runId" | "attempt" | "seq" | "at">
    : never
  : never;

export interface ReportBatch {
  events: TrainerEvent[];
}
/** A report's envelope; each event is validated on its own, so one invalid event never blocks the others. */
export const ReportEnvelopeSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REPORT),
});

/**
 * `ok: true`: every event is settled: `stored` new rows, `rejected` events refused for good (invalid, or
 * not for a current attempt this trainer runs); the sender drops them all. `ok: false` with `retryable:
 * false`: the report itself is bad, resending cannot help; `retryable: true`: storage failed, resend later.
 */
export type ReportAck =
  | { ok: true; stored: number; rejected: number }
  | { ok: false; error: string; retryable: boolean };

const AttemptRefSchema = z.object({ runId: RunIdSchema, attempt: AttemptSchema });
/** One attempt of one run as a single string (how the web stores a heartbeat's list). */
export const attemptKey = (runId: string, attempt: number) => `${runId}#${attempt}`;
/**
 * Sent every `heartbeatSeconds` (given at enrollment): the attempts the trainer runs, and those whose
 * reports are still in its outbox. A RUNNING attempt in neither list is no longer on this trainer.
 */
export const HeartbeatSchema = z.object({
  runs: z.array(AttemptRefSchema.extend({ lastStep: StepSchema })).max(256),
  reporting: z.array(AttemptRefSchema).max(1024),
  freeSlots: z.int().min(0).max(64),
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

/** A trainer's id: the URL the web reaches it at (TRAINER_URLS). */
export const TrainerIdSchema = z.url({ protocol: /^https?$/ }).max(200);

/**
 * Enrollment (web → trainer, over the shared-token tRPC API): the web names the trainer by the URL it called
 * and hands it a fresh credential bound to that id; the trainer presents both in its `/trainer` handshake.
 * The web keeps only the credential's hash, so only the trainer at that URL can report as that id.
 */
export const EnrollInputSchema = z.object({
  trainerId: TrainerIdSchema,
  credential: z.string().min(32).max(128),
  heartbeatSeconds: z.number().min(0.2).max(60),
});
export type EnrollInput = z.infer<typeof EnrollInputSchema>;

/** The `/trainer` handshake's `auth`: shared token, the enrolled id, and its credential (absent before enrollment). */
export const TrainerHandshakeSchema = z.object({
  token: z.string().max(512),
  trainerId: TrainerIdSchema,
  credential: z.string().max(128).optional(),
});

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
