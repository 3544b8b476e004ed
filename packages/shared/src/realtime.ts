/**
 * Browser ⇄ web Socket.IO contract (default namespace). Rooms: `run:<id>`, `team:<id>`; joining checks the
 * same access as reading the run over tRPC. On (re)join a client states the last step it has and receives
 * what it missed (`run:metrics` batches), then live updates; clients drop steps they already hold.
 */
import { z } from "zod";
import type { AnalysisResult } from "./analysis-result.ts";
import { IdSchema } from "./auth.ts";
import type { EvalMetrics, StepMetrics } from "./metrics.ts";
import type { RunStatus } from "./trainer-protocol.ts";

export const JoinRunInputSchema = z.object({
  runId: IdSchema,
  /** Highest step the client already has (0 = none); the server sends every later step. */
  afterStep: z.int().min(0).default(0),
});
export type JoinRunInput = z.input<typeof JoinRunInputSchema>;
export const JoinTeamInputSchema = z.object({ teamId: IdSchema });

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface RunMetricsPayload {
  runId: string;
  metrics: StepMetrics[];
}
export interface RunStatusPayload {
  runId: string;
  status: RunStatus;
  message: string | null;
  lastStep: number;
  at: string;
}
export interface RunLogPayload {
  runId: string;
  /** Ordered by (attempt, seq); `${attempt}:${seq}` identifies a line. */
  lines: { attempt: number; seq: number; level: string; message: string; at: string }[];
}
export interface RunEvalPayload {
  runId: string;
  evals: EvalMetrics[];
}

export interface RunAnalysisPayload {
  runId: string;
  result: AnalysisResult;
}

export interface ServerToClientEvents {
  "run:analysis": (p: RunAnalysisPayload) => void;
  "run:metrics": (p: RunMetricsPayload) => void;
  "run:status": (p: RunStatusPayload) => void;
  "run:log": (p: RunLogPayload) => void;
  "run:eval": (p: RunEvalPayload) => void;
}

export interface ClientToServerEvents {
  "run:join": (input: JoinRunInput, ack: (r: Ack<{ lastStep: number; status: RunStatus }>) => void) => void;
  "run:leave": (input: { runId: string }) => void;
  "team:join": (input: { teamId: string }, ack: (r: Ack<null>) => void) => void;
}
