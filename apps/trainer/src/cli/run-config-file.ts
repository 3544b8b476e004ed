/**
 * Reads a run config JSON file and validates it with the shared `RunConfigSchema` (the same schema as the launch
 * form and the web API). Problems come back as one line per field — `rl.lr: lr must be between 0 (exclusive) and
 * 1 (got -1)` — including keys the schema does not know (zod would silently drop a typo such as `rl.learningRate`).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type RunConfig, RunConfigSchema } from "@bupo/shared";

/** A config that failed validation: `problems` holds one `path: message` line each. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s): ${problems[0] ?? ""}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Keys present in `input` but absent from the parsed output (dropped as unknown), as dotted paths. */
export function unknownKeys(input: unknown, parsed: unknown, prefix = ""): string[] {
  if (!isObject(input) || !isObject(parsed)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (!(key in parsed)) {
      const allowed = Object.keys(parsed).join(", ");
      out.push(`${at}: unknown field (allowed here: ${allowed})`);
    } else {
      out.push(...unknownKeys(value, parsed[key], at));
    }
  }
  return out;
}

/** Validates an already-parsed JSON value; throws {@link ConfigError}. */
export function validateRunConfig(input: unknown, file: string): RunConfig {
  if (!isObject(input)) throw new ConfigError(file, ["(root): the config must be a JSON object"]);
  const result = RunConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const at = i.path.map(String).join(".");
      return `${at || "(root)"}: ${i.message}`;
    });
    throw new ConfigError(file, problems);
  }
  const unknown = unknownKeys(input, result.data);
  if (unknown.length > 0) throw new ConfigError(file, unknown);
  return result.data;
}

/** Reads and validates `file` (JSON). */
export async function readRunConfigFile(file: string): Promise<RunConfig> {
  if (!existsSync(file)) throw new ConfigError(file, ["file not found"]);
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new ConfigError(file, [`not valid JSON (${(e as Error).message})`]);
  }
  return validateRunConfig(input, file);
}
