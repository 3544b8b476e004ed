/** bench report derivations (rates, peak shares, speedups, floor ratio, targets) and their markdown. */
import { describe, expect, it } from "vitest";
import { formatBench } from "./bench-format.ts";
import type { KernelMode, PresetResult } from "./bench-measure.ts";
import { buildReport, type Measurements } from "./bench-report.ts";

/** A medium result whose every stage is `flops` FLOPs in `ms` ms. */
function preset(mode: KernelMode, ms: number): PresetResult {
  const flops = 1e9; // 1 GFLOP per stage
  const profile = {
    wallMs: ms,
    kernelMs: ms - 1,
    peakBytes: 2 ** 20,
    top: [],
    rest: { kernels: 0, calls: 0, ms: 0 },
  };
  return {
    preset: "medium",
    family: "qwen3",
    mode,
    parameters: 5_910_000,
    config: { numLayers: 6, hiddenSize: 256, intermediateSize: 1024, vocabSize: 32 },
    flops: { train: flops, forward: flops, rollout: flops, analysis: flops },
    ms: { train: ms, forward: ms, rollout: ms, analysis: ms },
    rolloutTokensPerS: 1,
    analysisTokensPerS: 1,
    trainProfile: profile,
    peakRssBytes: 2 ** 30,
    tfNumTensors: 0,
    leakedTensors: 0,
  };
}

const base: Measurements = {
  date: "2026-01-01T00:00:00.000Z",
  backendSummary: "backend wasm (SIMD), 1 thread · native kernels on (OpenBLAS SkylakeX, 1 BLAS thread)",
  backend: { backend: "wasm", threads: 1, simd: true, native: { active: true, kernels: ["BatchMatMul"] } },
  node: "v20",
  cpus: { count: 2, model: "test" },
  family: "qwen3",
  vocabSize: 32,
  shape: { batch: 16, promptTokens: 32, responseTokens: 32 },
  repeats: { warmup: 1, reps: 2 },
  modes: ["native", "plain"],
  sgemm: {
    threads: 1,
    coreType: "SkylakeX",
    sizes: [{ size: 512, ms: 1, gflops: 200 }],
    peakGflops: 200,
    peakSize: 512,
  },
  // native: 1 GFLOP in 10 ms = 100 GFLOP/s (50 % of peak); plain 40 ms → 4× slower
  presets: [preset("native", 10), preset("plain", 40)],
  matMul: [
    { mode: "native", results: [{ size: 512, ms: 1.5, gflops: 180 }] },
    { mode: "plain", results: [{ size: 512, ms: 8, gflops: 33 }] },
  ],
  // 400 GFLOP at 200 GFLOP/s: floor 2000 ms; 5000 ms measured → 2.5
  realVocab: {
    preset: "medium",
    vocabSize: 151_936,
    batch: 2,
    tokens: 64,
    states: 32,
    flops: 4e11,
    ms: 5000,
    runs: 1,
  },
};

describe("bench report", () => {
  it("derives rates, peak shares, speedups, the floor ratio and the targets", () => {
    const r = buildReport(base);
    const train = r.stages.find((s) => s.stage === "train");
    expect(train?.byMode.native).toEqual({ ms: 10, gflops: 100, peakShare: 0.5 });
    expect(train?.byMode.plain?.gflops).toBe(25);
    expect(train?.speedup).toBe(4);
    expect(r.realVocabFloor).toEqual({ floorMs: 2000, ratio: 2.5 });
    expect(r.targets.map((t) => [t.value, t.met])).toEqual([
      [0.5, true],
      [4, true],
      [2.5, false],
    ]);
  });

  it("prints every section, and only the measured mode without a peak", () => {
    const text = formatBench(buildReport(base));
    for (const part of [
      "sgemm peak **200.0 GFLOP/s**",
      "| medium | train | 1.00 | 10 | 100.0 | 50 % | 40 | 25.0 | 13 % | 4.0× |",
      "Qwen3's vocabulary",
      "— **missed**",
    ]) {
      expect(text).toContain(part);
    }
    const plainOnly = formatBench(
      buildReport({
        ...base,
        modes: ["plain"],
        modesNote: "native kernels not measured: the addon is not built",
        sgemm: { unavailable: "the addon is not built" },
        presets: [preset("plain", 40)],
        realVocab: { skipped: "--no-real-vocab" },
      }),
    );
    expect(plainOnly).toContain("| medium | train | 1.00 | 40 | 25.0 |\n");
    expect(plainOnly).toContain("sgemm peak not measured (the addon is not built)");
    expect(plainOnly).not.toContain("### targets");
  });
});
