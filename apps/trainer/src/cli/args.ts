/**
 * Command-line plumbing shared by the commands: `node:util` parseArgs with one-line errors, typed flag readers
 * that name the flag and its allowed values, and `runCommand`, which turns a command's result into an exit code
 * (0 ok, 1 runtime failure, 2 bad input) without ever printing a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** Bad input (flag, file content, config): reported as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Where a command reads and writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: NodeJS.ReadableStream;
  /** Whether stderr is a terminal (progress bars redraw in place only then). */
  stderrIsTty: boolean;
  /** Terminal width of stderr, when it is a terminal (bars are cut to fit so redraws stay on one line). */
  stderrColumns?: number;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  stderrIsTty: process.stderr.isTTY === true,
  get stderrColumns() {
    return process.stderr.columns;
  },
};

/** A command: argv (after the command name) → exit code. */
export type CommandFn = (argv: string[], io: CliIo) => Promise<number>;

/** First line of an error's message (stack traces and multi-line zod dumps never reach the user). */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n")[0] ?? text;
}

/**
 * Runs a command for `main.ts`: sets `process.exitCode` (0 / 1 / 2) instead of exiting, so piped stdout is
 * flushed before the process ends.
 */
export async function runCommand(command: CommandFn, argv: string[], io: CliIo = processIo): Promise<void> {
  process.exitCode = await invoke(command, argv, io);
}

/** Same as {@link runCommand} but returns the code (tests). */
export async function invoke(command: CommandFn, argv: string[], io: CliIo): Promise<number> {
  try {
    return await command(argv, io);
  } catch (e) {
    io.stderr(`error: ${errorLine(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

// -------------------------------------------------------------------------------------------------
// Parsing

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flag values as parseArgs returns them (strings / booleans; repeated flags keep the last). */
export type FlagValues = Record<string, string | boolean | undefined>;

/** Quotes the flag named in a parseArgs error message, e.g. `'--model <value>'` → `--model`. */
function flagOf(message: string): string | undefined {
  return /'(--?[A-Za-z0-9-]+)/.exec(message)?.[1];
}

/**
 * Strict parseArgs: unknown flags, missing values and stray positionals become one-line {@link UsageError}s
 * listing the command's flags. `--help` is always accepted (check `values.help`).
 */
export function parseFlags(command: string, argv: string[], options: Options): FlagValues {
  const all: Options = { ...options, help: { type: "boolean", short: "h" } };
  const allowed = Object.keys(all)
    .map((n) => `--${n}`)
    .join(", ");
  try {
    const { values } = parseArgs({ args: argv, options: all, strict: true, allowPositionals: false });
    return values as FlagValues;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = errorLine(e);
    const flag = flagOf(message);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`${command}: unknown flag ${flag ?? message} (allowed: ${allowed})`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const spec = flag ? all[flag.replace(/^-+/, "")] : undefined;
      throw new UsageError(
        spec?.type === "boolean"
          ? `${command}: ${flag} takes no value`
          : `${command}: ${flag ?? "a flag"} needs a value`,
      );
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const arg = /'([^']*)'/.exec(message)?.[1];
      throw new UsageError(
        `${command}: unexpected argument ${arg ? `"${arg}"` : ""} (flags: ${allowed})`.replace("  ", " "),
      );
    }
    throw new UsageError(`${command}: ${message}`);
  }
}

/** String value of a flag, or undefined. */
export function str(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export interface IntRange {
  min: number;
  max: number;
}

/** Integer flag in [min, max]; `fallback` when absent. */
export function intFlag(values: FlagValues, name: string, range: IntRange, fallback: number): number;
export function intFlag(values: FlagValues, name: string, range: IntRange): number | undefined;
export function intFlag(
  values: FlagValues,
  name: string,
  range: IntRange,
  fallback?: number,
): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(
      `--${name} must be an integer between ${range.min} and ${range.max} (got ${JSON.stringify(raw)})`,
    );
  }
  return n;
}

/** One of `allowed`; `fallback` when absent. */
export function enumFlag<const T extends string>(
  values: FlagValues,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = str(values, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")} (got ${JSON.stringify(raw)})`);
  }
  return raw as T;
}

/** Comma-separated subset of `allowed` (duplicates removed, order kept). */
export function enumListFlag<const T extends string>(
  values: FlagValues,
  name: string,
  allowed: readonly T[],
  fallback: readonly T[],
): T[] {
  const raw = str(values, name);
  if (raw === undefined) return [...fallback];
  const items = raw.split(",").map((s) => s.trim());
  const bad = items.find((s) => !(allowed as readonly string[]).includes(s));
  if (bad !== undefined || items.length === 0) {
    throw new UsageError(
      `--${name} must be a comma-separated list of ${allowed.join(", ")} (got ${JSON.stringify(bad ?? raw)})`,
    );
  }
  return [...new Set(items as T[])];
}

/** Comma-separated non-negative integers, e.g. `--tokens 1,2,3`. */
export function intListFlag(values: FlagValues, name: string, max: number): number[] | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const items = raw.split(",").map((s) => s.trim());
  const bad = items.find((s) => !/^\d+$/.test(s) || Number(s) > max);
  if (bad !== undefined || items.length === 0) {
    throw new UsageError(
      `--${name} must be comma-separated integers between 0 and ${max} (got ${JSON.stringify(bad ?? raw)})`,
    );
  }
  return items.map(Number);
}

/** Exactly one of the flags in `group` must be given; returns its name. */
export function exactlyOne(values: FlagValues, group: readonly string[]): string {
  const given = group.filter((n) => values[n] !== undefined);
  const list = group.map((n) => `--${n}`).join(", ");
  if (given.length === 0) throw new UsageError(`one of ${list} is required`);
  if (given.length > 1)
    throw new UsageError(
      `${given.map((n) => `--${n}`).join(" and ")} exclude each other (use one of ${list})`,
    );
  return given[0] as string;
}

/** Fails when any of `flags` is given without `requires` having the value that allows it. */
export function onlyWith(
  values: FlagValues,
  flags: readonly string[],
  condition: boolean,
  what: string,
): void {
  const bad = flags.find((n) => values[n] !== undefined);
  if (bad !== undefined && !condition) throw new UsageError(`--${bad} is only allowed with ${what}`);
}
