/**
 * `sample`: text sampled from an internal layer policy π_k (spec §1.1, issue 15) — what layer k "would say" —
 * with the model's own KV-cache sampler (model/internal-sampling.ts). k = L−1 is the model's own policy.
 * The prompt is rendered as the trainer renders prompts (char: `<bos>` + text; tokenizer.json: its chat template
 * with the generation prompt, when it has one), or given as token ids. The model is loaded in memory.
 */
import { initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv, webgpuOptions } from "../env.ts";
import type { FinishReason } from "../model/generate.ts";
import { generateFromLayer } from "../model/internal-sampling.ts";
import { disposeWeights } from "../model/weights.ts";
import {
  checkTokenIds,
  encodeSamplingPrompt,
  loadCheckpointModel,
  ProbeInputError,
  type ProbeModel,
  presetModel,
} from "../probe/index.ts";
import {
  type CliIo,
  type CommandFn,
  enumFlag,
  errorLine,
  exactlyOne,
  type FlagValues,
  intFlag,
  intListFlag,
  parseFlags,
  runCommand,
  str,
  UsageError,
} from "./args.ts";
import {
  BACKENDS,
  describeModel,
  FAMILIES,
  type ModelSpec,
  PRESETS,
  parseModelFlags,
} from "./model-flags.ts";

const LENSES = ["raw", "normed"] as const;

export const SAMPLE_USAGE = `usage: bupo-trainer sample (--model DIR | --preset NAME [--family F] [--seed N])
                          (--prompt TEXT | --tokens 1,2,3) [--layer K] [--lens raw|normed]
                          [--temperature T] [--top-p P] [--max-new-tokens N] [--sampling-seed N]
                          [--json] [--backend B]

Samples text from the internal layer policy π_K (repo 0-based K, paper layer K+1):
  raw (default, repo-faithful)  π_K = softmax(W_U · h_{K+1} / T), no final norm
  normed                        π_K = softmax(W_U · RMSNorm_final(h_{K+1}) / T)
  K = L−1                       the model's own policy softmax(W_U · RMSNorm_final(h_L) / T), either lens

model (one of):
  --model DIR          Hugging Face or \`train\` checkpoint dir (tokenizer.json for --prompt)
  --preset NAME        freshly initialised ${PRESETS.join(", ")} model with the trainer's char tokenizer
    --family F         ${FAMILIES.join(", ")} (default qwen3)
    --seed N           init seed (default 0)
input (one of):
  --prompt TEXT        rendered as the trainer renders prompts (chat template when the tokenizer has one)
  --tokens IDS         comma-separated prompt token ids
options:
  --layer K            internal layer, 0 … L−1 (default L−1: the model policy)
  --lens raw|normed    see above (default raw)
  --temperature T      softmax temperature (default 1; 0 = greedy)
  --top-p P            nucleus mass in (0, 1] (default 1)
  --max-new-tokens N   default 64
  --sampling-seed N    PRNG seed (default 0)
  --json               one JSON object instead of text
  --backend B          ${BACKENDS.join(", ")} (default auto)
  -h, --help           this text`;

const FLAGS = {
  model: { type: "string" },
  preset: { type: "string" },
  family: { type: "string" },
  seed: { type: "string" },
  prompt: { type: "string" },
  tokens: { type: "string" },
  layer: { type: "string" },
  lens: { type: "string" },
  temperature: { type: "string" },
  "top-p": { type: "string" },
  "max-new-tokens": { type: "string" },
  "sampling-seed": { type: "string" },
  json: { type: "boolean" },
  backend: { type: "string" },
} as const;

export interface SampleArgs {
  model: ModelSpec;
  input: { kind: "prompt"; text: string } | { kind: "tokens"; tokens: number[] };
  /** Undefined = L−1 (known once the model is loaded). */
  layer?: number;
  lens: (typeof LENSES)[number];
  temperature: number;
  topP: number;
  maxNewTokens: number;
  samplingSeed: number;
  json: boolean;
  backend: (typeof BACKENDS)[number];
}

export interface SampleReport {
  model: string;
  layer: number;
  numLayers: number;
  lens: (typeof LENSES)[number];
  temperature: number;
  promptTokens: number[];
  tokens: number[];
  text: string;
  /** log π_K of each sampled token (÷ T; T = 1 when greedy), before top-p truncation. */
  logProbs: number[];
  finishReason: FinishReason;
}

/** A number flag within [min, max]. */
function numberFlag(values: FlagValues, name: string, min: number, max: number, fallback: number): number {
  const text = str(values, name);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || v < min || v > max)
    throw new UsageError(`--${name} must be a number in [${min}, ${max}], got "${text}"`);
  return v;
}

/** Flag validation only; throws {@link UsageError}. */
export function parseSampleArgs(values: FlagValues): SampleArgs {
  const model = parseModelFlags(values);
  const inputKind = exactlyOne(values, ["prompt", "tokens"]);
  const text = str(values, "prompt") ?? "";
  if (inputKind === "prompt" && text.length === 0) throw new UsageError("--prompt must be a non-empty text");
  const topP = numberFlag(values, "top-p", 0, 1, 1);
  if (topP === 0) throw new UsageError("--top-p must be in (0, 1]");
  const layer = intFlag(values, "layer", { min: 0, max: 10_000 });
  return {
    model,
    input:
      inputKind === "prompt"
        ? { kind: "prompt", text }
        : { kind: "tokens", tokens: intListFlag(values, "tokens", 2 ** 31 - 1) as number[] },
    ...(layer === undefined ? {} : { layer }),
    lens: enumFlag(values, "lens", LENSES, "raw"),
    temperature: numberFlag(values, "temperature", 0, 100, 1),
    topP,
    maxNewTokens: intFlag(values, "max-new-tokens", { min: 1, max: 100_000 }, 64),
    samplingSeed: intFlag(values, "sampling-seed", { min: 0, max: 2 ** 31 - 1 }, 0),
    json: values.json === true,
    backend: enumFlag(values, "backend", BACKENDS, "auto"),
  };
}

/** Prompt ids of the input; bad input is a usage error naming the flag. */
function promptIds(args: SampleArgs, model: ProbeModel): number[] {
  try {
    if (args.input.kind === "tokens") {
      checkTokenIds(args.input.tokens, model.config.vocabSize, "--tokens");
      return args.input.tokens;
    }
    if (!model.tokenizer) throw new UsageError("--prompt needs tokenizer.json in the --model directory");
    return encodeSamplingPrompt(model, model.tokenizer, args.input.text, "--prompt");
  } catch (e) {
    if (e instanceof ProbeInputError) throw new UsageError(errorLine(e));
    throw e;
  }
}

/** Loads the model, samples from π_K, disposes the model. */
export async function runSample(args: SampleArgs): Promise<SampleReport> {
  const env = readTrainerEnv();
  await initBackend({ prefer: args.backend, native: nativeKernelOptions(env), webgpu: webgpuOptions(env) });
  let model: ProbeModel;
  try {
    model =
      args.model.kind === "checkpoint"
        ? await loadCheckpointModel(args.model.dir)
        : presetModel({ preset: args.model.preset, family: args.model.family }, args.model.seed);
  } catch (e) {
    if (e instanceof ProbeInputError) throw new UsageError(`--model: ${errorLine(e)}`);
    throw e;
  }
  try {
    const L = model.config.numLayers;
    const layer = args.layer ?? L - 1;
    if (layer >= L) throw new UsageError(`--layer must be in [0, ${L - 1}] for this ${L}-layer model`);
    const prompt = promptIds(args, model);
    const stopIds = [...(model.tokenizer?.stopIds ?? [])];
    const g = await generateFromLayer(model.weights, model.config, [prompt], {
      layer,
      applyFinalNorm: args.lens === "normed",
      maxNewTokens: args.maxNewTokens,
      temperature: args.temperature,
      topP: args.topP,
      seed: args.samplingSeed,
      stopIds,
      eosId: model.config.eosTokenId,
    });
    const tokens = g.tokens[0] ?? [];
    return {
      model: describeModel(model),
      layer,
      numLayers: L,
      lens: args.lens,
      temperature: args.temperature,
      promptTokens: prompt,
      tokens,
      text: model.tokenizer?.decode(tokens) ?? tokens.join(" "),
      logProbs: g.logProbs[0] ?? [],
      finishReason: g.finishReasons[0] ?? "length",
    };
  } finally {
    disposeWeights(model.weights);
  }
}

export const sampleCommand: CommandFn = async (argv: string[], io: CliIo) => {
  const values = parseFlags("sample", argv, FLAGS);
  if (values.help) {
    io.stdout(`${SAMPLE_USAGE}\n`);
    return 0;
  }
  const args = parseSampleArgs(values);
  const r = await runSample(args);
  if (args.json) {
    io.stdout(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const mean = r.logProbs.length ? r.logProbs.reduce((s, v) => s + v, 0) / r.logProbs.length : Number.NaN;
  io.stderr(
    `${r.model}\nπ_${r.layer} (paper layer ${r.layer + 1} of ${r.numLayers}, ${r.lens} lens, T ${r.temperature}): ` +
      `${r.tokens.length} tokens, ${r.finishReason}, mean log-prob ${mean.toFixed(3)}\n`,
  );
  io.stdout(`${r.text}\n`);
  return 0;
};

/** Entry point for main.ts. */
export const run = (argv: string[]) => runCommand(sampleCommand, argv);
