import type { JobContext } from "./job-manager.ts";

/** Entropy-analysis jobs: probe a model's internal policies on a sample of prompts and its own answers. */
export async function runAnalysisJob(ctx: JobContext, _outDir: string): Promise<"succeeded" | "stopped"> {
  throw new Error(`analysis runs are not served by this trainer version (run ${ctx.runId})`);
}
