/**
 * Entropy-analysis jobs (run kind "analysis"): probe a model's internal policies on a sample of prompts and
 * responses through src/probe, then report the validated `AnalysisResult` once — as the `analysis` event and as
 * `outDir/analysis.json`. An aborted signal stops the job between stages ("stopped", nothing emitted).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { toAnalysisConfig } from "@bupo/shared";
import type { RunFiles } from "../files/run-files.ts";
import { runEntropyAnalysis } from "../probe/run-analysis.ts";
import type { JobContext } from "./job-manager.ts";

export const ANALYSIS_FILE = "analysis.json";

export async function runAnalysisJob(
  ctx: JobContext,
  outDir: string,
  files: RunFiles,
): Promise<"succeeded" | "stopped"> {
  if (ctx.signal.aborted) return "stopped";
  let result: Awaited<ReturnType<typeof runEntropyAnalysis>>;
  try {
    result = await runEntropyAnalysis(toAnalysisConfig(ctx.config), {
      signal: ctx.signal,
      files,
      log: (message) => ctx.emit({ type: "log", level: "info", message }),
    });
  } catch (e) {
    if (ctx.signal.aborted) return "stopped";
    throw e;
  }
  if (ctx.signal.aborted) return "stopped";
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, ANALYSIS_FILE), `${JSON.stringify(result, null, 2)}\n`);
  ctx.emit({ type: "analysis", result });
  return "succeeded";
}
