/**
 * `bench`: speed and memory of the training engine on this machine, printed as a markdown table (or JSON).
 * Presets run smallest first in one process, so "peak RSS" and "wasm heap" (process-wide maxima that never
 * shrink) belong to the preset on their row. FLOP accounting: see bench-flops.ts.
 */
import os from "node:os";
import { initBackend } from "../backend/index.ts";
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
import {
  type BenchShape,
  benchMatMul,
  benchPreset,
  type MatMulResult,
  type PresetResult,
} from "./bench-measure.ts";
import { BACKENDS, FAMILIES, formatCount, PRESETS } from "./model-flags.ts";

/** Batch of the brief / compute-notes: 16 sequences of 32 prompt + 32 sampled tokens. */
export const BENCH_SHAPE: BenchShape = { batch: 16, promptTokens: 32, responseTokens: 32 };
const MATMUL_SIZES = [512, 1024];

export const BENCH_USAGE = `usage: bupo-trainer bench [--presets tiny,medium] [--family F] [--quick] [--reps N] [--warmup N]
                         [--backend B] [--threads N] [--json]

Per preset (fresh weights, built-in char vocabulary), batch ${BENCH_SHAPE.batch} × (${BENCH_SHAPE.promptTokens} prompt + ${BENCH_SHAPE.responseTokens} sampled) tokens:
train step (src/train updateOnMiniBatch: forward + backward + clip + AdamW) and its effective GFLOP/s,
no-grad forward, KV-cache rollout (${BENCH_SHAPE.batch}×${BENCH_SHAPE.responseTokens} sampled tokens), all-layer analysis, peak RSS / wasm heap / tf tensor
bytes; plus raw float32 matMul ${MATMUL_SIZES.map((n) => `${n}³`).join(" and ")}. Timings: median after warm-up.
FLOPs (matrix products only, 2 per multiply-add), N = B·T, per layer:
  4N·d·(H+KV)·hd  +  4B·H·T²·hd  +  6N·d·I,   plus 2N·d·V for the unembedding;  train = 3 × forward.

  --presets LIST   comma-separated of ${PRESETS.join(", ")} (default: tiny and the largest, medium)
  --family F       ${FAMILIES.join(", ")} (default qwen3)
  --quick          1 warm-up + 2 runs (checks that everything works; numbers are rough)
  --reps N         timed runs per measurement (default 5; --quick 2)
  --warmup N       untimed runs first (default 1)
  --backend B      ${BACKENDS.join(", ")} (default auto)
  --threads N      requested wasm threads (default 1; Node wasm runs 1 thread unless patched, see the table)
  --json           print JSON instead of markdown
  -h, --help       this text`;

const mb = (bytes: number | undefined) => (bytes === undefined ? "—" : (bytes / 2 ** 20).toFixed(0));
const f = (v: number, digits = 1) => v.toFixed(digits);

export interface BenchReport {
  date: string;
  backend: { backend: string; threads: number; simd: boolean };
  node: string;
  cpus: { count: number; model: string };
  family: string;
  vocabSize: number;
  shape: BenchShape;
  repeats: { warmup: number; reps: number };
  presets: PresetResult[];
  matMul: MatMulResult[];
}

export function formatBench(r: BenchReport): string {
  const b = r.backend;
  const lines = [
    `## bupo-trainer bench (${r.date})`,
    "",
    `backend **${b.backend}**${b.simd ? " (SIMD)" : ""}, ${b.threads} thread${b.threads === 1 ? "" : "s"} · Node ${r.node} · ${r.cpus.count} CPU(s) ${r.cpus.model} · ` +
      `family ${r.family}, V ${r.vocabSize} · batch ${r.shape.batch} × (${r.shape.promptTokens} + ${r.shape.responseTokens}) tokens · ` +
      `median of ${r.repeats.reps} after ${r.repeats.warmup} warm-up`,
    "",
    "| preset | params | L / d / ffn | train step ms | train GFLOP | train GFLOP/s | fwd ms (GFLOP/s) | rollout ms | rollout tok/s | analysis ms | analysis tok/s | peak RSS MiB | wasm heap MiB | tf peak MiB |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.presets.map(
      (p) =>
        `| ${p.preset} | ${formatCount(p.parameters)} | ${p.config.numLayers} / ${p.config.hiddenSize} / ${p.config.intermediateSize} | ` +
        `${f(p.trainMs, 0)} | ${f(p.trainGflop, 2)} | ${f(p.trainGflops)} | ${f(p.forwardMs, 0)} (${f(p.forwardGflops)}) | ` +
        `${f(p.rolloutMs, 0)} | ${f(p.rolloutTokensPerS, 0)} | ${f(p.analysisMs, 0)} | ${f(p.analysisTokensPerS, 0)} | ` +
        `${mb(p.peakRssBytes)} | ${mb(p.wasmHeapBytes)} | ${mb(p.tfPeakBytes)} |`,
    ),
    "",
    "| matMul (float32) | ms | GFLOP/s |",
    "|---|---:|---:|",
    ...r.matMul.map((m) => `| ${m.size}×${m.size}×${m.size} | ${f(m.ms, 1)} | ${f(m.gflops)} |`),
    "",
    `Train step = one RL update (forward + backward + grad clip + AdamW) on ${r.shape.batch} sequences; FLOPs count matrix`,
    "products only: per layer 4N·d·(H+KV)·hd + 4B·H·T²·hd + 6N·d·I, plus 2N·d·V (N = B·T), train = 3 × forward.",
    `Rollout = ${r.shape.batch}×${r.shape.responseTokens} tokens sampled with the KV cache after a ${r.shape.promptTokens}-token prompt; analysis = all-layer`,
    `and module entropies of ${r.shape.batch}×${r.shape.promptTokens + r.shape.responseTokens} tokens. Peak RSS / wasm heap: process maxima (presets run smallest`,
    "first); tf peak: bytes held by tensors during one train step (tf.profile), weights and AdamW moments included.",
  ];
  const leaks = r.presets.filter((p) => p.leakedTensors !== 0);
  if (leaks.length > 0) {
    lines.push(
      "",
      ...leaks.map((p) => `**warning**: ${p.preset} leaked ${p.leakedTensors} tensor(s) over the timed runs`),
    );
  }
  return `${lines.join("\n")}\n`;
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
  presets.sort((a, b) => PRESETS.indexOf(a) - PRESETS.indexOf(b)); // smallest first (see file comment)
  const family = enumFlag(values, "family", FAMILIES, "qwen3");
  const quick = values.quick === true;
  const repeats = {
    reps: intFlag(values, "reps", { min: 1, max: 1000 }, quick ? 2 : 5),
    warmup: intFlag(values, "warmup", { min: 0, max: 100 }, 1),
  };
  const backendPref = enumFlag(values, "backend", BACKENDS, "auto");
  const threads = intFlag(values, "threads", { min: 1, max: 64 }, 1);

  const info = await initBackend({ prefer: backendPref, threads });
  const vocabSize = trainerCharTokenizer().vocabSize;
  const log = (stage: string) => io.stderr(`bench: ${stage}\n`);
  const results: PresetResult[] = [];
  for (const preset of presets) {
    results.push(await benchPreset(preset, family, vocabSize, BENCH_SHAPE, repeats, log));
  }
  const matMul: MatMulResult[] = [];
  for (const n of MATMUL_SIZES) {
    log(`matMul ${n}³`);
    matMul.push(await benchMatMul(n, repeats));
  }
  const cpu = os.cpus();
  const report: BenchReport = {
    date: new Date().toISOString(),
    backend: { backend: info.backend, threads: info.threads, simd: info.simd },
    node: process.version,
    cpus: { count: cpu.length, model: cpu[0]?.model.trim() ?? "unknown" },
    family,
    vocabSize,
    shape: BENCH_SHAPE,
    repeats,
    presets: results,
    matMul,
  };
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatBench(report));
  return 0;
};

/** Entry point for main.ts. */
export const run = (argv: string[]) => runCommand(benchCommand, argv);
