/**
 * `compare-layers`: linear CKA between the residual streams of two or more models or checkpoints on the same
 * inputs (issue 15): for each model after the first, the depth × depth CKA matrix against the first (the
 * reference, e.g. the base model) and the CKA along equal relative depth. Models of different widths and depths
 * compare (token Grams); they must share the token ids (the first model's tokenizer encodes --prompt/--dataset).
 * One model at a time: in memory, or (checkpoints, `--stream`) streamed from its files layer by layer.
 */

import {
  compareWithReference,
  type LayerComparison,
  type LayerGrams,
  layerGrams,
} from "../analysis/layer-comparison.ts";
import { DEFAULT_SIMILARITY_TOKENS } from "../analysis/pooled-states.ts";
import { chooseMode, memoryAllowance } from "../analysis/streamed/memory-plan.ts";
import { streamedLayerGrams } from "../analysis/streamed-layer-grams.ts";
import { initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv, webgpuOptions } from "../env.ts";
import { disposeWeights } from "../model/weights.ts";
import {
  checkTokenIds,
  loadCheckpointModel,
  ProbeInputError,
  type ProbeModel,
  presetModel,
} from "../probe/index.ts";
import { openStreamedCheckpoint, streamedJobShape } from "../probe/streamed-model.ts";
import { type PreparedInput, parseInputFlags, prepareInput } from "./analyze-command.ts";
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
import { BACKENDS, describeModel, FAMILIES, type ModelSpec, PRESETS } from "./model-flags.ts";

export const COMPARE_LAYERS_USAGE = `usage: bupo-trainer compare-layers (--models DIR,DIR[,…] | --preset NAME [--family F] --seeds 0,1[,…])
                                  (--tokens 1,2,3 | --prompt TEXT | --dataset FILE [--samples N])
                                  [--max-tokens N] [--stream auto|on|off] [--json] [--backend B]

Linear CKA between the residual streams h_0 … h_L of the first model (the reference) and each other model, on
the same inputs: the depth × depth matrix (rows: reference depth, columns: other model's depth; 0 = embeddings)
and the CKA at equal relative depth. Widths and depths may differ; token ids must be shared.

models (one of):
  --models DIRS        comma-separated Hugging Face / \`train\` checkpoint dirs; the first is the reference
  --preset NAME        freshly initialised ${PRESETS.join(", ")} models, one per --seeds entry
    --family F         ${FAMILIES.join(", ")} (default qwen3)
    --seeds N,N        init seeds (two or more)
input (one of): as \`analyze\` (--tokens: all positions; --dataset: response positions of all samples)
options:
  --max-tokens N       pooled tokens compared, first in sample order (default ${DEFAULT_SIMILARITY_TOKENS}; Grams are
                       N × N floats per depth and model)
  --stream MODE        checkpoints: on = residual streams computed from the files one layer at a time (any
                       size; no W_U read); off = whole model in memory; auto (default) = in memory when it
                       fits comfortably (analyze's memory estimate), else streamed
  --json               one JSON object instead of tables
  --backend B          ${BACKENDS.join(", ")} (default auto)
  -h, --help           this text`;

const FLAGS = {
  models: { type: "string" },
  preset: { type: "string" },
  family: { type: "string" },
  seeds: { type: "string" },
  tokens: { type: "string" },
  prompt: { type: "string" },
  dataset: { type: "string" },
  samples: { type: "string" },
  "max-tokens": { type: "string" },
  stream: { type: "string" },
  json: { type: "boolean" },
  backend: { type: "string" },
} as const;

const STREAM_MODES = ["auto", "on", "off"] as const;

export interface CompareLayersArgs {
  models: ModelSpec[];
  input: ReturnType<typeof parseInputFlags>;
  maxTokens: number;
  stream: (typeof STREAM_MODES)[number];
  json: boolean;
  backend: (typeof BACKENDS)[number];
}

export interface CompareLayersReport {
  numTokens: number;
  /** One line per model; the first is the reference. */
  models: string[];
  /** comparisons[m] compares models[m + 1] with models[0]. */
  comparisons: LayerComparison[];
}

/** Flag validation only; throws {@link UsageError}. */
export function parseCompareLayersArgs(values: FlagValues): CompareLayersArgs {
  const source = exactlyOne(values, ["models", "preset"]);
  onlyWith(values, ["family", "seeds"], source === "preset", "--preset");
  let models: ModelSpec[];
  if (source === "models") {
    models = (str(values, "models") as string)
      .split(",")
      .map((d) => d.trim())
      .filter((d) => d.length > 0)
      .map((dir) => ({ kind: "checkpoint", dir }));
  } else {
    const preset = enumFlag(values, "preset", PRESETS, "tiny");
    const family = enumFlag(values, "family", FAMILIES, "qwen3");
    const seeds = intListFlag(values, "seeds", 2 ** 31 - 1);
    if (seeds === undefined) throw new UsageError("--preset needs --seeds (two or more, comma-separated)");
    models = seeds.map((seed) => ({ kind: "preset", preset, family, seed }));
  }
  if (models.length < 2) throw new UsageError(`--${source}: compare-layers needs two or more models`);
  return {
    models,
    input: parseInputFlags(values),
    maxTokens: intFlag(values, "max-tokens", { min: 2, max: 4096 }, DEFAULT_SIMILARITY_TOKENS),
    stream: enumFlag(values, "stream", STREAM_MODES, "auto"),
    json: values.json === true,
    backend: enumFlag(values, "backend", BACKENDS, "auto"),
  };
}

const rowsOf = (input: PreparedInput) => ({
  tokens: input.rows.map((r) => r.tokens),
  ranges: input.rows.map((r) => ({ start: r.range[0], end: r.range[1] })),
});

/** Grams of one in-memory model (preset, or a checkpoint that fits); disposes it. */
async function inHeapGrams(model: ProbeModel, input: PreparedInput, maxTokens: number): Promise<LayerGrams> {
  try {
    const { tokens, ranges } = rowsOf(input);
    return await layerGrams(model.weights, model.config, tokens, ranges, { maxTokens });
  } finally {
    disposeWeights(model.weights);
  }
}

/** Grams of one checkpoint, streamed from its files or loaded in memory as `--stream` (and the memory) say. */
async function checkpointGrams(
  dir: string,
  args: CompareLayersArgs,
  shared: { input?: PreparedInput },
): Promise<{ grams: LayerGrams; line: string }> {
  const m = await openStreamedCheckpoint(dir);
  let input: PreparedInput;
  try {
    input = shared.input ?? (await prepareInput(args, m));
    shared.input = input;
    for (const r of input.rows) checkTokenIds(r.tokens, m.config.vocabSize);
    const job = streamedJobShape(
      m,
      input.rows.map((r) => ({ tokens: r.tokens, range: r.range })),
    );
    const streamed =
      args.stream === "on" ||
      (args.stream === "auto" &&
        chooseMode(m.config, job, memoryAllowance(readTrainerEnv().TRAINER_MEMORY_LIMIT_MB)).mode ===
          "streamed");
    if (streamed) {
      const { tokens, ranges } = rowsOf(input);
      const grams = await streamedLayerGrams(m.reader, m.config, tokens, ranges, {
        maxTokens: args.maxTokens,
      });
      return { grams, line: `${describeModel(m)}, streamed` };
    }
  } finally {
    await m.reader.close();
  }
  const model = await loadCheckpointModel(dir);
  return { grams: await inHeapGrams(model, input, args.maxTokens), line: describeModel(model) };
}

/** Computes each model's Grams in turn on the shared input (one model in memory at a time); then compares. */
export async function runCompareLayers(args: CompareLayersArgs): Promise<CompareLayersReport> {
  const env = readTrainerEnv();
  await initBackend({ prefer: args.backend, native: nativeKernelOptions(env), webgpu: webgpuOptions(env) });
  const shared: { input?: PreparedInput } = {};
  const grams: LayerGrams[] = [];
  const lines: string[] = [];
  for (const [m, spec] of args.models.entries()) {
    try {
      if (spec.kind === "checkpoint") {
        const r = await checkpointGrams(spec.dir, args, shared);
        grams.push(r.grams);
        lines.push(r.line);
      } else {
        const model = presetModel({ preset: spec.preset, family: spec.family }, spec.seed);
        let input: PreparedInput;
        try {
          input = shared.input ?? (await prepareInput(args, model));
          for (const r of input.rows) checkTokenIds(r.tokens, model.config.vocabSize);
        } catch (e) {
          disposeWeights(model.weights);
          throw e;
        }
        shared.input = input;
        lines.push(describeModel(model));
        grams.push(await inHeapGrams(model, input, args.maxTokens));
      }
    } catch (e) {
      if (e instanceof ProbeInputError) throw new UsageError(`model ${m + 1}: ${errorLine(e)}`);
      throw e;
    }
  }
  return { numTokens: grams[0]?.numTokens ?? 0, models: lines, comparisons: compareWithReference(grams) };
}

const f3 = (v: number) => v.toFixed(3);

/** Readable tables: per compared model, the relative-depth curve and the full matrix. */
export function formatCompareLayers(r: CompareLayersReport): string {
  const out = [`linear CKA over ${r.numTokens} pooled tokens`, `reference: ${r.models[0]}`];
  r.comparisons.forEach((c, m) => {
    out.push("", `model ${m + 2}: ${r.models[m + 1]}`, "equal relative depth (reference depth: CKA):");
    out.push(`  ${c.byDepth.map((v, i) => `${i}:${f3(v)}`).join("  ")}`);
    out.push("depth × depth (rows: reference h_i, columns: this model's h_j):");
    out.push(`      ${(c.matrix[0] ?? []).map((_, j) => String(j).padStart(6)).join("")}`);
    for (const [i, row] of c.matrix.entries())
      out.push(`${String(i).padStart(5)} ${row.map((v) => f3(v).padStart(6)).join("")}`);
  });
  return `${out.join("\n")}\n`;
}

export const compareLayersCommand: CommandFn = async (argv: string[], io: CliIo) => {
  const values = parseFlags("compare-layers", argv, FLAGS);
  if (values.help) {
    io.stdout(`${COMPARE_LAYERS_USAGE}\n`);
    return 0;
  }
  const args = parseCompareLayersArgs(values);
  const report = await runCompareLayers(args);
  io.stdout(args.json ? `${JSON.stringify(report)}\n` : formatCompareLayers(report));
  return 0;
};

/** Entry point for main.ts. */
export const run = (argv: string[]) => runCommand(compareLayersCommand, argv);
