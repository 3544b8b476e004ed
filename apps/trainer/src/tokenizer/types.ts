/** The tokenizer contract shared by the char-level tokenizer (built-in tasks) and tokenizer.json models. */

/** One chat turn (extra keys such as `reasoning_content` or `tool_calls` pass through to templates). */
export interface ChatMessage {
  role: string;
  content: string;
  [key: string]: unknown;
}

export interface PromptOptions {
  /** Qwen3 `enable_thinking`; the paper trains with thinking off (`qwen3_no_thinking`). Default false. */
  enableThinking?: boolean;
  /** Append the assistant header (`add_generation_prompt`). Default true. */
  addGenerationPrompt?: boolean;
}

export interface DecodeOptions {
  /** Drop special tokens (pad/bos/eos, chat markers); verl decodes responses with this on. Default false. */
  skipSpecialTokens?: boolean;
}

export interface TextTokenizer {
  readonly kind: "char" | "hf";
  /** Embedding rows needed: max token id + 1. */
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number | null;
  /** Ends an assistant response (appended to warm-start targets; char `<eos>`, Qwen `<|im_end|>`, Llama-3 `<|eot_id|>`). */
  readonly eosId: number;
  /** Generation stops at any of these ids (includes `eosId`). */
  readonly stopIds: readonly number[];
  /** Plain text → ids, no special tokens added. */
  encode(text: string): number[];
  decode(ids: readonly number[], options?: DecodeOptions): string;
  /** Prompt ids ready for sampling (char: `<bos>` + chars; tokenizer.json: chat template + generation prompt). */
  encodePrompt(prompt: string | readonly ChatMessage[], options?: PromptOptions): number[];
  /** Warm-start target ids: `encode(text)` + `eosId`. */
  encodeResponse(text: string): number[];
  /** Whether an id is a special token (skipped by `skipSpecialTokens`). */
  isSpecial(id: number): boolean;
}
