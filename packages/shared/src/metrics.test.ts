import { describe, expect, it } from "vitest";
import { AnalysisConfigSchema, toAnalysisConfig } from "./analysis-config.ts";
import { EvalMetricsSchema, evalMetricKeys, StepMetricsSchema } from "./metrics.ts";
import { defaultRunConfig } from "./run-config.ts";

const step = {
  step: 3,
  "bupo/phase": 1,
  "bupo/internal_layer": 0,
  "actor/entropy": 1.2,
  "actor/pg_loss": -0.01,
  "actor/pg_clipfrac": 0,
  "actor/pg_clipfrac_lower": 0,
  "actor/ppo_kl": 0,
  "actor/grad_norm": 0.4,
  "actor/lr": 1e-4,
  "critic/score/mean": 0.25,
  "critic/score/max": 1,
  "critic/score/min": 0,
  "response_length/mean": 12,
  "response_length/max": 20,
  "response_length/min": 9,
  "response_length/clip_ratio": 0,
  frac_reward_zero_std: 0.5,
  "perf/throughput": 900,
  "perf/time_per_step": 1.5,
};

describe("metrics schemas", () => {
  it("accepts a verl-named step record with per-layer arrays", () => {
    const layers = { input: [3, 2], output: [2, 1], change: [-1, -1] };
    const parsed = StepMetricsSchema.parse({
      ...step,
      layers: { lens: "raw", numTokens: 40, layer: layers, attn: layers, ffn: layers },
    });
    expect(parsed["bupo/phase"]).toBe(1);
    expect(parsed.layers?.ffn.change).toEqual([-1, -1]);
  });

  it("accepts optional representation similarity (cosine, CKA per depth) and refuses ragged or out-of-range values", () => {
    const layers = { input: [3, 2], output: [2, 1], change: [-1, -1] };
    const record = { lens: "raw", numTokens: 40, layer: layers, attn: layers, ffn: layers };
    const similarity = { numTokens: 40, cosine: [0.1, 0.5, 1], cka: [0.2, 0.7, 1] };
    expect(
      StepMetricsSchema.parse({ ...step, layers: { ...record, similarity } }).layers?.similarity,
    ).toEqual(similarity);
    for (const bad of [
      { ...similarity, cka: [0.2, 1] },
      { ...similarity, cka: [0.2, 0.7, 1.5] },
      { ...similarity, cosine: [-2, 0.5, 1] },
      { ...similarity, numTokens: 0 },
    ])
      expect(StepMetricsSchema.safeParse({ ...step, layers: { ...record, similarity: bad } }).success).toBe(
        false,
      );
  });

  it("rejects a clip fraction above 1, an unknown phase and ragged layer arrays", () => {
    expect(StepMetricsSchema.safeParse({ ...step, "actor/pg_clipfrac": 1.5 }).success).toBe(false);
    expect(StepMetricsSchema.safeParse({ ...step, "bupo/phase": 3 }).success).toBe(false);
    const ragged = { input: [1, 2], output: [1], change: [0] };
    const layers = { lens: "raw", numTokens: 1, layer: ragged, attn: ragged, ffn: ragged };
    expect(StepMetricsSchema.safeParse({ ...step, layers }).success).toBe(false);
  });

  it("eval metrics and verl keys", () => {
    const m = EvalMetricsSchema.parse({
      step: 20,
      dataSource: "addition",
      k: 4,
      numPrompts: 8,
      "mean@k": 0.5,
      "pass@k": 0.75,
    });
    expect(evalMetricKeys(m)).toEqual({
      "val-core/addition/acc/mean@4": 0.5,
      "val-core/addition/acc/pass@4": 0.75,
    });
  });
});

describe("analysis config", () => {
  it("derives from a run config", () => {
    const a = toAnalysisConfig(defaultRunConfig());
    expect(a).toMatchObject({ sampleSize: 10, lens: "raw", seed: 42, model: { preset: "tiny" } });
    expect(AnalysisConfigSchema.parse({}).lens).toBe("raw");
    expect(AnalysisConfigSchema.safeParse({ lens: "tuned" }).success).toBe(false);
  });
});

describe("SCALAR_METRIC_KEYS", () => {
  it("lists every scalar of StepMetrics exactly once", async () => {
    const { SCALAR_METRIC_KEYS, StepMetricsSchema } = await import("./metrics.ts");
    const scalars = Object.keys(StepMetricsSchema.shape).filter((k) => k !== "step" && k !== "layers");
    expect([...SCALAR_METRIC_KEYS].sort()).toEqual(scalars.sort());
    expect(new Set(SCALAR_METRIC_KEYS).size).toBe(SCALAR_METRIC_KEYS.length);
  });
});
