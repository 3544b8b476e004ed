/**
 * The service's JobRunner: a train run goes through the training engine (src/train), an analysis run
 * through the internal-policy probe; their events become outbox events for the web app.
 */
import type { RunFiles } from "../files/run-files.ts";
import { runTraining } from "../train/trainer.ts";
import { runAnalysisJob } from "./analysis-runner.ts";
import type { JobContext, JobRunner } from "./job-manager.ts";

/**
 * `runsDir/<runId>` holds a run's metrics JSONL and checkpoints (shared storage lets another trainer resume).
 * The files a config names are opened through `files` only, inside the trainer's roots.
 */
export function createJobRunner(files: RunFiles): JobRunner {
  return async (ctx: JobContext) => {
    const outDir = files.runOutDir(ctx.runId);
    if (ctx.config.kind === "analysis") return runAnalysisJob(ctx, outDir, files);
    const resumeFrom = ctx.resumeFrom ? await files.runFolderPath(ctx.runId, ctx.resumeFrom) : undefined;
    const summary = await runTraining(
      ctx.config,
      { outDir, signal: ctx.signal, resumeFrom, checkpointOnCancel: true, files },
      {
        step: ({ metrics }) => ctx.emit({ type: "metrics", metrics }),
        eval: (m) => ctx.emit({ type: "eval", eval: m }),
        log: (l) => ctx.emit({ type: "log", level: l.level, message: l.message }),
        warmstart: (w) =>
          ctx.emit({
            type: "log",
            level: "info",
            message: `warm start ${w.step}/${w.totalSteps}: loss ${w.loss.toFixed(4)}, grad norm ${w.gradNorm.toFixed(3)}`,
          }),
        phase: (p) =>
          ctx.emit({
            type: "log",
            level: "info",
            message:
              p.phase === 1
                ? `BuPO phase 1 from step ${p.step}: optimising the internal policy of layer k=${p.internalLayer}`
                : `Phase 2 from step ${p.step}: optimising the full policy`,
          }),
        checkpoint: (c) => ctx.emit({ type: "checkpoint", step: c.step, path: c.path }),
      },
    );
    return summary.status === "completed" ? "succeeded" : "stopped";
  };
}
