/**
 * The demo team's first runs (issue 12): on a first start the local trainer computes, in the background, a
 * Qwen-style vs Llama-style entropy-analysis comparison (same data, seed and lens) and a BuPO/GRPO pair on a
 * built-in task, so a newcomer has finished runs to open. Nothing is invented: they are real runs, validated
 * by the shared RunConfigSchema, checked for the team and queued through the same path as a user launch, with
 * the demo user as creator. They carry the `demo` tag and a "Demo · " name prefix; a team that already has a
 * demo run gets none again.
 */
import type { PrismaClient } from "@bupo/db/client";
import { CompareModelsSchema, comparisonRunConfigs, comparisonTag } from "@bupo/shared/compare-models";
import { DEMO_NAME_PREFIX, DEMO_RUN_TAG } from "@bupo/shared/demo-runs";
import { type RunConfig, type RunConfigInput, RunConfigSchema } from "@bupo/shared/run-config";
import type { RunRuntime } from "../runtime.ts";
import type { TeamAccess } from "./membership-service.ts";
import { createRuns } from "./run-service.ts";
import { type CheckedRunConfig, checkRunSources } from "./run-sources.ts";

/** The demo comparison's tag, so it opens and shares like any "Compare models" launch. */
const DEMO_COMPARISON_TAG = comparisonTag("demo-qwen-vs-llama");

/** Qwen-style vs Llama-style presets (small, 4 layers), the same task, samples, seed and lens. */
function analysisPair(): RunConfigInput[] {
  const comparison = CompareModelsSchema.parse({
    name: `${DEMO_NAME_PREFIX}Qwen vs Llama`,
    models: [
      { source: "preset", family: "qwen3", preset: "small" },
      { source: "preset", family: "llama", preset: "small" },
    ],
    task: { source: "builtin", name: "sorting", difficulty: 1 },
    seed: 7,
  });
  return comparisonRunConfigs(comparison, DEMO_COMPARISON_TAG, (m) =>
    m.source === "preset" ? `${m.family}-${m.preset}` : m.source,
  ).map((c) => ({ ...c, tags: [...(c.tags ?? []), DEMO_RUN_TAG] }));
}

/**
 * BuPO and GRPO on the tiny Qwen-style preset and the sorting task, otherwise identical: a 60-step warm start
 * and 40 RL steps (≈ 40 s per run on a quiet 2-core box, the budget of the trainer's end-to-end test); BuPO
 * optimizes layer 1 of 4 for the first 6 steps (spec §7's low layer for Qwen, scaled to 4 layers).
 */
function trainingPair(): RunConfigInput[] {
  const shared = {
    kind: "train",
    seed: 1,
    model: { source: "preset", family: "qwen3", preset: "tiny" },
    task: { source: "builtin", name: "sorting", difficulty: 1 },
    warmStart: { sftSteps: 60, batchSize: 32, lr: 1e-3 },
    rl: {
      totalSteps: 40,
      iterativeSteps: 6,
      internalLayer: 0,
      promptsPerStep: 4,
      groupSize: 8,
      miniBatches: 2,
      lr: 1e-4,
      maxPromptTokens: 16,
      maxResponseTokens: 16,
    },
    schedule: { evalEvery: 10, evalPrompts: 32, evalSamples: 4, checkpointEvery: 0, entropyEvery: 5 },
    tags: [DEMO_RUN_TAG],
  } as const satisfies RunConfigInput;
  return [
    { ...shared, algorithm: "bupo", name: `${DEMO_NAME_PREFIX}BuPO · qwen3-tiny · sorting` },
    { ...shared, algorithm: "grpo", name: `${DEMO_NAME_PREFIX}GRPO · qwen3-tiny · sorting` },
  ];
}

/** The demo runs' configs, parsed by the shared schema (throws if a default ever makes one invalid). */
export function demoRunConfigs(): RunConfig[] {
  return [...analysisPair(), ...trainingPair()].map((c) => RunConfigSchema.parse(c));
}

/**
 * Queues the demo runs for the team once: nothing when the team already holds a demo run. Returns the runs
 * created (none on a later start).
 */
export async function seedDemoRuns(prisma: PrismaClient, runtime: RunRuntime, access: TeamAccess) {
  const existing = await prisma.run.count({ where: { teamId: access.teamId, tags: { has: DEMO_RUN_TAG } } });
  if (existing > 0) return [];
  const configs: CheckedRunConfig[] = [];
  for (const config of demoRunConfigs()) configs.push(await checkRunSources(prisma, runtime, access, config));
  return createRuns(prisma, runtime, access, configs);
}
