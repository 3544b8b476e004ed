/** `grade` over a JSONL fixture holding the bupo-spec §6 test vectors (outputs of the reference repo's math.py). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { invoke } from "./args.ts";
import { gradeCommand } from "./grade-command.ts";
import { recordingIo } from "./test-io.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, "fixtures", "grade-spec6.jsonl");
const tmp = mkdtempSync(path.join(tmpdir(), "bupo-grade-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const parseLines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { expected: number; score: number; response: string });

describe("grade", () => {
  it("scores every spec §6 vector as the reference grader does (stdin → stdout)", async () => {
    const io = recordingIo(readFileSync(fixture, "utf8"));
    expect(await invoke(gradeCommand, [], io)).toBe(0);
    const rows = parseLines(io.out);
    expect(rows).toHaveLength(14);
    for (const row of rows)
      expect({ response: row.response, score: row.score }).toEqual({
        response: row.response,
        score: row.expected,
      });
    expect(io.err).toContain("graded 14 line(s)");
  });

  it("reads --input and writes --output, keeping other fields", async () => {
    const out = path.join(tmp, "graded.jsonl");
    const io = recordingIo();
    expect(await invoke(gradeCommand, ["--input", fixture, "--output", out], io)).toBe(0);
    expect(io.out).toBe("");
    const rows = parseLines(readFileSync(out, "utf8"));
    expect(rows.map((r) => r.score)).toEqual(rows.map((r) => r.expected));
  });

  it("routes data_source = a built-in task to that task's grader", async () => {
    const io = recordingIo(
      `${JSON.stringify({ response: "\\boxed{3.0}", ground_truth: "3", data_source: "addition" })}\n`,
    );
    expect(await invoke(gradeCommand, [], io)).toBe(0);
    expect(JSON.parse(io.out).score).toBe(0);
  });

  it.each([
    ['{"response":"x","ground_truth":"1"}\n\nnot json\n', "error: stdin line 3: not valid JSON"],
    ['{"response":1,"ground_truth":"1"}\n', 'error: stdin line 1: "response" must be a string'],
    ['{"response":"x"}\n', 'error: stdin line 1: "ground_truth" must be a string or a number'],
    ["[1,2]\n", "error: stdin line 1: expected a JSON object {response, ground_truth}"],
  ])("rejects malformed input %j naming the line, exit 2, nothing written", async (input, message) => {
    const io = recordingIo(input);
    expect(await invoke(gradeCommand, [], io)).toBe(2);
    expect(io.err.startsWith(message)).toBe(true);
    expect(io.err.trim().split("\n")).toHaveLength(1);
    expect(io.out).toBe("");
  });

  it("exits 2 with one line and no stack trace through main.ts", () => {
    const tsx = path.resolve(here, "../../../../node_modules/.bin/tsx");
    const r = spawnSync(tsx, [path.join(here, "main.ts"), "grade", "--bogus"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: grade: unknown flag --bogus (allowed: --input, --output, --help)\n");
  });
});
