/**
 * Turn a ZodError into per-field messages for forms and API responses:
 * `[{ field: "rl.lr", message: "lr must be between 0 (exclusive) and 1 (got -1)" }]`.
 *
 * Schemas built with `schema-helpers.ts` already produce messages that name the field and its range; this
 * keeps those and rewrites zod's generic messages so every message starts with the field name.
 */
import type { z } from "zod";
import { fieldName } from "./schema-helpers.ts";

export interface FieldIssue {
  /** Dotted path of the field (`rl.lr`, `tags.2`); "" for the root. */
  field: string;
  message: string;
}

/** Rewrite one issue's message so it names its field. */
function messageFor(issue: z.core.$ZodIssue): string {
  const name = fieldName(issue.path);
  if (issue.message.startsWith(`${name} `)) return issue.message;
  switch (issue.code) {
    case "unrecognized_keys":
      return `${name === "value" ? "config" : name} has unknown field(s): ${issue.keys.join(", ")}`;
    case "invalid_value":
      return `${name} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `${name} must be ${issue.inclusive === false ? ">" : "≥"} ${String(issue.minimum)}`;
    case "too_big":
      return `${name} must be ${issue.inclusive === false ? "<" : "≤"} ${String(issue.maximum)}`;
    case "invalid_type":
      return `${name} must be of type ${issue.expected}`;
    default:
      return `${name}: ${issue.message}`;
  }
}

/** Flatten a ZodError (or its issue list) into `{field, message}` pairs, one per issue, in order. */
export function formatZodIssues(error: z.ZodError | readonly z.core.$ZodIssue[]): FieldIssue[] {
  const issues = "issues" in error ? error.issues : error;
  return issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    message: messageFor(issue),
  }));
}

/** Issues keyed by field (first message per field), convenient for form state. */
export function zodIssuesByField(error: z.ZodError | readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, message } of formatZodIssues(error)) out[field] ??= message;
  return out;
}
