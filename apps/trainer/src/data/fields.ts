/** Shared row-field helpers for the dataset loaders. */
import { z } from "zod";
import type { ChatMessage } from "../tokenizer/types.ts";

const ChatMessagesSchema = z.array(z.looseObject({ role: z.string(), content: z.string() })).min(1);

/** Value at a dotted path (`reward_model.ground_truth`); a literal key containing dots wins. */
export function getPath(row: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(row, path)) return row[path];
  let value: unknown = row;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A prompt cell: plain text, or a non-empty array of `{role, content}` messages. */
export function toPrompt(value: unknown, where: string): string | ChatMessage[] {
  if (typeof value === "string") {
    if (!value.trim()) throw new Error(`${where}: empty prompt`);
    return value;
  }
  const parsed = ChatMessagesSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`${where}: prompt must be a string or an array of {role, content} messages`);
  return parsed.data as ChatMessage[];
}

/** A ground-truth cell as a string (numbers and bigints are stringified). */
export function toAnswer(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  throw new Error(`${where}: missing or non-text answer`);
}

/** File name without folders and extension (`/x/math500.parquet` → `math500`). */
export function baseName(path: string): string {
  const file = path.split(/[\\/]/).at(-1) ?? path;
  return file.replace(/\.[^.]+$/, "");
}
