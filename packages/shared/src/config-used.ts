/**
 * The part of a run config its kind uses: an analysis run reads its model, task, seed and analysis options,
 * never the RL, warm-start or schedule settings (which keep their defaults in the stored config). Shown by
 * the run page's config panel and compared by the compare view, so analysis runs show no RL settings.
 */
import type { RunConfig } from "./run-config.ts";

export function configUsedBy(config: RunConfig): Partial<RunConfig> {
  if (config.kind === "train") return config;
  const { kind, name, tags, model, task, seed, analysis } = config;
  return { kind, name, tags, model, task, seed, analysis };
}
