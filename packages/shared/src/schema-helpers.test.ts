import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hasControlChars, plainText, stringField } from "./schema-helpers.ts";

describe("control characters in free text", () => {
  it("finds C0, DEL and C1 controls; multi-line text keeps tabs and line breaks", () => {
    for (const c of ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009f"]) {
      expect(hasControlChars(`a${c}b`), JSON.stringify(c)).toBe(true);
      expect(hasControlChars(`a${c}b`, true), JSON.stringify(c)).toBe(true);
    }
    expect(hasControlChars("a\tb\nc\rd")).toBe(true);
    expect(hasControlChars("a\tb\nc\rd", true)).toBe(false);
    expect(hasControlChars("Ünïcödé · 名前 🙂")).toBe(false);
  });

  it("gives a field error naming the field, through stringField and plainText alike", () => {
    const schema = z.object({
      name: stringField({ max: 80, describe: "A name" }),
      note: stringField({ max: 80, describe: "A note", multiline: true }),
      search: plainText(z.string()),
    });
    const r = schema.safeParse({ name: "a\u0000b", note: "one\ntwo\u0000", search: "x\u001b" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["name", "name must not contain control characters"],
      ["note", "note must not contain control characters other than tabs and line breaks"],
      ["search", "search must not contain control characters"],
    ]);
    expect(schema.parse({ name: " ok ", note: "one\ntwo", search: "fine" })).toEqual({
      name: "ok",
      note: "one\ntwo",
      search: "fine",
    });
  });
});
