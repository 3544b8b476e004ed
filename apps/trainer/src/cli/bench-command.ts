/**
 * `bench`: speed and memory of the training engine on this machine, in one process: the raw OpenBLAS sgemm peak
 * through the addon, then per preset (smallest first) every stage with the native kernels and with the plain
 * backend kernels (`uninstallNativeKernels` / re-install with the options `initBackend` used), the tfjs matMul
 * in each mode, and the all-layer analysis at Qwen3's vocabulary against its FLOP floor. Printed as markdown
 * (bench-format.ts) or JSON (bench-report.ts). FLOP accounting: bench-flops.ts.
 */
import os from "node:os";
import {
  describeBackend,
  initBackend,
  installNativeKernels,
  uninstallNativeKernels,
} from "../backend/index.ts";
import type { NativeKernelsOptions } from "../backend/native/register-native-kernels.ts";
import { nativeKernelOptions, readTrainerEnv, webgpuOptions } from "../env.ts";
import type { ModelPresetName } from "../model/presets.ts";
import { trainerCharTokenizer } from "../probe/tokenizer.ts";
import {
  type CliIo,
  type CommandFn,
  enumFlag,
  enumListFlag,
  intFlag,
  parseFlags,
  runCommand,
} from "./args.ts";
import { formatBench } from "./bench-format.ts";
import {
  type BenchShape,
  benchMatMul,
  benchPreset,
  type KernelMode,
  type MatMulResult,
  type PresetResult,
} from "./bench-measure.ts";
import { benchRealVocab, QWEN3_VOCAB_SIZE, type RealVocabResult } from "./bench-real-vocab.ts";
import { buildReport, type Measurements } from "./bench-report.ts";
import { benchAddon, benchSgemm } from "./bench-sgemm.ts";
import { BACKENDS, FAMILIES, PRESETS } from "./model-flags.ts";

/** Batch of the brief / compute-notes: 16 sequences of 32 prompt + 32 sampled tokens. */
export const BENCH_SHAPE: BenchShape = { batch: 16, promptTokens: 32, responseTokens: 32 };
const MATMUL_SIZES = [256, 512, 1024, 1536, 2048];
const QUICK_MATMUL_SIZES = [256, 512, 1024, 1536];
/** Rows of the real-vocabulary analysis: the bench batch, or 2 under --quick (the FLOP floor scales with it). */
const REAL_VOCAB_ROWS = { full: BENCH_SHAPE.batch, quick: 2 };
const NATIVE_CHOICES = ["both", "on", "off"] as const;

export const BENCH_USAGE = `usage: bupo-trainer bench [--presets tiny,medium] [--family F] [--quick] [--reps N] [--warmup N]
                         [--backend B] [--threads N] [--native both|on|off] [--no-real-vocab]
                         [--real-vocab-rows N] [--json]

One process, in this order:
1. raw float32 sgemm through the native addon (OpenBLAS, 1 BLAS thread, no tfjs), n³ for n in
   ${MATMUL_SIZES.join(", ")} (--quick: up to ${QUICK_MATMUL_SIZES.at(-1)}); the best GFLOP/s is the machine's practical peak;
2. per preset (fresh weights, built-in char vocabulary), batch ${BENCH_SHAPE.batch} × (${BENCH_SHAPE.promptTokens} prompt + ${BENCH_SHAPE.responseTokens} sampled) tokens,
   with the native kernels and with the plain backend kernels: train step (src/train updateOnMiniBatch: forward +
   backward + clip + AdamW), no-grad forward, KV-cache rollout, all-layer analysis — ms, effective GFLOP/s, % of the
   sgemm peak, native-vs-plain speedup — plus memory and a kernel profile of one train step;
3. tfjs matMul at the same sizes in each mode;
4. the all-layer analysis of the largest preset at Qwen3's vocabulary (V ${QWEN3_VOCAB_SIZE}), against its FLOP floor
   (its matrix-product FLOPs at the sgemm peak).
FLOPs (matrix products only, 2 per multiply-add), N = B·T, per layer:
  4N·d·(H+KV)·hd  +  4B·H·T²·hd  +  6N·d·I,   plus 2N·d·V per unembedded state;  train = 3 × forward.
Timings: median after warm-up. Native kernel options come from BUPO_NATIVE_KERNELS, BUPO_BLAS_THREADS,
BUPO_BLAS_CORETYPE and BUPO_NATIVE_ADDON, as for train and serve.

  --presets LIST        comma-separated of ${PRESETS.join(", ")} (default: tiny and the largest, medium)
  --family F            ${FAMILIES.join(", ")} (default qwen3)
  --quick               1 warm-up + 2 runs, smaller real-vocabulary batch (checks that everything works)
  --reps N              timed runs per measurement (default 5; --quick 2)
  --warmup N            untimed runs first (default 1)
  --backend B           ${BACKENDS.join(", ")} (default auto)
  --threads N           requested wasm threads (default 1; Node wasm runs 1 thread unless patched)
  --native M            kernel modes to measure: both (default), on (native only), off (plain only)
  --no-real-vocab       skip the real-vocabulary analysis (the slowest part)
  --real-vocab-rows N   sequences of ${BENCH_SHAPE.promptTokens + BENCH_SHAPE.responseTokens} tokens in it (default ${REAL_VOCAB_ROWS.full}; --quick ${REAL_VOCAB_ROWS.quick}); timed twice (--quick once)
  --json                print JSON instead of markdown
  -h, --help            this text`;

/** Registers the kernels of `mode`: the addon's (with the options initBackend used) or the backend's own. */
function useKernels(mode: KernelMode, opts: NativeKernelsOptions): readonly string[] {
  if (mode === "plain") {
    uninstallNativeKernels();
    return [];
  }
  const info = installNativeKernels(opts);
  if (!info.active) throw new Error(`native kernels could not be re-installed: ${info.reason}`);
  return info.kernels;
}

export const benchCommand: CommandFn = async (argv: string[], io: CliIo) => {
  const values = parseFlags("bench", argv, {
    presets: { type: "string" },
    family: { type: "string" },
    quick: { type: "boolean" },
    reps: { type: "string" },
    warmup: { type: "string" },
    backend: { type: "string" },
    threads: { type: "string" },
    native: { type: "string" },
    "no-real-vocab": { type: "boolean" },
    "real-vocab-rows": { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.stdout(`${BENCH_USAGE}\n`);
    return 0;
  }
  const presets = enumListFlag(values, "presets", PRESETS, [
    "tiny",
    PRESETS[PRESETS.length - 1] as ModelPresetName,
  ]);
  presets.sort((a, b) => PRESETS.indexOf(a) - PRESETS.indexOf(b)); // smallest first (process-wide maxima)
  const family = enumFlag(values, "family", FAMILIES, "qwen3");
  const quick = values.quick === true;
  const repeats = {
    reps: intFlag(values, "reps", { min: 1, max: 1000 }, quick ? 2 : 5),
    warmup: intFlag(values, "warmup", { min: 0, max: 100 }, 1),
  };
  const backendPref = enumFlag(values, "backend", BACKENDS, "auto");
  const threads = intFlag(values, "threads", { min: 1, max: 64 }, 1);
  const nativeChoice = enumFlag(values, "native", NATIVE_CHOICES, "both");
  const realVocabRows = intFlag(
    values,
    "real-vocab-rows",
    { min: 1, max: 256 },
    quick ? REAL_VOCAB_ROWS.quick : REAL_VOCAB_ROWS.full,
  );

  const env = readTrainerEnv();
  const nativeOpts = nativeKernelOptions(env);
  const info = await initBackend({
    prefer: backendPref,
    threads,
    native: nativeOpts,
    webgpu: webgpuOptions(env),
  });
  const log = (stage: string) => io.stderr(`bench: ${stage}\n`);
  const modes: KernelMode[] = !info.native.active
    ? ["plain"]
    : nativeChoice === "both"
      ? ["native", "plain"]
      : [nativeChoice === "on" ? "native" : "plain"];
  const modesNote = !info.native.active
    ? `native kernels not measured: ${info.native.reason ?? "unknown"}`
    : nativeChoice === "both"
      ? undefined
      : `--native ${nativeChoice}`;

  const sizes = quick ? QUICK_MATMUL_SIZES : MATMUL_SIZES;
  const addon = benchAddon(nativeOpts);
  log(`sgemm ${sizes.join(", ")}`);
  const sgemm =
    "addon" in addon ? await benchSgemm(addon.addon, sizes, repeats) : { unavailable: addon.reason };

  const vocabSize = trainerCharTokenizer().vocabSize;
  const results: PresetResult[] = [];
  const matMul: Array<{ mode: KernelMode; results: MatMulResult[] }> = [];
  let realVocab: RealVocabResult | { skipped: string };
  try {
    for (const preset of presets) {
      for (const mode of modes) {
        const nativeKernels = useKernels(mode, nativeOpts);
        results.push(
          await benchPreset(preset, family, vocabSize, BENCH_SHAPE, repeats, { mode, nativeKernels }, log),
        );
      }
    }
    const tfjsSizes = info.backend === "cpu" ? sizes.filter((n) => n <= 512) : sizes; // cpu: < 1 GFLOP/s
    for (const mode of modes) {
      useKernels(mode, nativeOpts);
      log(`tfjs matMul (${mode}) ${tfjsSizes.join(", ")}`);
      const rows: MatMulResult[] = [];
      for (const n of tfjsSizes) rows.push(await benchMatMul(n, repeats));
      matMul.push({ mode, results: rows });
    }
    if (values["no-real-vocab"] === true) realVocab = { skipped: "--no-real-vocab" };
    else if (info.backend === "cpu") realVocab = { skipped: "the cpu backend would take many minutes" };
    else {
      useKernels(modes[0] as KernelMode, nativeOpts);
      const tokens = BENCH_SHAPE.promptTokens + BENCH_SHAPE.responseTokens;
      const largest = presets[presets.length - 1] as ModelPresetName;
      realVocab = await benchRealVocab(largest, family, { batch: realVocabRows, tokens }, quick ? 1 : 2, log);
    }
  } finally {
    if (info.native.active) useKernels("native", nativeOpts); // leave the process as initBackend set it up
  }

  const cpu = os.cpus();
  const measurements: Measurements = {
    date: new Date().toISOString(),
    backendSummary: describeBackend(info),
    backend: { backend: info.backend, threads: info.threads, simd: info.simd, native: info.native },
    node: process.version,
    cpus: { count: cpu.length, model: cpu[0]?.model.trim() ?? "unknown" },
    family,
    vocabSize,
    shape: BENCH_SHAPE,
    repeats,
    modes,
    ...(modesNote ? { modesNote } : {}),
    sgemm,
    presets: results,
    matMul,
    realVocab,
  };
  const report = buildReport(measurements);
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatBench(report));
  return 0;
};

/** Entry point for main.ts. */
export const run = (argv: string[]) => runCommand(benchCommand, argv);
