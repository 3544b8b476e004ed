/**
 * Field builders shared by every config schema.
 *
 * Each builder bakes a default, a one-line help text and bounds into the schema, and produces error
 * messages that name the field and its allowed range, e.g. `lr must be between 0 (exclusive) and 1 (got -1)`.
 * Zod finalises issues after the whole parse, so `iss.path` is the full path and its last segment is the
 * field name shown to the user.
 */
import { z } from "zod";

/** Last non-numeric path segment, i.e. the field name (`rl.betas.0` → `betas`). */
export function fieldName(path: readonly PropertyKey[] | undefined): string {
  const segments = (path ?? []).filter((p) => typeof p === "string");
  return segments.at(-1) ?? "value";
}

/** Render a user input compactly for error messages. */
export function showInput(input: unknown): string {
  if (input === undefined) return "nothing";
  if (typeof input === "string") return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === "number" || typeof input === "boolean" || input === null) return String(input);
  if (Array.isArray(input)) return `an array of ${input.length}`;
  return typeof input;
}

export interface NumberFieldOptions {
  min: number;
  max: number;
  /** Lower bound is exclusive (`> min`). */
  minExclusive?: boolean;
  /** Only integers are allowed. */
  int?: boolean;
  default: number;
  describe: string;
}

function rangeText(o: Pick<NumberFieldOptions, "min" | "max" | "minExclusive">): string {
  return `between ${o.min}${o.minExclusive ? " (exclusive)" : ""} and ${o.max}`;
}

/** A bounded number (or integer) with a default and help text. */
export function numberField(o: NumberFieldOptions) {
  const kind = o.int ? "an integer" : "a number";
  const message = (iss: { path?: PropertyKey[]; input?: unknown }) =>
    typeof iss.input === "number" && (!o.int || Number.isInteger(iss.input))
      ? `${fieldName(iss.path)} must be ${rangeText(o)} (got ${showInput(iss.input)})`
      : `${fieldName(iss.path)} must be ${kind} ${rangeText(o)} (got ${showInput(iss.input)})`;
  const base = o.int ? z.int({ error: message }) : z.number({ error: message });
  const lower = o.minExclusive ? base.gt(o.min, { error: message }) : base.gte(o.min, { error: message });
  return lower.lte(o.max, { error: message }).default(o.default).describe(o.describe);
}

/** Integer field shorthand. */
export function intField(o: Omit<NumberFieldOptions, "int">) {
  return numberField({ ...o, int: true });
}

/** Error function for enums: `family must be one of qwen3, qwen2, llama (got "gpt")`. */
export function enumError(values: readonly string[]) {
  return (iss: { path?: PropertyKey[]; input?: unknown }) =>
    `${fieldName(iss.path)} must be one of ${values.join(", ")} (got ${showInput(iss.input)})`;
}

/** A string enum whose errors list the valid values. */
export function enumOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: enumError(values) });
}

// C0 controls, DEL and C1 controls: invisible, and PostgreSQL refuses NUL in text outright. Multi-line
// fields keep tab, line feed and carriage return.
const CONTROL_CHARS = /\p{Cc}/u;
const CONTROL_CHARS_BUT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;

/** Whether `s` holds a control character (a NUL, an escape, …); `multiline` allows \t, \n and \r. */
export function hasControlChars(s: string, multiline = false): boolean {
  return (multiline ? CONTROL_CHARS_BUT_LINE_BREAKS : CONTROL_CHARS).test(s);
}

/**
 * Refuses control characters in a free-text string schema with a field error
 * (`name must not contain control characters`). Every free-text field the API takes goes through it.
 */
export function plainText<T extends z.ZodString>(schema: T, o: { multiline?: boolean } = {}): T {
  return schema.refine((s) => !hasControlChars(s, o.multiline), {
    error: (iss) =>
      `${fieldName(iss.path)} must not contain control characters${o.multiline ? " other than tabs and line breaks" : ""}`,
  });
}

export interface StringFieldOptions {
  min?: number;
  max: number;
  describe: string;
  /** Allow tabs and line breaks (otherwise every control character is refused). */
  multiline?: boolean;
}

/**
 * A trimmed string with a length range and no control characters (no default: use `.default()` on the
 * result when one applies).
 */
export function stringField(o: StringFieldOptions) {
  const min = o.min ?? 0;
  const message = (iss: { path?: PropertyKey[]; input?: unknown }) =>
    iss.input === undefined && min > 0
      ? `${fieldName(iss.path)} is required (a string of ${min} to ${o.max} characters)`
      : min > 0
        ? `${fieldName(iss.path)} must be a string of ${min} to ${o.max} characters (got ${showInput(iss.input)})`
        : `${fieldName(iss.path)} must be a string of at most ${o.max} characters (got ${showInput(iss.input)})`;
  const text = z
    .string({ error: message })
    .trim()
    .min(min, { error: message })
    .max(o.max, { error: message });
  return plainText(text, { multiline: o.multiline }).describe(o.describe);
}

/** A boolean with a default and help text. */
export function booleanField(o: { default: boolean; describe: string }) {
  const message = (iss: { path?: PropertyKey[]; input?: unknown }) =>
    `${fieldName(iss.path)} must be true or false (got ${showInput(iss.input)})`;
  return z.boolean({ error: message }).default(o.default).describe(o.describe);
}

/** Error function for `z.object` / `z.discriminatedUnion` type errors. */
export function objectError(iss: { path?: PropertyKey[]; input?: unknown; code?: string }) {
  const name = fieldName(iss.path);
  if (iss.code === "invalid_union" && "options" in iss) {
    // Discriminated union: the input is the whole object; show its discriminator value.
    const { options = [], discriminator } = iss as { options?: unknown[]; discriminator?: string };
    const input = iss.input;
    const got =
      discriminator && input !== null && typeof input === "object"
        ? (input as Record<string, unknown>)[discriminator]
        : input;
    return `${name} must be one of ${options.join(", ")} (got ${showInput(got)})`;
  }
  return `${name} must be an object (got ${showInput(iss.input)})`;
}
