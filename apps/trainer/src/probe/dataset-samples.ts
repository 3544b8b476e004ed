/**
 * Probe samples of a verl parquet or JSONL dataset: the first N rows as teacher-forced sequences, with the
 * positions that enter the pooled means (bupo-spec §3.1–§3.2).
 *
 * Where a row's response comes from, in order:
 * 1. a chat prompt whose LAST message is an assistant turn (verl `main_generation` appends the sampled answer to
 *    the `prompt` column, as the BuPO plots use it);
 * 2. JSONL `response` (or `responses[0]`), parquet `responses` (verl main_generation's list column, first entry).
 *    src/data's loaders keep only prompt / answer / data_source, so (2) is read here beside them;
 * 3. {@link datasetTaskSamples} only: sampled from the model's full policy, decoded and then treated like (1)–(2)
 *    (the repo's pipeline: generate → decode → re-render the conversation).
 *
 * Token positions:
 * - with a chat template (tokenizer_config.json): the whole conversation is rendered with
 *   `add_generation_prompt=False` and positions from (index of the first `encode("assistant")[-1]` token) + 2 to
 *   the end are pooled — the repo's `prompt_length + 1` rule (Qwen: first response token; Llama-3: the `\n\n`
 *   before it);
 * - without one (char tokenizer, bare tokenizer.json): prompt ids then response ids; pooled from the first
 *   response token.
 * Rows without any response → the prompt positions of every row are analysed instead, and the note says so.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DatasetFormat, DatasetTask } from "@bupo/shared";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { loadDatasetFile } from "../data/load.ts";
import type { RunFiles } from "../files/run-files.ts";
import { computeScore } from "../reward/compute-score.ts";
import { deriveSeed } from "../tasks/rng.ts";
import type { ChatMessage } from "../tokenizer/index.ts";
import { inputError, ProbeInputError } from "./input-error.ts";
import {
  encodeSamplingPrompt,
  type ProbeDrawOptions,
  type SamplingModel,
  sampleResponses,
} from "./sample-responses.ts";
import { checkTokenIds, joinNotes, meanOf, type ProbeSample, type ProbeSampleSet } from "./samples.ts";
import type { ProbePromptOptions, ProbeTokenizer } from "./tokenizer.ts";

export interface DatasetSource {
  path: string;
  /** Default: from the file extension (.parquet, .jsonl / .json / .ndjson). */
  format?: DatasetFormat;
  promptKey?: string;
  answerKey?: string;
}

/** One dataset row, split into prompt and response. */
export interface DatasetProblem {
  prompt: string | ChatMessage[];
  response?: string;
  groundTruth: string;
  /** Routes the reward function (src/reward `computeScore`). */
  dataSource: string;
}

function formatOf(file: string): DatasetFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".parquet") return "parquet";
  if (ext === ".jsonl" || ext === ".json" || ext === ".ndjson") return "jsonl";
  throw new ProbeInputError(
    `a dataset must be a .parquet or .jsonl file (got ${JSON.stringify(path.basename(file))})`,
  );
}

const firstString = (v: unknown): string | undefined => {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && typeof v[0] === "string") return v[0];
  return undefined;
};

/** Response texts of the first `n` rows from the columns src/data does not keep (undefined where absent). */
async function extraResponses(
  file: string,
  format: DatasetFormat,
  n: number,
): Promise<(string | undefined)[]> {
  if (format === "jsonl") {
    const out: (string | undefined)[] = [];
    for (const line of (await readFile(file, "utf8")).split(/\r?\n/)) {
      if (out.length >= n) break;
      if (line.trim() === "") continue;
      const r = JSON.parse(line) as Record<string, unknown>; // already validated by loadDatasetFile
      out.push(firstString(r.response) ?? firstString(r.responses));
    }
    return out;
  }
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const column = ["responses", "response"].find((c) => columns.includes(c));
  if (column === undefined) return [];
  const rowEnd = Math.min(n, Number(metadata.num_rows));
  const records = (await parquetReadObjects({
    file: buffer,
    metadata,
    columns: [column],
    compressors,
    rowEnd,
  })) as Record<string, unknown>[];
  return records.map((r) => firstString(r[column]));
}

/** A trailing assistant message is the response; else the extra column's text, if any. */
function splitPrompt(
  prompt: string | ChatMessage[],
  extra: string | undefined,
): Pick<DatasetProblem, "prompt" | "response"> {
  const last = Array.isArray(prompt) ? prompt.at(-1) : undefined;
  if (Array.isArray(prompt) && prompt.length > 1 && last?.role === "assistant") {
    return { prompt: prompt.slice(0, -1), response: last.content };
  }
  return extra === undefined ? { prompt } : { prompt, response: extra };
}

/** The first `n` rows of a dataset file, each split into prompt and response (if any). */
export async function readDatasetProblems(source: DatasetSource, n: number): Promise<DatasetProblem[]> {
  const file = source.path;
  if (!existsSync(file)) throw new ProbeInputError(`dataset file not found: ${file}`);
  const format = source.format ?? formatOf(file);
  let problems: DatasetProblem[];
  try {
    const rows = await loadDatasetFile(file, format, {
      maxRows: n,
      promptKey: source.promptKey,
      answerKey: source.answerKey,
    });
    const extra = await extraResponses(file, format, rows.length);
    problems = rows.map((row, i) => ({
      ...splitPrompt(row.prompt, extra[i]),
      groundTruth: row.groundTruth,
      dataSource: row.dataSource,
    }));
  } catch (e) {
    throw inputError(`dataset ${file}`, e);
  }
  if (problems.length === 0) throw new ProbeInputError(`dataset ${file} has no rows`);
  return problems;
}

const asMessages = (p: string | ChatMessage[]): ChatMessage[] =>
  typeof p === "string" ? [{ role: "user", content: p }] : p;

/** Repo rule (§3.2): start = index of the first `encode("assistant")[-1]` token + 2; undefined if absent. */
function assistantStart(tokens: number[], tok: ProbeTokenizer): number | undefined {
  const marker = tok.encode("assistant").at(-1);
  const idx = marker === undefined ? -1 : tokens.indexOf(marker);
  return idx < 0 ? undefined : Math.min(tokens.length, idx + 2);
}

/** Token ids of a prompt (+ response) and the positions pooled (the response; the prompt without one). */
export function encodeConversation(
  tok: ProbeTokenizer,
  prompt: string | ChatMessage[],
  response: string | undefined,
  opts: ProbePromptOptions = {},
): ProbeSample {
  if (response === undefined) {
    const tokens = tok.encodePrompt(prompt, opts);
    return { tokens, range: [0, tokens.length] };
  }
  if (tok.chat) {
    const messages = [...asMessages(prompt), { role: "assistant", content: response }];
    const text = tok.chat.applyChatTemplate(messages, { ...opts, addGenerationPrompt: false });
    const tokens = tok.encode(text);
    const start = assistantStart(tokens, tok) ?? tok.encodePrompt(prompt, opts).length;
    return { tokens, range: [Math.min(start, tokens.length), tokens.length] };
  }
  const promptIds = tok.encodePrompt(prompt, opts);
  const tokens = [...promptIds, ...tok.encode(response)];
  return { tokens, range: [promptIds.length, tokens.length] };
}

export interface DatasetSampleOptions extends ProbePromptOptions {
  /** Model vocabulary: every id must be below it. */
  vocabSize: number;
  /** File name for the notes. */
  name: string;
}

/**
 * Teacher-forced samples of dataset rows: response positions pooled; rows without a response add nothing when
 * others have one; without any response, every row's prompt positions are pooled (noted).
 */
export function datasetSamples(
  problems: readonly DatasetProblem[],
  tok: ProbeTokenizer,
  opts: DatasetSampleOptions,
): ProbeSampleSet {
  const withResponse = problems.filter((p) => p.response !== undefined).length;
  const samples = problems.map((p, i): ProbeSample => {
    let s: ProbeSample;
    try {
      s = encodeConversation(tok, p.prompt, p.response, { enableThinking: opts.enableThinking });
    } catch (e) {
      throw inputError(`row ${i + 1}`, e);
    }
    if (s.tokens.length === 0) throw new ProbeInputError(`row ${i + 1}: encodes to zero tokens`);
    checkTokenIds(s.tokens, opts.vocabSize, `row ${i + 1}`);
    const end = s.tokens.length;
    return p.response === undefined && withResponse > 0 ? { tokens: s.tokens, range: [end, end] } : s;
  });
  if (withResponse === 0) {
    return {
      samples,
      positions: "prompt",
      note: `no responses in ${opts.name} (no trailing assistant message, no response column): analysed the prompt positions of ${problems.length} row(s)`,
    };
  }
  const note =
    withResponse < problems.length
      ? `${problems.length - withResponse} of ${problems.length} rows have no response and add nothing to the means`
      : undefined;
  return note ? { samples, positions: "response", note } : { samples, positions: "response" };
}

/**
 * Samples of a dataset task for an analysis job (its file opened through `files`): the first `sampleSize` rows (at most `maxRows`); rows without a
 * response get one sampled from the model; every response is graded (src/reward `computeScore`).
 */
export async function datasetTaskSamples(
  task: Pick<
    DatasetTask,
    "root" | "path" | "format" | "promptKey" | "answerKey" | "enableThinking" | "maxRows"
  >,
  model: SamplingModel,
  tok: ProbeTokenizer,
  opts: ProbeDrawOptions,
  files: RunFiles,
): Promise<ProbeSampleSet> {
  const n = task.maxRows > 0 ? Math.min(task.maxRows, opts.sampleSize) : opts.sampleSize;
  const problems = await files.load("dataset", task, (file) =>
    readDatasetProblems({ ...task, path: file }, n),
  );
  const prompt = { enableThinking: task.enableThinking };
  const missing = problems.flatMap((p, i) => (p.response === undefined ? [i] : [])); // row indices
  const prompts = missing.map((i) =>
    encodeSamplingPrompt(model, tok, (problems[i] as DatasetProblem).prompt, `row ${i + 1}`, prompt),
  );
  const sampled = await sampleResponses(model, tok, prompts, {
    ...opts,
    seed: deriveSeed(opts.seed, "analysis/responses"),
  });
  const sampledText = new Map(missing.map((row, k) => [row, sampled[k]?.text ?? ""]));
  const complete = problems.map((p, i) => ({ ...p, response: p.response ?? sampledText.get(i) }));
  const rewards = complete.map((p) => computeScore(p.dataSource, p.response ?? "", p.groundTruth));
  const set = datasetSamples(complete, tok, {
    ...prompt,
    vocabSize: model.config.vocabSize,
    name: path.basename(task.path),
  });
  const note = joinNotes(
    set.note,
    missing.length > 0
      ? `${missing.length} of ${problems.length} responses sampled from the model (temperature ${opts.temperature})`
      : undefined,
  );
  const meanReward = meanOf(rewards);
  return { ...set, ...(note ? { note } : {}), ...(meanReward === undefined ? {} : { meanReward }) };
}
