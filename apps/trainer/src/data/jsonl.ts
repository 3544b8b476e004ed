/**
 * JSONL loader: one JSON object per line with a prompt (`prompt` or `question`; text or chat messages)
 * and an answer (`answer` or `ground_truth`, or `reward_model.ground_truth`); optional `data_source`.
 * Explicit keys win; otherwise the first present fallback key is used. Blank lines are skipped.
 */
import { readFile } from "node:fs/promises";
import { baseName, getPath, toAnswer, toPrompt } from "./fields.ts";
import type { DatasetRow, LoadOptions } from "./types.ts";

const PROMPT_KEYS = ["prompt", "question"];
const ANSWER_KEYS = ["answer", "ground_truth", "reward_model.ground_truth"];

function firstPresent(record: Record<string, unknown>, keys: string[]): unknown {
  for (const key of keys) {
    const v = getPath(record, key);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** Parse JSONL text into rows (exported for tests and in-memory uploads). */
export function parseJsonlDataset(text: string, name: string, options: LoadOptions = {}): DatasetRow[] {
  const promptKeys = options.promptKey ? [options.promptKey, ...PROMPT_KEYS] : PROMPT_KEYS;
  const answerKeys = options.answerKey ? [options.answerKey, ...ANSWER_KEYS] : ANSWER_KEYS;
  const rows: DatasetRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    if (options.maxRows && rows.length >= options.maxRows) break;
    const line = (lines[lineNo] as string).trim();
    if (!line) continue;
    const where = `${name} line ${lineNo + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (err) {
      throw new Error(`${where}: invalid JSON (${(err as Error).message})`);
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new Error(`${where}: each line must be a JSON object`);
    }
    const r = record as Record<string, unknown>;
    const source = r.data_source;
    rows.push({
      id: `${name}#${rows.length}`,
      prompt: toPrompt(firstPresent(r, promptKeys), where),
      groundTruth: toAnswer(firstPresent(r, answerKeys), where),
      dataSource: typeof source === "string" && source ? source : (options.dataSource ?? name),
    });
  }
  return rows;
}

export async function loadJsonlDataset(path: string, options: LoadOptions = {}): Promise<DatasetRow[]> {
  return parseJsonlDataset(await readFile(path, "utf8"), baseName(path), options);
}
