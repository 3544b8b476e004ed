/**
 * `grade`: scores JSONL lines `{response, ground_truth}` with the verl MATH grader (bupo-spec §6) and writes the
 * same objects with `score` added. A line may carry `data_source` (verl column): built-in task names use their
 * task grader, everything else the MATH grader, as in `reward/compute-score.ts`. The whole input is validated
 * before anything is written, so a malformed line never leaves half an output behind. No TensorFlow.js here.
 */
import { createReadStream, existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { computeScore } from "../reward/compute-score.ts";
import { computeMathScore } from "../reward/math-grader.ts";
import { type CliIo, type CommandFn, parseFlags, runCommand, str, UsageError } from "./args.ts";

export const GRADE_USAGE = `usage: bupo-trainer grade [--input FILE] [--output FILE]

Reads JSONL lines {"response": string, "ground_truth": string | number[, "data_source": string]} from stdin
(or --input) and writes each object with "score" (0 or 1) added, one per line, to stdout (or --output).
Grader: verl math.compute_score (last \\boxed{…}, Hendrycks strip_string, exact string match); a built-in task
name in data_source (addition, modular, sorting) selects that task's exact grader. Blank lines are skipped.

  --input FILE    JSONL to grade (default: stdin)
  --output FILE   where to write (default: stdout)
  -h, --help      this text`;

type GradeRow = Record<string, unknown> & { response: string; ground_truth: string | number };

/** Reads a whole stream as UTF-8. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses and validates every non-blank line; throws a {@link UsageError} naming the first bad line. */
export function parseGradeInput(text: string, source: string): { line: number; row: GradeRow }[] {
  const rows: { line: number; row: GradeRow }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new UsageError(`${source} line ${line}: not valid JSON (${(e as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new UsageError(`${source} line ${line}: expected a JSON object {response, ground_truth}`);
    }
    const obj = value as Record<string, unknown>;
    if (typeof obj.response !== "string") {
      throw new UsageError(`${source} line ${line}: "response" must be a string`);
    }
    const gt = obj.ground_truth;
    if (typeof gt !== "string" && !(typeof gt === "number" && Number.isFinite(gt))) {
      throw new UsageError(`${source} line ${line}: "ground_truth" must be a string or a number`);
    }
    if (obj.data_source !== undefined && typeof obj.data_source !== "string") {
      throw new UsageError(`${source} line ${line}: "data_source" must be a string when present`);
    }
    rows.push({ line, row: obj as GradeRow });
  });
  return rows;
}

/** Score of one row: MATH grader, or the data source's grader when the row names one. */
export function gradeRow(row: GradeRow): number {
  const gt = String(row.ground_truth);
  return typeof row.data_source === "string"
    ? computeScore(row.data_source, row.response, gt)
    : computeMathScore(row.response, gt);
}

export const gradeCommand: CommandFn = async (argv: string[], io: CliIo) => {
  const values = parseFlags("grade", argv, {
    input: { type: "string" },
    output: { type: "string" },
  });
  if (values.help) {
    io.stdout(`${GRADE_USAGE}\n`);
    return 0;
  }
  const input = str(values, "input");
  const output = str(values, "output");
  if (input !== undefined && !existsSync(input)) {
    throw new UsageError(`--input: file not found: ${input}`);
  }
  const source = input ?? "stdin";
  const text = await readAll(input !== undefined ? createReadStream(input) : io.stdin);
  const rows = parseGradeInput(text, source);
  let total = 0;
  const lines = rows.map(({ row }) => {
    const score = gradeRow(row);
    total += score;
    return JSON.stringify({ ...row, score });
  });
  const body = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  if (output !== undefined) await writeFile(output, body);
  else io.stdout(body);
  const mean = rows.length > 0 ? (total / rows.length).toFixed(4) : "n/a";
  io.stderr(`graded ${rows.length} line(s) from ${source}: ${total} correct, mean score ${mean}\n`);
  return 0;
};

/** Entry point for main.ts. */
export const run = (argv: string[]) => runCommand(gradeCommand, argv);
