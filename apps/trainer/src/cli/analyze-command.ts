/**
 * `analyze`: internal-policy entropies (bupo-spec §2–§3) of a checkpoint or a fresh preset model on token ids, a
 * text prompt, or the first N samples of a verl parquet / JSONL dataset (response positions pooled, §3.2).
 * Prints a readable table or, with `--json`, one JSON object ({@link AnalyzeReport}).
 */
import path from "node:path";
import {
  admit,
  chooseMode,
  estimateInHeap,
  estimateStreamed,
  formatMiB,
  type MemoryEstimate,
  memoryAllowance,
} from "../analysis/streamed/memory-plan.ts";
import type { StreamedProgress } from "../analysis/streamed/streamed-analysis.ts";
import type { LensMode } from "../analysis/types.ts";
import { type BackendInfo, initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv, webgpuOptions } from "../env.ts";
import { disposeWeights } from "../model/weights.ts";
import {
  analyzeSamples,
  checkTokenIds,
  datasetSamples,
  loadCheckpointModel,
  ProbeInputError,
  type ProbeModel,
  presetModel,
  readDatasetProblems,
} from "../probe/index.ts";
import {
  analyzeSamplesStreamed,
  openStreamedCheckpoint,
  type StreamedProbeModel,
  streamedJobShape,
} from "../probe/streamed-model.ts";
import { type AnalyzeReport, buildReport, formatReport } from "./analyze-format.ts";
import {
  type CliIo,
  type CommandFn,
  enumFlag,
  errorLine,
  exactlyOne,
  type FlagValues,
  intFlag,
  intListFlag,
  onlyWith,
  parseFlags,
  runCommand,
  str,
  UsageError,
} from "./args.ts";
import { BACKENDS, FAMILIES, type ModelSpec, PRESETS, parseModelFlags } from "./model-flags.ts";
import { createProgress } from "./progress.ts";

const LENSES = ["raw", "normed"] as const satisfies readonly LensMode[];
const STREAM_MODES = ["auto", "on", "off"] as const;

export const ANALYZE_USAGE = `usage: bupo-trainer analyze (--model DIR | --preset NAME [--family F] [--seed N])
                           (--tokens 1,2,3 | --prompt TEXT | --dataset FILE [--samples N])
                           [--lens raw|normed] [--true-last-layer] [--stream auto|on|off] [--json]
                           [--backend B]

Internal-policy entropies (nats) of every layer and module (bupo-spec §2–§3): layerEntropy [L+1][T] (0 =
embeddings), attn/ffn input and output entropies [L][T], finalEntropy [T], token means and ΔH means.

model (one of):
  --model DIR          Hugging Face checkpoint dir: config.json + model.safetensors (+ tokenizer.json and
                       tokenizer_config.json for --prompt / --dataset; \`train\` checkpoints use the char
                       tokenizer saved in their trainer_state.json)
  --preset NAME        freshly initialised model: ${PRESETS.join(", ")}, with the trainer's char tokenizer
    --family F         ${FAMILIES.join(", ")} (default qwen3)
    --seed N           init seed (default 0)
input (one of):
  --tokens IDS         comma-separated token ids; every position is pooled
  --prompt TEXT        plain text (no chat template, no special tokens) encoded with the model's tokenizer
  --dataset FILE       verl parquet or JSONL; prompt (+ response) rendered with the chat template when the
                       tokenizer has one; response positions of all samples pooled (spec §3.2)
    --samples N        first N rows (default 10, as the paper's plots)
options:
  --lens raw|normed    raw = W_U·h, no final norm (repo-faithful, default); normed = W_U·RMSNorm_final(h)
  --true-last-layer    layerEntropy[L] = the model's own policy (the repo plot never applies the final norm)
  --stream MODE        checkpoints only: on = weights streamed from the files one layer at a time, W_U in
                       vocabulary chunks (any model size; progress + ETA on stderr); off = whole model in
                       memory; auto (default) = in memory when it fits comfortably, else streamed. Either way
                       the job's peak memory is estimated first and a job over TRAINER_MEMORY_LIMIT_MB
                       (default: available memory minus 1 GiB) is refused with the numbers
  --json               print one JSON object instead of tables
  --backend B          ${BACKENDS.join(", ")} (default auto)
  -h, --help           this text`;

const FLAGS = {
  model: { type: "string" },
  preset: { type: "string" },
  family: { type: "string" },
  seed: { type: "string" },
  tokens: { type: "string" },
  prompt: { type: "string" },
  dataset: { type: "string" },
  samples: { type: "string" },
  lens: { type: "string" },
  "true-last-layer": { type: "boolean" },
  stream: { type: "string" },
  json: { type: "boolean" },
  backend: { type: "string" },
} as const;

/** Validated flags. */
export interface AnalyzeArgs {
  model: ModelSpec;
  input:
    | { kind: "tokens"; tokens: number[] }
    | { kind: "prompt"; text: string }
    | { kind: "dataset"; file: string; samples: number };
  lens: LensMode;
  trueLastLayer: boolean;
  stream: (typeof STREAM_MODES)[number];
  json: boolean;
  backend: (typeof BACKENDS)[number];
}

/** `--tokens` | `--prompt` | `--dataset [--samples N]` (also read by `compare-layers`). */
export function parseInputFlags(values: FlagValues): AnalyzeArgs["input"] {
  const inputKind = exactlyOne(values, ["tokens", "prompt", "dataset"]);
  onlyWith(values, ["samples"], inputKind === "dataset", "--dataset");
  if (inputKind === "tokens")
    return { kind: "tokens", tokens: intListFlag(values, "tokens", 2 ** 31 - 1) as number[] };
  if (inputKind === "prompt") {
    const text = str(values, "prompt") as string;
    if (text.length === 0) throw new UsageError("--prompt must be a non-empty text");
    return { kind: "prompt", text };
  }
  return {
    kind: "dataset",
    file: str(values, "dataset") as string,
    samples: intFlag(values, "samples", { min: 1, max: 100_000 }, 10),
  };
}

/** Flag validation only (no model loaded); throws {@link UsageError}. */
export function parseAnalyzeArgs(values: FlagValues): AnalyzeArgs {
  const model = parseModelFlags(values);
  onlyWith(values, ["stream"], model.kind === "checkpoint", "--model");
  return {
    model,
    input: parseInputFlags(values),
    lens: enumFlag(values, "lens", LENSES, "raw"),
    trueLastLayer: values["true-last-layer"] === true,
    stream: enumFlag(values, "stream", STREAM_MODES, "auto"),
    json: values.json === true,
    backend: enumFlag(values, "backend", BACKENDS, "auto"),
  };
}

export interface PreparedInput {
  rows: { tokens: number[]; labels?: string[]; range: [number, number] }[];
  positions: AnalyzeReport["positions"];
}

/** Runs a probe step; its bad-input errors become usage errors (exit 2) prefixed with the flag at fault. */
async function forFlag<T>(flag: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof ProbeInputError) throw new UsageError(`${flag}: ${errorLine(e)}`);
    throw e;
  }
}

/** Token rows and pooled ranges for the chosen input. */
export async function prepareInput(
  args: Pick<AnalyzeArgs, "input">,
  m: Pick<ProbeModel, "config" | "tokenizer">,
): Promise<PreparedInput> {
  const V = m.config.vocabSize;
  const labelsOf = (ids: number[]) =>
    m.tokenizer ? ids.map((id) => m.tokenizer?.label(id) ?? "") : undefined;
  const single = async (flag: string, tokens: number[]): Promise<PreparedInput> => {
    await forFlag(flag, () => checkTokenIds(tokens, V));
    return {
      rows: [{ tokens, labels: labelsOf(tokens), range: [0, tokens.length] }],
      positions: { kind: "all" },
    };
  };
  switch (args.input.kind) {
    case "tokens":
      return single("--tokens", args.input.tokens);
    case "prompt": {
      const tok = m.tokenizer;
      if (!tok) {
        throw new UsageError("--prompt needs tokenizer.json in the --model directory; or pass --tokens");
      }
      let tokens: number[];
      try {
        tokens = tok.encode(args.input.text);
      } catch (e) {
        throw new UsageError(`--prompt: ${errorLine(e)}`);
      }
      if (tokens.length === 0) throw new UsageError("--prompt encodes to zero tokens");
      return single("--prompt", tokens);
    }
    case "dataset": {
      const tok = m.tokenizer;
      if (!tok) throw new UsageError("--dataset needs a tokenizer: tokenizer.json in the --model directory");
      const { file, samples } = args.input;
      const ds = await forFlag("--dataset", async () =>
        datasetSamples(await readDatasetProblems({ path: file }, samples), tok, {
          vocabSize: V,
          name: path.basename(file),
        }),
      );
      return {
        rows: ds.samples.map((s) => ({ tokens: s.tokens, labels: labelsOf(s.tokens), range: s.range })),
        positions: ds.note ? { kind: ds.positions, note: ds.note } : { kind: ds.positions },
      };
    }
  }
}

/** Peak-memory estimate of analysing `input` with `m` in the mode `--stream` asks for; refused when too big. */
function admitCheckpointJob(args: AnalyzeArgs, m: StreamedProbeModel, input: PreparedInput): MemoryEstimate {
  const job = streamedJobShape(
    m,
    input.rows.map((r) => ({ tokens: r.tokens, range: r.range })),
  );
  const allowance = memoryAllowance(readTrainerEnv().TRAINER_MEMORY_LIMIT_MB);
  const estimate =
    args.stream === "on"
      ? estimateStreamed(m.config, job)
      : args.stream === "off"
        ? estimateInHeap(m.config, job)
        : chooseMode(m.config, job, allowance);
  admit(estimate, allowance, `analysis of ${m.info.path}`);
  return estimate;
}

/** Streamed analysis with a progress bar (GFLOP of matrix products done, ETA) on stderr. */
async function runStreamed(
  args: AnalyzeArgs,
  m: StreamedProbeModel,
  input: PreparedInput,
  backend: BackendInfo,
  io: CliIo | undefined,
): Promise<AnalyzeReport> {
  let bar: ReturnType<typeof createProgress> | undefined;
  let unit = { name: "GFLOP", flops: 1e9 };
  const onProgress = (p: StreamedProgress) => {
    if (io === undefined) return;
    if (bar === undefined) {
      if (p.totalFlops < 1e11) unit = { name: "MFLOP", flops: 1e6 };
      bar = createProgress({
        total: Math.max(1, Math.round(p.totalFlops / unit.flops)),
        label: `analyze ${unit.name}`,
        write: io.stderr,
        isTty: io.stderrIsTty,
        ...(io.stderrColumns === undefined ? {} : { columns: io.stderrColumns }),
        minIntervalMs: 5000,
      });
    }
    const stage = p.stage === "layers" ? `layer ${p.layer}/${p.layers}` : p.stage;
    const done = p.stage === "done" ? p.totalFlops : p.doneFlops;
    bar.update(Math.round(done / unit.flops), `${stage} · ${p.samples} samples · ${p.tokens} tokens`);
  };
  const started = performance.now();
  try {
    const analysis = await analyzeSamplesStreamed(
      m,
      input.rows.map((r) => ({ tokens: r.tokens, range: r.range })),
      { lens: args.lens, trueLastLayer: args.trueLastLayer, onProgress },
    );
    return buildReport(m, backend, analysis, input.rows, input.positions, performance.now() - started);
  } finally {
    bar?.finish();
  }
}

/**
 * Runs the analysis for validated args; returns the report (tests call this directly). A checkpoint is opened
 * headers-only first: memory admission then picks (or checks) the mode before any weight is read.
 */
export async function runAnalyze(
  args: AnalyzeArgs,
  io?: CliIo,
): Promise<{ report: AnalyzeReport; model: Pick<ProbeModel, "info">; estimate?: MemoryEstimate }> {
  const env = readTrainerEnv();
  const backend = await initBackend({
    prefer: args.backend,
    native: nativeKernelOptions(env),
    webgpu: webgpuOptions(env),
  });
  const source = args.model;
  let input: PreparedInput | undefined;
  let estimate: MemoryEstimate | undefined;
  if (source.kind === "checkpoint") {
    const streamed = await forFlag("--model", () => openStreamedCheckpoint(source.dir));
    try {
      input = await prepareInput(args, streamed);
      estimate = admitCheckpointJob(args, streamed, input);
      if (estimate.mode === "streamed") {
        io?.stderr(`streamed analysis, estimated peak ${formatMiB(estimate.totalBytes)}\n`);
        const report = await runStreamed(args, streamed, input, backend, io);
        return { report, model: streamed, estimate };
      }
    } finally {
      await streamed.reader.close();
    }
  }
  const model =
    source.kind === "checkpoint"
      ? await forFlag("--model", () => loadCheckpointModel(source.dir))
      : presetModel({ preset: source.preset, family: source.family }, source.seed);
  try {
    input ??= await prepareInput(args, model);
    const started = performance.now();
    const analysis = await analyzeSamples(model, input.rows, {
      lens: args.lens,
      trueLastLayer: args.trueLastLayer,
    });
    const report = buildReport(
      model,
      backend,
      analysis,
      input.rows,
      input.positions,
      performance.now() - started,
    );
    return { report, model, ...(estimate === undefined ? {} : { estimate }) };
  } finally {
    disposeWeights(model.weights);
  }
}

export const analyzeCommand: CommandFn = async (argv: string[], io: CliIo) => {
  const values = parseFlags("analyze", argv, FLAGS);
  if (values.help) {
    io.stdout(`${ANALYZE_USAGE}\n`);
    return 0;
  }
  const args = parseAnalyzeArgs(values);
  const { report, model } = await runAnalyze(args, io);
  io.stdout(args.json ? `${JSON.stringify(report)}\n` : formatReport(report, model));
  return 0;
};

/** Entry point for main.ts. */
export const run = (argv: string[]) => runCommand(analyzeCommand, argv);
