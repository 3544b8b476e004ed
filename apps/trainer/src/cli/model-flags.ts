/**
 * CLI side of model sources: the allowed values of `--preset`, `--family`, `--backend`, and the one-line model
 * description printed by `analyze` / `bench`. Loading lives in src/probe (model-source.ts, tokenizer.ts).
 */
import { MODEL_FAMILIES, MODEL_PRESETS } from "@bupo/shared/model-presets";
import type { BackendPreference } from "../backend/index.ts";
import type { ProbeModel } from "../probe/index.ts";
import { enumFlag, exactlyOne, type FlagValues, intFlag, onlyWith, str } from "./args.ts";

export const PRESETS = MODEL_PRESETS;
export const FAMILIES = MODEL_FAMILIES;
export const BACKENDS = [
  "auto",
  "webgpu",
  "wasm",
  "cpu",
  "tensorflow",
] as const satisfies readonly BackendPreference[];

/** A model named on the command line: a checkpoint folder, or a freshly initialised preset. */
export type ModelSpec =
  | { kind: "checkpoint"; dir: string }
  | { kind: "preset"; preset: (typeof PRESETS)[number]; family: (typeof FAMILIES)[number]; seed: number };

/** `--model DIR` | `--preset NAME [--family F] [--seed N]`; throws a UsageError naming the flag. */
export function parseModelFlags(values: FlagValues): ModelSpec {
  const source = exactlyOne(values, ["model", "preset"]);
  onlyWith(values, ["family", "seed"], source === "preset", "--preset");
  return source === "model"
    ? { kind: "checkpoint", dir: str(values, "model") as string }
    : {
        kind: "preset",
        preset: enumFlag(values, "preset", PRESETS, "tiny"),
        family: enumFlag(values, "family", FAMILIES, "qwen3"),
        seed: intFlag(values, "seed", { min: 0, max: 2 ** 31 - 1 }, 0),
      };
}

/** "1.06M" / "812k" / "950". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return String(n);
}

/** One line: "qwen3 L4 d128 V256 1.06M params, tied (preset tiny, seed 0)". */
export function describeModel(m: Pick<ProbeModel, "info">): string {
  const i = m.info;
  const where = i.source === "checkpoint" ? `checkpoint ${i.path}` : `preset ${i.preset}, seed ${i.seed}`;
  const tied = i.tieWordEmbeddings ? "tied" : "untied";
  return `${i.family} L${i.numLayers} d${i.hiddenSize} V${i.vocabSize} ${formatCount(i.parameters)} params, ${tied} (${where})`;
}
