/**
 * The text tokenizer of a probed model, one interface over three kinds:
 * 1. tokenizer.json + tokenizer_config.json → src/tokenizer's HfTokenizer (chat template, stop ids); tokenizer.json
 *    alone (or a chat template our Jinja subset cannot compile) → plain encoding through @huggingface/tokenizers;
 * 2. a `train` checkpoint: the char tokenizer saved in trainer_state.json (exact ids of the run);
 * 3. a checkpoint whose run config names a built-in task, and every preset: the trainer's default char tokenizer
 *    over all built-in alphabets (src/train `defaultTokenizer`), so V matches `train` runs.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  loadHfTokenizer as loadRawTokenizer,
  type HfTokenizer as RawHfTokenizer,
} from "../checkpoint/index.ts";
import { type ChatMessage, HfTokenizer, loadHfTokenizer, type TextTokenizer } from "../tokenizer/index.ts";
import { charTokenizerFromJson } from "../train/char-tokenizer.ts";
import { defaultTokenizer } from "../train/run-setup.ts";

export interface ProbePromptOptions {
  /** Qwen3 chat-template `enable_thinking` (default false, as the paper trains). */
  enableThinking?: boolean;
}

/** What the probe needs from a tokenizer. */
export interface ProbeTokenizer {
  kind: "char" | "tokenizer.json";
  vocabSize: number;
  /** Plain text → ids (no special tokens, no chat template); throws on unknown characters (char). */
  encode(text: string): number[];
  /** Ids → text, special tokens and ids beyond the vocabulary skipped (verl decodes responses before grading). */
  decode(ids: readonly number[]): string;
  /** Short printable label of one id. */
  label(id: number): string;
  /** Prompt ids as the trainer builds them (char: `<bos>` + text; chat template + generation prompt). */
  encodePrompt(prompt: string | readonly ChatMessage[], opts?: ProbePromptOptions): number[];
  /** Sampling stops after any of these ids (empty for a bare tokenizer.json: responses run to the limit). */
  stopIds: readonly number[];
  /** Id for padding slots of a sampling batch (masked out). */
  padId: number;
  /** The tokenizer.json tokenizer when it has a chat template (renders prompt + response conversations). */
  chat?: HfTokenizer;
}

/** Printable form of a token string (whitespace and control characters made visible). */
export function printable(token: string): string {
  const named: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };
  return Array.from(token, (ch) => {
    const code = ch.codePointAt(0) as number;
    if (named[ch]) return named[ch];
    return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : ch;
  }).join("");
}

/**
 * src/tokenizer's CharTokenizer (built-in tasks) or HfTokenizer (tokenizer.json + tokenizer_config.json). A model
 * may have more embedding rows than its tokenizer has ids (e.g. Qwen pads V); such sampled ids decode to "".
 */
export function probeTokenizer(t: TextTokenizer): ProbeTokenizer {
  const known = (ids: readonly number[]) => ids.filter((id) => id >= 0 && id < t.vocabSize);
  return {
    kind: t.kind === "char" ? "char" : "tokenizer.json",
    vocabSize: t.vocabSize,
    encode: (text) => t.encode(text),
    decode: (ids) => t.decode(known(ids), { skipSpecialTokens: true }),
    label: (id) => (id < t.vocabSize ? printable(t.decode([id])) : `<${id}>`),
    encodePrompt: (p, opts) => t.encodePrompt(p, { enableThinking: opts?.enableThinking ?? false }),
    stopIds: t.stopIds,
    padId: t.padId,
    chat: t instanceof HfTokenizer && t.chatTemplateSource ? t : undefined,
  };
}

/** The char tokenizer `train` uses for fresh built-in-task runs (src/train `defaultTokenizer`). */
export function trainerCharTokenizer(): ProbeTokenizer {
  return probeTokenizer(defaultTokenizer());
}

// Byte-level BPE stores spaces as "Ġ" and newlines as "Ċ"; show them as a space / "\n".
const bpeLabel = (token: string | undefined, id: number) =>
  printable((token ?? `<${id}>`).replace(/Ġ/g, " ").replace(/Ċ/g, "\n"));

/** tokenizer.json alone (no tokenizer_config.json, or a chat template we cannot compile): plain encoding. */
function rawProbeTokenizer(raw: RawHfTokenizer): ProbeTokenizer {
  let maxId = -1;
  for (const id of raw.get_vocab(true).values()) maxId = Math.max(maxId, id); // no spread: 150k+ entries
  const encode = (text: string) => raw.encode(text, { add_special_tokens: false }).ids;
  return {
    kind: "tokenizer.json",
    vocabSize: maxId + 1,
    encode,
    decode: (ids) => raw.decode([...ids], { skip_special_tokens: true }),
    label: (id) => bpeLabel(raw.id_to_token(id), id),
    encodePrompt: (p) => encode(typeof p === "string" ? p : p.map((m) => m.content).join("\n")),
    stopIds: [],
    padId: 0,
  };
}

function readJsonIfPresent(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** The tokenizer.json tokenizer of `dir` (full when tokenizer_config.json compiles), or undefined without one. */
export async function loadTokenizerJson(dir: string): Promise<ProbeTokenizer | undefined> {
  if (!existsSync(path.join(dir, "tokenizer.json"))) return undefined;
  if (existsSync(path.join(dir, "tokenizer_config.json"))) {
    try {
      return probeTokenizer(await loadHfTokenizer(dir));
    } catch {
      // e.g. a chat template our Jinja subset cannot compile: plain encoding still works.
    }
  }
  const raw = await loadRawTokenizer(dir);
  return raw ? rawProbeTokenizer(raw) : undefined;
}

/**
 * Tokenizer of a checkpoint directory (see the file comment for the order); `runConfig` is its
 * bupo_run_config.json when present. Undefined when the directory names none.
 */
export async function loadCheckpointTokenizer(
  dir: string,
  runConfig: unknown,
): Promise<ProbeTokenizer | undefined> {
  const hf = await loadTokenizerJson(dir);
  if (hf) return hf;
  const state = readJsonIfPresent(path.join(dir, "trainer_state.json")) as
    | { tokenizer?: unknown; runConfig?: unknown }
    | undefined;
  if (state?.tokenizer !== undefined) {
    try {
      return probeTokenizer(charTokenizerFromJson(state.tokenizer));
    } catch {
      // not a char tokenizer: fall through
    }
  }
  const task = ((runConfig ?? state?.runConfig) as { task?: { source?: unknown } } | undefined)?.task;
  return task?.source === "builtin" ? trainerCharTokenizer() : undefined;
}
