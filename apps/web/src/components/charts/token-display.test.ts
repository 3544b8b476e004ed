import { describe, expect, it } from "vitest";
import { clipToken, displayToken } from "./token-display.ts";

describe("displayToken", () => {
  it("shows whitespace and empty tokens", () => {
    expect(displayToken(" the")).toBe("␣the");
    expect(displayToken("\n")).toBe("↵");
    expect(displayToken("\t\r")).toBe("⇥␍");
    expect(displayToken("")).toBe("∅");
  });
  it("escapes other control characters and keeps unicode", () => {
    expect(displayToken("\u0001")).toBe("\\x01");
    expect(displayToken("é≈")).toBe("é≈");
  });
});

describe("clipToken", () => {
  it("clips long tokens with an ellipsis, by code point", () => {
    expect(clipToken("abcdef", 4)).toBe("abc…");
    expect(clipToken("abc", 4)).toBe("abc");
    expect(clipToken("😀😀😀", 2)).toBe("😀…");
  });
});
