import type { RunStatusPayload } from "@bupo/shared/realtime";
import type { LogitLensInputSchema, LogitLensResult } from "@bupo/shared/run-queries";
import type { z } from "zod";
import type { LiveSockets } from "./realtime/live-sockets.ts";
import type { TrainerLibraries } from "./services/trainer-libraries.ts";

/**
 * What request handlers need from the long-lived server process (scheduler, trainers, sockets). server.ts
 * builds it; Next's route bundles reach it through globalThis (they are bundled apart from server.ts).
 */
export interface RunRuntime {
  enqueue(runId: string): Promise<void>;
  /** Asks the run's trainer to stop it; false when the trainer does not run it or cannot be reached. */
  cancelOnTrainer(trainerId: string, runId: string): Promise<boolean>;
  publishStatus(p: RunStatusPayload): void;
  /** Logit lens of a run's checkpoint, computed by the trainer that holds the run's folder. */
  logitLens(trainerId: string, input: z.output<typeof LogitLensInputSchema>): Promise<LogitLensResult>;
  /** The model and dataset libraries of the configured trainers. */
  library: TrainerLibraries;
  /** Browser sockets, which follow sign-outs, revocations and membership changes. */
  sockets: LiveSockets;
}

const globalForRuntime = globalThis as unknown as { __bupoRuntime?: RunRuntime };

export function setRunRuntime(runtime: RunRuntime): void {
  globalForRuntime.__bupoRuntime = runtime;
}

export function getRunRuntime(): RunRuntime | undefined {
  return globalForRuntime.__bupoRuntime;
}
