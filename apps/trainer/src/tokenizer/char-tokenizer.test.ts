import { describe, expect, it } from "vitest";
import { builtinAlphabet, generateProblems, getTask } from "../tasks/registry.ts";
import { CharTokenizer, createCharTokenizer } from "./char-tokenizer.ts";

describe("CharTokenizer", () => {
  const tok = new CharTokenizer("0123456789+=\\boxed{}");

  it("reserves pad/bos/eos as ids 0–2 and sizes the vocab by the alphabet", () => {
    expect([tok.padId, tok.bosId, tok.eosId]).toEqual([0, 1, 2]);
    expect(tok.vocabSize).toBe(3 + 20);
    expect(tok.encode("01")).toEqual([3, 4]);
    expect(tok.stopIds).toEqual([2]);
  });

  it("round-trips text and handles special tokens on decode", () => {
    const ids = tok.encodePrompt("12+34=");
    expect(ids[0]).toBe(tok.bosId);
    const response = tok.encodeResponse("\\boxed{46}");
    expect(response.at(-1)).toBe(tok.eosId);
    expect(tok.decode([...ids, ...response])).toBe("<bos>12+34=\\boxed{46}<eos>");
    expect(tok.decode([...ids, ...response, 0, 0], { skipSpecialTokens: true })).toBe("12+34=\\boxed{46}");
    expect(tok.isSpecial(2)).toBe(true);
    expect(tok.isSpecial(3)).toBe(false);
  });

  it("rejects characters outside the alphabet and ids out of range", () => {
    expect(() => tok.encode("1a")).toThrow(/character "a" is not in the tokenizer alphabet/);
    expect(() => tok.decode([99])).toThrow(/out of range/);
    expect(() => new CharTokenizer("aa")).toThrow(/duplicate/);
  });

  it("accepts a single user message but not a multi-turn chat", () => {
    expect(tok.encodePrompt([{ role: "user", content: "1+1=" }])).toEqual(tok.encodePrompt("1+1="));
    expect(() =>
      tok.encodePrompt([
        { role: "system", content: "x" },
        { role: "user", content: "1" },
      ]),
    ).toThrow(/no chat template/);
  });

  it("one vocabulary covers every built-in task's prompts and targets", () => {
    const shared = createCharTokenizer(builtinAlphabet());
    expect(shared.vocabSize).toBeLessThan(64);
    for (const name of ["addition", "modular", "sorting"]) {
      for (const p of generateProblems(getTask(name), { seed: 1, count: 20, difficulty: 5 })) {
        const ids = [...shared.encodePrompt(p.prompt), ...shared.encodeResponse(p.target)];
        expect(shared.decode(ids, { skipSpecialTokens: true })).toBe(p.prompt + p.target);
      }
    }
  });
});
