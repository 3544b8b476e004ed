/** Tokenizers: char-level for built-in tasks, tokenizer.json (+ chat template) for datasets. */
export { CHAR_SPECIAL_TOKENS, CharTokenizer, createCharTokenizer } from "./char-tokenizer.ts";
export { HfTokenizer, loadHfTokenizer } from "./hf-tokenizer.ts";
export type { ChatMessage, DecodeOptions, PromptOptions, TextTokenizer } from "./types.ts";
