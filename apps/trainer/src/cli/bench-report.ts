/**
 * The `bench` report: what was measured (raw medians and FLOP counts) plus what is derived from it — effective
 * GFLOP/s per stage and mode, its share of the same-run sgemm peak, native-vs-plain speedups, the real-vocabulary
 * analysis against its FLOP floor, and the targets. `--json` prints this object; bench-format.ts the
 * markdown.
 */
import type { BackendInfo } from "../backend/index.ts";
import type { BenchShape, KernelMode, MatMulResult, PresetResult, Repeats, Stage } from "./bench-measure.ts";
import { STAGES } from "./bench-measure.ts";
import type { RealVocabResult } from "./bench-real-vocab.ts";
import type { SgemmPeak } from "./bench-sgemm.ts";

/** Targets of the native-kernel issue (on the largest preset measured). */
export const TARGETS = { trainPeakShare: 0.4, trainSpeedup: 3, realVocabFloorRatio: 2 } as const;

export interface Measurements {
  date: string;
  /** describeBackend(info): backend, native kernels on/off (+ reason), OpenBLAS core type, BLAS threads. */
  backendSummary: string;
  backend: Pick<BackendInfo, "backend" | "threads" | "simd" | "native">;
  node: string;
  cpus: { count: number; model: string };
  family: string;
  vocabSize: number;
  shape: BenchShape;
  repeats: Repeats;
  /** Kernel modes measured, in order; `modesNote` says why one is missing. */
  modes: KernelMode[];
  modesNote?: string;
  /** Raw sgemm through the addon, or why it could not run. */
  sgemm: SgemmPeak | { unavailable: string };
  /** Every preset × mode (presets smallest first, modes in `modes` order). */
  presets: PresetResult[];
  /** tfjs matMul per mode (through BatchMatMul: the native kernel in "native" mode). */
  matMul: Array<{ mode: KernelMode; results: MatMulResult[] }>;
  realVocab: RealVocabResult | { skipped: string };
}

export interface ModeRate {
  ms: number;
  gflops: number;
  /** gflops / the sgemm peak (absent without a peak). */
  peakShare?: number;
}

export interface StageRow {
  preset: string;
  stage: Stage;
  gflop: number;
  byMode: Partial<Record<KernelMode, ModeRate>>;
  /** plain ms / native ms (when both ran). */
  speedup?: number;
}

export interface TargetCheck {
  what: string;
  value: number;
  goal: string;
  met: boolean;
}

export interface BenchReport extends Measurements {
  stages: StageRow[];
  /** Real-vocabulary analysis: its time at the sgemm peak and measured / floor. */
  realVocabFloor?: { floorMs: number; ratio: number };
  targets: TargetCheck[];
}

export const peakOf = (m: Measurements): number | undefined =>
  "peakGflops" in m.sgemm ? m.sgemm.peakGflops : undefined;

function stageRows(m: Measurements, peak: number | undefined): StageRow[] {
  const rows: StageRow[] = [];
  const names = [...new Set(m.presets.map((p) => p.preset))];
  for (const preset of names) {
    const results = m.presets.filter((p) => p.preset === preset);
    for (const stage of STAGES) {
      const byMode: StageRow["byMode"] = {};
      for (const r of results) {
        const gflops = r.flops[stage] / 1e6 / r.ms[stage];
        byMode[r.mode] = { ms: r.ms[stage], gflops, ...(peak ? { peakShare: gflops / peak } : {}) };
      }
      const { native, plain } = byMode;
      rows.push({
        preset,
        stage,
        gflop: (results[0]?.flops[stage] ?? 0) / 1e9,
        byMode,
        ...(native && plain ? { speedup: plain.ms / native.ms } : {}),
      });
    }
  }
  return rows;
}

function targetChecks(
  stages: StageRow[],
  realVocab: BenchReport["realVocabFloor"],
  largest: string | undefined,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const train = stages.find((s) => s.preset === largest && s.stage === "train");
  const share = train?.byMode.native?.peakShare;
  if (share !== undefined) {
    const goal = TARGETS.trainPeakShare;
    checks.push({
      what: `${largest} native train step / sgemm peak`,
      value: share,
      goal: `≥ ${goal}`,
      met: share >= goal,
    });
  }
  if (train?.speedup !== undefined) {
    const goal = TARGETS.trainSpeedup;
    const v = train.speedup;
    checks.push({
      what: `${largest} train step, native vs plain speedup`,
      value: v,
      goal: `≥ ${goal}`,
      met: v >= goal,
    });
  }
  if (realVocab !== undefined) {
    const goal = TARGETS.realVocabFloorRatio;
    const v = realVocab.ratio;
    checks.push({
      what: "real-vocabulary analysis / FLOP floor",
      value: v,
      goal: `≤ ${goal}`,
      met: v <= goal,
    });
  }
  return checks;
}

/** The report: measurements plus derived rates, ratios and target checks. */
export function buildReport(m: Measurements): BenchReport {
  const peak = peakOf(m);
  const stages = stageRows(m, peak);
  const rv = m.realVocab;
  const realVocabFloor =
    peak !== undefined && "ms" in rv
      ? { floorMs: rv.flops / 1e6 / peak, ratio: rv.ms / (rv.flops / 1e6 / peak) }
      : undefined;
  const largest = m.presets.at(-1)?.preset;
  return {
    ...m,
    stages,
    ...(realVocabFloor ? { realVocabFloor } : {}),
    targets: targetChecks(stages, realVocabFloor, largest),
  };
}
