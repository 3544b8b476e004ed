/**
 * Runs jobs in a fixed number of slots. A job is one attempt of one run; starting the same attempt twice is
 * a no-op (the web may retry a start it did not hear back from), so a run is started at most once here.
 * Every state change goes through the outbox, so the web learns it even across disconnects.
 */
import type { RunConfig } from "@bupo/shared/run-config";
import type { StartJobInputSchema, TrainerEventBody } from "@bupo/shared/trainer-protocol";
import type { z } from "zod";
import type { Outbox } from "./outbox.ts";

export type StopReason = "cancel" | "shutdown";

export interface JobContext {
  runId: string;
  attempt: number;
  config: RunConfig;
  resumeFrom?: string;
  /** Aborted with a StopReason: on "cancel" stop; on "shutdown" checkpoint, then stop. */
  signal: AbortSignal;
  emit(body: TrainerEventBody): void;
}

/** Runs one job to its end: "succeeded", or "stopped" after honouring the signal. Throws on failure. */
export type JobRunner = (ctx: JobContext) => Promise<"succeeded" | "stopped">;

interface Job {
  runId: string;
  attempt: number;
  controller: AbortController;
  lastStep: number;
  done: Promise<void>;
}

export class NoFreeSlotError extends Error {}

export interface JobLogger {
  info(obj: object, msg: string): void;
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly slots: number,
    private readonly runner: JobRunner,
    private readonly outbox: Outbox,
    private readonly logger?: JobLogger,
  ) {}

  get freeSlots(): number {
    return Math.max(0, this.slots - this.jobs.size);
  }

  running(): { runId: string; attempt: number; lastStep: number }[] {
    return [...this.jobs.values()].map(({ runId, attempt, lastStep }) => ({ runId, attempt, lastStep }));
  }

  start(input: z.output<typeof StartJobInputSchema>): { started: boolean } {
    const existing = this.jobs.get(input.runId);
    if (existing?.attempt === input.attempt) return { started: false };
    if (existing || this.jobs.size >= this.slots) {
      throw new NoFreeSlotError(`no free slot (${this.jobs.size}/${this.slots} busy)`);
    }
    const controller = new AbortController();
    const job: Job = {
      runId: input.runId,
      attempt: input.attempt,
      controller,
      lastStep: 0,
      done: Promise.resolve(),
    };
    const emit = (body: TrainerEventBody) => {
      if (body.type === "metrics") job.lastStep = Math.max(job.lastStep, body.metrics.step);
      this.outbox.append(input.runId, input.attempt, body);
    };
    this.jobs.set(input.runId, job);
    this.logger?.info(
      { runId: input.runId, attempt: input.attempt, resumeFrom: input.resumeFrom },
      "job started",
    );
    emit({ type: "status", status: "running" });
    job.done = (async () => {
      try {
        const outcome = await this.runner({
          runId: input.runId,
          attempt: input.attempt,
          config: input.config,
          resumeFrom: input.resumeFrom,
          signal: controller.signal,
          emit,
        });
        if (outcome === "succeeded") emit({ type: "status", status: "succeeded" });
        else if (controller.signal.reason === "cancel")
          emit({ type: "status", status: "cancelled", message: "Cancelled by a user." });
        else
          emit({
            type: "log",
            level: "warn",
            message: "Trainer shut down; the run can resume from its last checkpoint.",
          });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        emit({ type: "log", level: "error", message });
        emit({ type: "status", status: "failed", message });
      } finally {
        this.jobs.delete(input.runId);
        this.logger?.info({ runId: input.runId, attempt: input.attempt }, "job ended");
      }
    })();
    return { started: true };
  }

  /** Asks a job to stop; false when this trainer does not run it. */
  cancel(runId: string): boolean {
    const job = this.jobs.get(runId);
    if (!job) return false;
    job.controller.abort("cancel" satisfies StopReason);
    return true;
  }

  /** Stops every job (they checkpoint first) and waits for them. */
  async shutdown(): Promise<void> {
    const all = [...this.jobs.values()];
    for (const j of all) j.controller.abort("shutdown" satisfies StopReason);
    await Promise.all(all.map((j) => j.done));
  }
}
