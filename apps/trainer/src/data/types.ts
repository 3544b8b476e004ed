/** A problem read from a dataset file, ready for prompting and grading. */
import type { ChatMessage } from "../tokenizer/types.ts";

export interface DatasetRow {
  /** Stable id `<file name>#<row index>` (used by the deterministic split). */
  id: string;
  /** Chat messages (verl parquet `prompt`) or plain text (JSONL `question`). */
  prompt: string | ChatMessage[];
  /** Reference answer compared by the reward function. */
  groundTruth: string;
  /** Routes the reward function (`math_dapo`, `qwen_math500`, … or a built-in task name). */
  dataSource: string;
}

export interface LoadOptions {
  /** Column/key with the prompt; dotted paths reach into structs (`a.b`). */
  promptKey?: string;
  /** Column/key with the reference answer; dotted paths reach into structs. */
  answerKey?: string;
  /** Used when a row has no `data_source`. Default: the file name without extension. */
  dataSource?: string;
  /** Read at most this many rows (0 or undefined = all). */
  maxRows?: number;
}
