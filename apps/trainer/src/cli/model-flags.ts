/**
 * CLI side of model sources: the allowed values of `--preset`, `--family`, `--backend`, and the one-line model
 * description printed by `analyze` / `bench`. Loading lives in src/probe (model-source.ts, tokenizer.ts).
 */
import { MODEL_FAMILIES, MODEL_PRESETS } from "@bupo/shared/model-presets";
import type { BackendPreference } from "../backend/index.ts";
import type { ProbeModel } from "../probe/index.ts";

export const PRESETS = MODEL_PRESETS;
export const FAMILIES = MODEL_FAMILIES;
export const BACKENDS = [
  "auto",
  "webgpu",
  "wasm",
  "cpu",
  "tensorflow",
] as const satisfies readonly BackendPreference[];

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
