/**
 * Tokenizer loaded from a Hugging Face `tokenizer.json` + `tokenizer_config.json` (BPE via
 * @huggingface/tokenizers) with chat-template rendering by @huggingface/jinja (the engine of the Hugging Face JS
 * libraries; it renders the Qwen3 and Llama 3 templates byte-identically to the hand-written engine it replaced,
 * checked on 1,512 renders: 189 conversations incl. the paper's datasets' prompts × generation prompt × thinking).
 * Prompts are rendered like verl's RL dataset: `apply_chat_template(messages, add_generation_prompt=True)`
 * then tokenized without adding special tokens (the template already carries `<|begin_of_text|>` etc.).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { Tokenizer } from "@huggingface/tokenizers";
import type { ChatMessage, DecodeOptions, PromptOptions, TextTokenizer } from "./types.ts";

/** Well-known end-of-turn / end-of-text tokens; any that exist become stop ids. */
const KNOWN_STOP_TOKENS = ["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "<|eom_id|>"];

/** A special-token entry of tokenizer_config.json: a string or an AddedToken dict. */
function tokenContent(entry: unknown): string | null {
  if (typeof entry === "string") return entry;
  if (entry && typeof entry === "object" && typeof (entry as { content?: unknown }).content === "string") {
    return (entry as { content: string }).content;
  }
  return null;
}

function pickTemplate(config: Record<string, unknown>): string | null {
  const t = config.chat_template;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const named = t as { name?: string; template?: string }[];
    return (named.find((x) => x.name === "default") ?? named[0])?.template ?? null;
  }
  return null;
}

export class HfTokenizer implements TextTokenizer {
  readonly kind = "hf" as const;
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number | null;
  readonly eosId: number;
  readonly stopIds: readonly number[];
  readonly bosToken: string | null;
  readonly eosToken: string | null;
  /** The chat template source, or null when the tokenizer has none. */
  readonly chatTemplateSource: string | null;
  private readonly tokenizer: Tokenizer;
  private readonly template: Template | null;
  private readonly specialIds: Set<number>;

  constructor(tokenizerJson: Record<string, unknown>, tokenizerConfig: Record<string, unknown>) {
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    let maxId = -1;
    for (const id of this.tokenizer.get_vocab(true).values()) if (id > maxId) maxId = id;
    this.vocabSize = maxId + 1;
    this.specialIds = new Set(
      [...this.tokenizer.get_added_tokens_decoder().entries()].filter(([, t]) => t.special).map(([id]) => id),
    );

    const idOf = (token: string | null) => (token === null ? undefined : this.tokenizer.token_to_id(token));
    this.bosToken = tokenContent(tokenizerConfig.bos_token);
    this.eosToken = tokenContent(tokenizerConfig.eos_token);
    this.bosId = idOf(this.bosToken) ?? null;
    const configEos = idOf(this.eosToken);
    this.chatTemplateSource = pickTemplate(tokenizerConfig);
    this.template = this.chatTemplateSource ? new Template(this.chatTemplateSource) : null;

    const turnEnd = this.detectTurnEnd();
    const eos = turnEnd ?? configEos;
    if (eos === undefined)
      throw new Error("tokenizer has neither an eos_token nor a chat template turn terminator");
    this.eosId = eos;
    this.padId = idOf(tokenContent(tokenizerConfig.pad_token)) ?? configEos ?? eos;
    const known = KNOWN_STOP_TOKENS.map((t) => this.tokenizer.token_to_id(t)).filter(
      (id) => id !== undefined,
    );
    this.stopIds = [...new Set([eos, ...(configEos === undefined ? [] : [configEos]), ...known])];
  }

  /** The special token the chat template puts right after an assistant message's content. */
  private detectTurnEnd(): number | undefined {
    if (!this.template) return undefined;
    const sentinel = "SENTINEL_8f3a";
    try {
      const text = this.applyChatTemplate(
        [
          { role: "user", content: "u" },
          { role: "assistant", content: sentinel },
        ],
        { addGenerationPrompt: false },
      );
      const after = text.slice(text.indexOf(sentinel) + sentinel.length);
      const first = this.encode(after)[0];
      return first !== undefined && this.specialIds.has(first) ? first : undefined;
    } catch {
      return undefined;
    }
  }

  /** Render the chat template (`apply_chat_template(..., tokenize=False)`). */
  applyChatTemplate(messages: readonly ChatMessage[], options: PromptOptions = {}): string {
    if (!this.template) throw new Error("this tokenizer has no chat_template in tokenizer_config.json");
    return this.template.render({
      messages,
      add_generation_prompt: options.addGenerationPrompt ?? true,
      enable_thinking: options.enableThinking ?? false,
      bos_token: this.bosToken ?? "",
      eos_token: this.eosToken ?? "",
    });
  }

  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    return this.tokenizer.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  encodePrompt(prompt: string | readonly ChatMessage[], options: PromptOptions = {}): number[] {
    const messages = typeof prompt === "string" ? [{ role: "user", content: prompt }] : prompt;
    if (this.template) return this.encode(this.applyChatTemplate(messages, options));
    const text = messages.map((m) => m.content).join("\n");
    return this.bosId === null ? this.encode(text) : [this.bosId, ...this.encode(text)];
  }

  encodeResponse(text: string): number[] {
    return [...this.encode(text), this.eosId];
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }
}

/** Load `tokenizer.json` and `tokenizer_config.json` from a folder. */
export async function loadHfTokenizer(dir: string): Promise<HfTokenizer> {
  const read = async (name: string) => {
    try {
      return JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`cannot read ${join(dir, name)}: ${(err as Error).message}`);
    }
  };
  const [tokenizerJson, tokenizerConfig] = await Promise.all([
    read("tokenizer.json"),
    read("tokenizer_config.json"),
  ]);
  return new HfTokenizer(tokenizerJson, tokenizerConfig);
}
