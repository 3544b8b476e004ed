/**
 * How a run's tokenizer is recorded in `trainer_state.json` and rebuilt on resume:
 * - char tokenizers (`tokenizer/` CharTokenizer, built-in tasks): `{ type: "char", alphabet }`;
 * - tokenizer.json tokenizers (datasets): `{ type: "hf" }` — the files are copied into the checkpoint folder
 *   and loaded from there.
 */
import { CharTokenizer } from "../tokenizer/char-tokenizer.ts";
import { loadHfTokenizer } from "../tokenizer/hf-tokenizer.ts";
import type { TrainTokenizer } from "./types.ts";

export type TokenizerJson = { type: "char"; alphabet: string } | { type: "hf" };

export function tokenizerToJson(t: TrainTokenizer): TokenizerJson {
  if (t instanceof CharTokenizer) return { type: "char", alphabet: t.alphabet };
  return { type: "hf" };
}

/** Rebuilds a char tokenizer saved by {@link tokenizerToJson}; throws for anything else. */
export function charTokenizerFromJson(json: unknown): CharTokenizer {
  const j = json as Partial<{ type: string; alphabet: string }> | null;
  if (j?.type !== "char" || typeof j.alphabet !== "string")
    throw new Error("unsupported tokenizer description (expected a char tokenizer)");
  return new CharTokenizer(j.alphabet);
}

/** The tokenizer recorded in a checkpoint folder's trainer state. */
export async function tokenizerFromJson(json: unknown, checkpointDir: string): Promise<TrainTokenizer> {
  if ((json as { type?: unknown } | null)?.type === "hf") return loadHfTokenizer(checkpointDir);
  return charTokenizerFromJson(json);
}
