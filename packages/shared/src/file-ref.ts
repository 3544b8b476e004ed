/**
 * References to files a run reads on its trainer. A run config never holds an absolute path: it names a
 * file root the trainer is configured with and a path relative to it (`{ root: "datasets", path:
 * "deepmath-5k.parquet" }`), or the checkpoint of one of the team's runs (model-config.ts). The trainer
 * resolves a reference inside the root's real path and refuses anything that leaves it.
 *
 * Roots: `models` = the trainer's models folder(s), `hf-cache` = the Hugging Face hub cache, `datasets` = its
 * datasets folder, `builtin` = the product's built-in data (datasets, tokenizers).
 */
import { z } from "zod";
import { enumOf, fieldName, objectError, showInput } from "./schema-helpers.ts";

export const FILE_ROOTS = ["models", "hf-cache", "datasets", "builtin"] as const;
export type FileRootId = (typeof FILE_ROOTS)[number];

/** Roots a model folder may come from. */
export const MODEL_ROOTS = ["models", "hf-cache"] as const satisfies readonly FileRootId[];
/** Roots a dataset file may come from. */
export const DATASET_ROOTS = ["datasets", "builtin"] as const satisfies readonly FileRootId[];
/** Roots a tokenizer folder may come from. */
export const TOKENIZER_ROOTS = ["models", "hf-cache", "builtin"] as const satisfies readonly FileRootId[];

export const MAX_RELATIVE_PATH = 512;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Why `value` is not a safe path relative to a root, or undefined when it is one. */
export function relativePathProblem(value: string): string | undefined {
  if (value.length === 0) return "is required";
  if (value.length > MAX_RELATIVE_PATH) return `must be at most ${MAX_RELATIVE_PATH} characters`;
  if (CONTROL_CHARS.test(value)) return "must not contain control characters";
  if (value.includes("\\")) return 'must use "/" between folders';
  if (value.startsWith("/") || /^[A-Za-z]:/.test(value) || value.startsWith("~"))
    return "must be relative to its root, not an absolute path";
  if (value.split("/").some((segment) => segment === "..")) return 'must not contain ".." segments';
  return undefined;
}

/** A path inside a file root: relative, no `..` segments, no control characters, bounded. */
export function relativePathField(o: { optional?: boolean; describe: string }) {
  const typeError = (iss: { path?: PropertyKey[]; input?: unknown }) =>
    iss.input === undefined
      ? `${fieldName(iss.path)} is required (a path relative to its root)`
      : `${fieldName(iss.path)} must be a path relative to its root (got ${showInput(iss.input)})`;
  const problemOf = (value: string) => (o.optional && value === "" ? undefined : relativePathProblem(value));
  return z
    .string({ error: typeError })
    .trim()
    .refine((value) => problemOf(value) === undefined, {
      error: (iss) => `${fieldName(iss.path)} ${problemOf(String(iss.input))} (got ${showInput(iss.input)})`,
    })
    .describe(o.describe);
}

/** `{ root, path }` with the roots allowed for one kind of file. */
export function fileRefSchema<const R extends readonly [FileRootId, ...FileRootId[]]>(
  roots: R,
  o: { defaultRoot: R[number]; describe: string; pathDescribe: string },
) {
  return z
    .object(
      {
        root: enumOf(roots)
          .default(o.defaultRoot)
          .describe(`Trainer file root: ${roots.join(", ")}`),
        path: relativePathField({ describe: o.pathDescribe }),
      },
      { error: objectError },
    )
    .describe(o.describe);
}

export interface FileRef {
  root: FileRootId;
  path: string;
}

/** A reference as users wrote it, for messages: `datasets:deepmath-5k.parquet`. */
export function fileRefText(ref: FileRef): string {
  return `${ref.root}:${ref.path}`;
}
