/** Markdown rendering of a {@link BenchReport} (`bench` without `--json`). */
import type { KernelMode, PresetResult } from "./bench-measure.ts";
import type { StepProfile } from "./bench-profile.ts";
import { type BenchReport, peakOf } from "./bench-report.ts";
import { formatCount } from "./model-flags.ts";

const mb = (bytes: number | undefined) => (bytes === undefined ? "—" : (bytes / 2 ** 20).toFixed(0));
const f = (v: number | undefined, digits = 1) => (v === undefined ? "—" : v.toFixed(digits));
const pct = (share: number | undefined) => (share === undefined ? "—" : `${(share * 100).toFixed(0)} %`);
const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;

function modeLabel(r: BenchReport, mode: KernelMode): string {
  return mode === "native" ? "native" : `plain ${r.backend.backend}`;
}

function header(r: BenchReport): string[] {
  const s = r.shape;
  const both = r.modes.length === 2;
  return [
    `## bupo-trainer bench (${r.date})`,
    "",
    `${r.backendSummary} · Node ${r.node} · ${r.cpus.count} CPU(s) ${r.cpus.model}  `,
    `family ${r.family}, V ${r.vocabSize} · batch ${s.batch} × (${s.promptTokens} + ${s.responseTokens}) tokens · ` +
      `median of ${r.repeats.reps} after ${r.repeats.warmup} warm-up  `,
    `kernel modes: ${r.modes.map((m) => modeLabel(r, m)).join(" and ")}${both ? " (same process)" : ""}` +
      (r.modesNote ? ` — ${r.modesNote}` : ""),
  ];
}

function peakSection(r: BenchReport): string[] {
  const sg = "sizes" in r.sgemm ? r.sgemm : undefined;
  const all = [...(sg?.sizes ?? []), ...r.matMul.flatMap((m) => m.results)].map((x) => x.size);
  const sizes = [...new Set(all)].sort((a, b) => a - b);
  const peakLine = sg
    ? `sgemm peak **${f(sg.peakGflops)} GFLOP/s** (1 BLAS thread, OpenBLAS ${sg.coreType}, n = ${sg.peakSize}): ` +
      'the reference of every "% peak" below.'
    : `sgemm peak not measured (${"unavailable" in r.sgemm ? r.sgemm.unavailable : "?"}): no "% peak" columns.`;
  return [
    "### float32 matrix products: raw OpenBLAS sgemm through the addon, tfjs matMul per kernel mode",
    "",
    row([
      "n × n × n",
      "sgemm ms",
      "sgemm GFLOP/s",
      ...r.matMul.map((m) => `tfjs ${modeLabel(r, m.mode)} GFLOP/s`),
    ]),
    row(["---", "---:", "---:", ...r.matMul.map(() => "---:")]),
    ...sizes.map((n) => {
      const s = sg?.sizes.find((x) => x.size === n);
      const tfjs = r.matMul.map((m) => f(m.results.find((x) => x.size === n)?.gflops));
      return row([n, f(s?.ms, 2), f(s?.gflops), ...tfjs]);
    }),
    "",
    peakLine,
  ];
}

function stageSection(r: BenchReport): string[] {
  const both = r.modes.length === 2;
  const hasPeak = peakOf(r) !== undefined;
  const cols = r.modes.flatMap((m) => [`${modeLabel(r, m)} ms`, "GFLOP/s", ...(hasPeak ? ["% peak"] : [])]);
  return [
    "### speed per preset",
    "",
    row(["preset", "stage", "GFLOP", ...cols, ...(both ? ["speedup"] : [])]),
    row(["---", "---", "---:", ...cols.map(() => "---:"), ...(both ? ["---:"] : [])]),
    ...r.stages.map((s) =>
      row([
        s.preset,
        s.stage,
        f(s.gflop, 2),
        ...r.modes.flatMap((m) => {
          const v = s.byMode[m];
          return [f(v?.ms, 0), f(v?.gflops), ...(hasPeak ? [pct(v?.peakShare)] : [])];
        }),
        ...(both ? [s.speedup === undefined ? "—" : `${f(s.speedup)}×`] : []),
      ]),
    ),
  ];
}

function detailSection(r: BenchReport): string[] {
  const names = [...new Set(r.presets.map((p) => p.preset))];
  const byMode = (name: string, pick: (p: PresetResult) => string) =>
    r.modes
      .map((m) => r.presets.find((p) => p.preset === name && p.mode === m))
      .map((p) => (p ? pick(p) : "—"));
  const modes = r.modes.map((m) => modeLabel(r, m)).join(" / ");
  return [
    row([
      "preset",
      "params",
      "L / d / ffn",
      `rollout tok/s (${modes})`,
      `analysis tok/s (${modes})`,
      "peak RSS MiB",
      "wasm heap MiB",
      `tf peak MiB (${modes})`,
    ]),
    "|---|---:|---|---:|---:|---:|---:|---:|",
    ...names.map((name) => {
      const p = r.presets.filter((x) => x.preset === name);
      const first = p[0] as PresetResult;
      const c = first.config;
      return row([
        name,
        formatCount(first.parameters),
        `${c.numLayers} / ${c.hiddenSize} / ${c.intermediateSize}`,
        byMode(name, (x) => f(x.rolloutTokensPerS, 0)).join(" / "),
        byMode(name, (x) => f(x.analysisTokensPerS, 0)).join(" / "),
        mb(Math.max(...p.map((x) => x.peakRssBytes))),
        mb(p.at(-1)?.wasmHeapBytes),
        byMode(name, (x) => mb(x.trainProfile.peakBytes)).join(" / "),
      ]);
    }),
  ];
}

function profileSection(r: BenchReport): string[] {
  const largest = r.presets.at(-1)?.preset;
  const mode = r.modes[0] as KernelMode;
  const p = r.presets.find((x) => x.preset === largest && x.mode === mode);
  if (!p) return [];
  const prof: StepProfile = p.trainProfile;
  const outside = prof.wallMs - prof.kernelMs;
  return [
    `### top kernels of one ${modeLabel(r, mode)} train step, ${largest}`,
    "",
    `profiled step ${f(prof.wallMs, 0)} ms (timed median ${f(p.ms.train, 0)} ms): ${f(prof.kernelMs, 0)} ms in ` +
      `kernels, ${f(outside, 0)} ms (${pct(outside / prof.wallMs)}) outside them (JS: tape, tidy, gradient bookkeeping)`,
    "",
    row(["kernel", "native", "calls", "ms", "% of step"]),
    "|---|---|---:|---:|---:|",
    ...prof.top.map((k) => row([k.name, k.native ? "✓" : "", k.calls, f(k.ms), pct(k.share)])),
    row([
      `(${prof.rest.kernels} other kernels)`,
      "",
      prof.rest.calls,
      f(prof.rest.ms),
      pct(prof.rest.ms / prof.wallMs),
    ]),
  ];
}

function realVocabSection(r: BenchReport): string[] {
  const rv = r.realVocab;
  if ("skipped" in rv) return [`Real-vocabulary analysis skipped: ${rv.skipped}.`];
  const floor = r.realVocabFloor;
  return [
    `### all-layer analysis at Qwen3's vocabulary (${modeLabel(r, r.modes[0] as KernelMode)})`,
    "",
    row(["preset", "V", "rows × tokens", "states unembedded", "GFLOP", "ms", "floor ms", "ms / floor"]),
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    row([
      rv.preset,
      rv.vocabSize,
      `${rv.batch} × ${rv.tokens}`,
      rv.states,
      f(rv.flops / 1e9, 0),
      f(rv.ms, 0),
      f(floor?.floorMs, 0),
      f(floor?.ratio, 2),
    ]),
  ];
}

function targetSection(r: BenchReport): string[] {
  if (r.targets.length === 0) return [];
  return [
    "### targets",
    "",
    ...r.targets.map(
      (t) => `- ${t.what}: ${f(t.value, 2)} (goal ${t.goal}) — ${t.met ? "met" : "**missed**"}`,
    ),
  ];
}

export function formatBench(r: BenchReport): string {
  const s = r.shape;
  const sections = [
    header(r),
    peakSection(r),
    [...stageSection(r), "", ...detailSection(r)],
    profileSection(r),
    realVocabSection(r),
    targetSection(r),
    [
      `Train step = one RL update (forward + backward + grad clip + AdamW) on ${s.batch} sequences; forward = one`,
      `no-grad pass of the same batch; rollout = ${s.batch}×${s.responseTokens} tokens sampled with the KV cache after`,
      `${s.promptTokens}-token prompts; analysis = all-layer and module entropies of ${s.batch}×${s.promptTokens + s.responseTokens} tokens.`,
      "GFLOP counts matrix products only (bench-flops.ts); % peak = GFLOP/s / the sgemm peak above;",
      "speedup = plain ms / native ms. Peak RSS / wasm heap: process maxima (presets run smallest first).",
      ...(peakOf(r) === undefined ? [] : ["Real-vocabulary floor = its GFLOP at the sgemm peak."]),
    ],
  ].filter((x) => x.length > 0);
  const lines = sections.flatMap((x, i) => (i === 0 ? x : ["", ...x]));
  const leaks = r.presets.filter((p) => p.leakedTensors !== 0);
  for (const p of leaks) {
    lines.push(
      "",
      `**warning**: ${p.preset} (${p.mode}) leaked ${p.leakedTensors} tensor(s) over the timed runs`,
    );
  }
  return `${lines.join("\n")}\n`;
}
