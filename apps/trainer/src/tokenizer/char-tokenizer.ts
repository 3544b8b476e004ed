/**
 * Character-level tokenizer for the built-in tasks: ids 0–2 are `<pad>`, `<bos>`, `<eos>`, then one id
 * per alphabet character in the given order. Vocabulary = 3 + |alphabet| (≈ 40 for all built-in tasks).
 */
import type { ChatMessage, DecodeOptions, TextTokenizer } from "./types.ts";

export const CHAR_SPECIAL_TOKENS = ["<pad>", "<bos>", "<eos>"] as const;

export class CharTokenizer implements TextTokenizer {
  readonly kind = "char" as const;
  readonly padId = 0;
  readonly bosId = 1;
  readonly eosId = 2;
  readonly stopIds: readonly number[] = [2];
  readonly vocabSize: number;
  /** The characters, index = id − 3. */
  readonly alphabet: string;
  private readonly ids = new Map<string, number>();

  constructor(alphabet: string) {
    const chars = Array.from(alphabet);
    if (new Set(chars).size !== chars.length) throw new Error("alphabet has duplicate characters");
    if (chars.length === 0) throw new Error("alphabet is empty");
    this.alphabet = chars.join("");
    for (const [i, c] of chars.entries()) this.ids.set(c, i + CHAR_SPECIAL_TOKENS.length);
    this.vocabSize = CHAR_SPECIAL_TOKENS.length + chars.length;
  }

  encode(text: string): number[] {
    return Array.from(text, (c) => {
      const id = this.ids.get(c);
      if (id === undefined) {
        throw new Error(
          `character ${JSON.stringify(c)} is not in the tokenizer alphabet ${JSON.stringify(this.alphabet)}`,
        );
      }
      return id;
    });
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    let out = "";
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize)
        throw new Error(`token id ${id} out of range`);
      if (id < CHAR_SPECIAL_TOKENS.length) {
        if (!options.skipSpecialTokens) out += CHAR_SPECIAL_TOKENS[id];
      } else {
        out += Array.from(this.alphabet)[id - CHAR_SPECIAL_TOKENS.length];
      }
    }
    return out;
  }

  /** `<bos>` + prompt characters. Chat input is accepted only as a single user message (no template). */
  encodePrompt(prompt: string | readonly ChatMessage[]): number[] {
    let text: string;
    if (typeof prompt === "string") text = prompt;
    else if (prompt.length === 1 && prompt[0]?.role === "user") text = prompt[0].content;
    else throw new Error("the char tokenizer has no chat template: pass a string or one user message");
    return [this.bosId, ...this.encode(text)];
  }

  encodeResponse(text: string): number[] {
    return [...this.encode(text), this.eosId];
  }

  isSpecial(id: number): boolean {
    return id >= 0 && id < CHAR_SPECIAL_TOKENS.length;
  }
}

/** Char tokenizer whose vocabulary covers `alphabet` (characters deduplicated, sorted for stability). */
export function createCharTokenizer(alphabet: string): CharTokenizer {
  return new CharTokenizer([...new Set(Array.from(alphabet))].sort().join(""));
}
