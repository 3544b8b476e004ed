/**
 * `bench-stream`: the streamed analysis of real-shape checkpoints (scripts/generate-checkpoint.ts) on this machine,
 * one child process per run so each peak RSS is that run's own. Per model folder: a cold run (the folder's files
 * evicted from the page cache first with `dd iflag=nocache count=0`, i.e. posix_fadvise DONTNEED) and a warm run.
 * Prints a markdown table: time against the FLOP floor (matrix-product FLOPs at the same run's sgemm peak with the
 * job's BLAS threads), time spent waiting for disk / page-cache reads, peak RSS, and the 1-minute load average.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CliIo, type CommandFn, intFlag, parseFlags, runCommand, str, UsageError } from "./args.ts";
import { runStreamBench, type StreamRunResult } from "./bench-stream-run.ts";

export const BENCH_STREAM_USAGE = `usage: bupo-trainer bench-stream --models DIR[,DIR…] [--batch N] [--tokens N] [--no-cold] [--no-warm]
                                [--decode-steps N] [--decode-batch N] [--json]

Streamed all-layer analysis (raw lens, every layer and module) of B random sequences of T tokens per model
folder, cold (files evicted from the page cache) then warm, each in its own process.
  --models LIST        checkpoint folders (config.json + safetensors)
  --batch N            sequences (default 4)
  --tokens N           tokens per sequence (default 128)
  --no-cold            warm runs only
  --no-warm            cold runs only
  --decode-steps N     also time N streamed decoding steps (batch --decode-batch, default 8) in the warm run
  --json               one JSON object per run instead of the table
BLAS threads: BUPO_BLAS_THREADS (the FLOP floor uses the sgemm peak measured with the same threads).`;

const FLAGS = {
  models: { type: "string" },
  batch: { type: "string" },
  tokens: { type: "string" },
  "no-cold": { type: "boolean" },
  "no-warm": { type: "boolean" },
  "decode-steps": { type: "string" },
  "decode-batch": { type: "string" },
  json: { type: "boolean" },
  child: { type: "string" },
} as const;

/** Evicts every file of `dir` from the page cache (GNU dd: count=0 with iflag=nocache → fadvise DONTNEED). */
function evict(dir: string): void {
  for (const f of readdirSync(dir)) {
    const r = spawnSync("dd", [`if=${path.join(dir, f)}`, "iflag=nocache", "count=0", "status=none"]);
    if (r.status !== 0) throw new Error(`could not evict ${f} from the page cache: ${r.stderr}`);
  }
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const gib = (mib: number) => (mib / 1024).toFixed(2);

function table(rows: { name: string; cold?: StreamRunResult; warm?: StreamRunResult }[]): string {
  const lines = [
    "| model shape | params | B×T | GFLOP | sgemm peak GFLOP/s (threads) | FLOP floor s | cold s (read wait s) | warm s (read wait s) | warm / floor | CPU s / CPU floor s | peak RSS GiB cold / warm (est.) | load avg |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const { name, cold, warm: warmRun } of rows) {
    const warm = (warmRun ?? cold) as StreamRunResult; // shape, FLOPs and floor come from either run
    const w = warmRun;
    lines.push(
      `| ${name} | ${(warm.parameters / 1e9).toFixed(2)} B | ${warm.batch}×${warm.tokens} | ${(warm.flops / 1e9).toFixed(0)} | ${warm.sgemmPeakGflops.toFixed(0)} (${warm.threads}) | ${s(warm.floorMs)} | ${cold ? `${s(cold.ms)} (${s(cold.readWaitMs)})` : "–"} | ${w ? `${s(w.ms)} (${s(w.readWaitMs)})` : "–"} | ${(warm.ms / warm.floorMs).toFixed(2)}×${w ? "" : " (cold)"} | ${s(warm.cpuMs)} / ${s(warm.flops / (warm.cpuPeakGflops * 1e6))} | ${cold ? gib(cold.peakRssMiB) : "–"} / ${w ? gib(w.peakRssMiB) : "–"} (${gib(warm.estimatedPeakMiB)}) | ${cold ? `${cold.loadAvg.toFixed(1)}/` : ""}${w ? w.loadAvg.toFixed(1) : ""} |`,
    );
  }
  const decodes = rows.filter((r) => r.warm?.decode);
  if (decodes.length > 0) {
    lines.push(
      "",
      "| model shape | decode batch | steps | ms / step | tokens/s | weights GB | bandwidth GB/s | bound ms (bytes/bw + FLOPs/peak) | step / bound |",
      "|---|---|---|---|---|---|---|---|---|",
    );
    for (const { name, warm } of decodes) {
      const d = warm?.decode as NonNullable<StreamRunResult["decode"]>;
      lines.push(
        `| ${name} | ${d.batch} | ${d.steps} | ${d.msPerStep.toFixed(0)} | ${d.tokensPerSecond.toFixed(2)} | ${(d.weightBytes / 1e9).toFixed(1)} | ${d.bandwidthGBs.toFixed(1)} | ${d.boundMs.toFixed(0)} | ${(d.msPerStep / d.boundMs).toFixed(1)}× |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Runs one measurement in a child process (fresh RSS) and parses its JSON line. */
function child(dir: string, args: string[]): StreamRunResult {
  const main = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.ts");
  const r = spawnSync(process.execPath, ["--import", "tsx", main, "bench-stream", "--child", dir, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.status !== 0 || !line.startsWith("{"))
    throw new Error(
      `bench-stream child for ${dir} failed (${r.status}): ${r.stderr.trim().split("\n").at(-1)}`,
    );
  return JSON.parse(line) as StreamRunResult;
}

export const benchStreamCommand: CommandFn = async (argv: string[], io: CliIo) => {
  const values = parseFlags("bench-stream", argv, FLAGS);
  if (values.help) {
    io.stdout(`${BENCH_STREAM_USAGE}\n`);
    return 0;
  }
  const batch = intFlag(values, "batch", { min: 1, max: 64 }, 4);
  const tokens = intFlag(values, "tokens", { min: 1, max: 8192 }, 128);
  const decodeSteps = intFlag(values, "decode-steps", { min: 0, max: 1024 }, 0);
  const decodeBatch = intFlag(values, "decode-batch", { min: 1, max: 64 }, 8);
  const dirArg = str(values, "child");
  if (dirArg !== undefined) {
    const r = await runStreamBench({ dir: dirArg, batch, tokens, decodeSteps, decodeBatch });
    io.stdout(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const models = str(values, "models");
  if (models === undefined) throw new UsageError("--models DIR[,DIR…] is required");
  const common = ["--batch", String(batch), "--tokens", String(tokens)];
  if (values["no-cold"] === true && values["no-warm"] === true)
    throw new UsageError("--no-cold and --no-warm leave nothing to run");
  const rows: { name: string; cold?: StreamRunResult; warm?: StreamRunResult }[] = [];
  for (const dir of models.split(",")) {
    const name = path.basename(dir);
    let cold: StreamRunResult | undefined;
    if (values["no-cold"] !== true) {
      evict(dir);
      cold = child(dir, common);
      io.stderr(`${name} cold: ${s(cold.ms)} s, peak RSS ${gib(cold.peakRssMiB)} GiB\n`);
      if (values.json === true) io.stdout(`${JSON.stringify({ name, run: "cold", ...cold })}\n`);
    }
    let warm: StreamRunResult | undefined;
    if (values["no-warm"] !== true) {
      const decode = ["--decode-steps", String(decodeSteps), "--decode-batch", String(decodeBatch)];
      warm = child(dir, [...common, ...decode]);
      io.stderr(`${name} warm: ${s(warm.ms)} s, peak RSS ${gib(warm.peakRssMiB)} GiB\n`);
      if (values.json === true) io.stdout(`${JSON.stringify({ name, run: "warm", ...warm })}\n`);
    }
    rows.push({ name, ...(warm === undefined ? {} : { warm }), ...(cold === undefined ? {} : { cold }) });
  }
  if (values.json !== true) io.stdout(table(rows));
  return 0;
};

export const run = (argv: string[]) => runCommand(benchStreamCommand, argv);
