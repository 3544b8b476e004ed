import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatZodIssues, zodIssuesByField } from "./errors.ts";

describe("formatZodIssues", () => {
  it("keeps messages that already name the field", () => {
    const r = z.object({ a: z.number().min(0, { error: "a must be ≥ 0" }) }).safeParse({ a: -1 });
    expect(formatZodIssues(r.error!)).toEqual([{ field: "a", message: "a must be ≥ 0" }]);
  });

  it("rewrites zod's generic messages to name the field", () => {
    const schema = z.strictObject({ x: z.object({ n: z.number().max(3) }), e: z.enum(["p", "q"]) });
    const r = schema.safeParse({ x: { n: 5 }, e: "r", extra: 1 });
    expect(formatZodIssues(r.error!)).toEqual([
      { field: "x.n", message: "n must be ≤ 3" },
      { field: "e", message: 'e must be one of "p", "q"' },
      { field: "", message: "config has unknown field(s): extra" },
    ]);
  });

  it("uses the last named segment for array elements", () => {
    const r = z.object({ tags: z.array(z.string()) }).safeParse({ tags: ["a", 3] });
    expect(formatZodIssues(r.error!)).toEqual([{ field: "tags.1", message: "tags must be of type string" }]);
    expect(zodIssuesByField(r.error!)).toEqual({ "tags.1": "tags must be of type string" });
  });
});
