import type { StepMetrics } from "@bupo/shared/metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toMetricRow } from "../src/server/services/run-metrics-service.ts";
import { layerMatrix, metricSeries } from "../src/server/services/run-series-service.ts";
import { openHarness } from "./harness.ts";

// Server-side downsampling against the real database: min/max per bucket keep every spike.
let h: Awaited<ReturnType<typeof openHarness>>;
let runId = "";
const STEPS = 1000;

function metrics(step: number): StepMetrics {
  const spike = step === 637 ? 50 : 0;
  return {
    step,
    "bupo/phase": step <= 30 ? 1 : 2,
    "actor/entropy": 2 - step / STEPS,
    "actor/pg_loss": spike,
    "actor/pg_clipfrac": 0,
    "actor/pg_clipfrac_lower": 0,
    "actor/ppo_kl": 0,
    "actor/grad_norm": 1,
    "actor/lr": 1e-4,
    "critic/score/mean": step / STEPS,
    "critic/score/max": 1,
    "critic/score/min": 0,
    "response_length/mean": 10,
    "response_length/max": 10,
    "response_length/min": 10,
    "response_length/clip_ratio": 0,
    frac_reward_zero_std: 0,
    "perf/throughput": 100,
    "perf/time_per_step": 1,
    ...(step % 100 === 0 ? { "timing_s/gen": step } : {}),
    ...(step % 10 === 0
      ? {
          layers: {
            lens: "raw" as const,
            numTokens: 4,
            layer: { input: [3, 2], output: [2, step / STEPS], change: [-1, 0] },
            attn: { input: [1, 1], output: [1, 1], change: [0, 0] },
            ffn: { input: [1, 1], output: [1, 1], change: [0, 0] },
          },
        }
      : {}),
  };
}

beforeAll(async () => {
  h = await openHarness();
  const owner = await h.user("Series");
  const team = await owner.api((a) => a.team.create({ name: "Series" }));
  const run = await h.db.prisma.run.create({
    data: {
      teamId: team.id,
      creatorId: owner.user.id,
      name: "s",
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config: {},
      totalSteps: STEPS,
    },
  });
  runId = run.id;
  await h.db.prisma.runMetric.createMany({
    data: Array.from({ length: STEPS }, (_, i) => toMetricRow(runId, metrics(i + 1))),
  });
});
afterAll(() => h.db.drop());

describe("metric series downsampling", () => {
  it("buckets the whole run and keeps the spike in the bucket max", async () => {
    const { range, series } = await metricSeries(
      h.db.prisma,
      runId,
      ["actor/pg_loss", "critic/score/mean"],
      null,
      100,
    );
    expect(range).toEqual({ from: 1, to: STEPS });
    const loss = series[0]!;
    expect(loss.step).toHaveLength(100);
    expect(Math.max(...loss.max)).toBe(50);
    expect(Math.max(...loss.mean)).toBeCloseTo(5, 5); // one spike of 50 in a bucket of 10 steps
    const score = series[1]!;
    expect(score.step.at(-1)).toBe(STEPS);
    expect(score.max.at(-1)).toBeCloseTo(1, 5);
    expect(score.min[0]).toBeCloseTo(0.001, 5);
  });

  it("re-queries a zoomed range at full resolution", async () => {
    const { series } = await metricSeries(h.db.prisma, runId, ["actor/pg_loss"], { from: 630, to: 640 }, 100);
    expect(series[0]!.step).toEqual([630, 631, 632, 633, 634, 635, 636, 637, 638, 639, 640]);
    expect(series[0]!.max[7]).toBe(50);
  });

  it("skips steps where a metric was not reported, and returns no series for unknown keys", async () => {
    const { series } = await metricSeries(h.db.prisma, runId, ["timing_s/gen", "not/a/metric"], null, 1000);
    expect(series[0]!.step).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(series[0]!.mean).toEqual(series[0]!.step);
    expect(series[1]!.step).toEqual([]);
  });

  it("builds the layer × step matrix from measured steps only", async () => {
    const m = await layerMatrix(h.db.prisma, runId, "layerEntropy", null, 50);
    expect(m.values).toHaveLength(3); // L + 1 rows
    expect(m.steps.every((s) => s % 10 === 0)).toBe(true);
    expect(m.steps.length).toBeLessThanOrEqual(50);
    expect(m.values[2]!.at(-1)).toBeCloseTo(1, 5);
  });
});
