/**
 * Python-flavoured value semantics for the Jinja runtime: truthiness, `str()`, `==`, `json.dumps`
 * (transformers' `tojson`: ensure_ascii=False, separators ", " / ": "), and the string/dict/list methods
 * chat templates call (`startswith`, `split`, `strip`, `items`, `get`, …).
 */

/** Jinja's Undefined: falsy, renders as "", attribute access on it throws. */
export class Undefined {
  constructor(readonly hint: string) {}
}

/** `namespace(...)` objects: the only values `{% set ns.attr = … %}` may assign to. */
export class Namespace {
  [key: string]: unknown;
}

export type Callable = (args: unknown[], kwargs: Record<string, unknown>) => unknown;
export const CALLABLE = Symbol("jinja-callable");
export interface CallableValue {
  [CALLABLE]: Callable;
}

export function callable(fn: Callable): CallableValue {
  return { [CALLABLE]: fn };
}

export function isCallable(v: unknown): v is CallableValue {
  return typeof v === "object" && v !== null && CALLABLE in v;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Undefined) && !isCallable(v)
  );
}

export function truthy(v: unknown): boolean {
  if (v instanceof Undefined || v === null || v === undefined || v === false) return false;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return true;
}

function pyRepr(v: unknown): string {
  if (typeof v === "string") return `'${v.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  return pyStr(v);
}

/** Python `str(v)`. */
export function pyStr(v: unknown): string {
  if (v instanceof Undefined || v === undefined) return "";
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (isMapping(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(", ")}}`;
  return String(v);
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined || b instanceof Undefined)
    return a instanceof Undefined && b instanceof Undefined;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  return a === b;
}

/** Python `json.dumps(v, ensure_ascii=False, indent=indent)`. */
export function toJson(v: unknown, indent: number | null = null, depth = 0): string {
  if (v instanceof Undefined || v === undefined || v === null) return "null";
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : JSON.stringify(v);
  const pad = indent === null ? "" : `\n${" ".repeat(indent * (depth + 1))}`;
  const end = indent === null ? "" : `\n${" ".repeat(indent * depth)}`;
  const sep = indent === null ? ", " : ",";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[${pad}${v.map((x) => toJson(x, indent, depth + 1)).join(sep + pad)}${end}]`;
  }
  if (isMapping(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}";
    const body = entries.map(([k, x]) => `${JSON.stringify(k)}: ${toJson(x, indent, depth + 1)}`);
    return `{${pad}${body.join(sep + pad)}${end}}`;
  }
  throw new Error(`Object of type ${typeof v} is not JSON serializable`);
}

const WHITESPACE = " \t\n\r\v\f";

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = typeof chars === "string" ? chars : WHITESPACE;
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a] as string)) a++;
  if (right) while (b > a && set.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

/** Python `str.split(sep=None, maxsplit=-1)`. */
function pySplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = typeof maxsplit === "number" && maxsplit >= 0 ? maxsplit : Number.POSITIVE_INFINITY;
  if (sep === undefined || sep === null) {
    const parts = s
      .trim()
      .split(/\s+/)
      .filter((p) => p.length > 0);
    if (parts.length <= max + 1) return parts;
    const head = parts.slice(0, max);
    let rest = s.trimStart();
    for (const h of head) rest = rest.slice(rest.indexOf(h) + h.length).trimStart();
    return [...head, rest];
  }
  if (typeof sep !== "string" || sep === "") throw new Error("empty separator");
  const parts = s.split(sep);
  if (parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sep)];
}

type Method = (self: never, args: unknown[]) => unknown;

const STRING_METHODS: Record<string, Method> = {
  startswith: (s: string, [p]) =>
    Array.isArray(p) ? p.some((x) => s.startsWith(String(x))) : s.startsWith(String(p)),
  endswith: (s: string, [p]) =>
    Array.isArray(p) ? p.some((x) => s.endsWith(String(x))) : s.endsWith(String(p)),
  split: (s: string, [sep, max]) => pySplit(s, sep, max),
  strip: (s: string, [c]) => stripChars(s, c, true, true),
  lstrip: (s: string, [c]) => stripChars(s, c, true, false),
  rstrip: (s: string, [c]) => stripChars(s, c, false, true),
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  title: (s: string) => s.replace(/\w\S*/g, (w) => (w[0] as string).toUpperCase() + w.slice(1).toLowerCase()),
  capitalize: (s: string) => (s[0] ?? "").toUpperCase() + s.slice(1).toLowerCase(),
  replace: (s: string, [a, b]) => s.replaceAll(String(a), String(b)),
  find: (s: string, [x]) => s.indexOf(String(x)),
  count: (s: string, [x]) => s.split(String(x)).length - 1,
  join: (s: string, [items]) => (Array.isArray(items) ? items.map(pyStr).join(s) : ""),
  isdigit: (s: string) => /^\d+$/.test(s),
};

const DICT_METHODS: Record<string, Method> = {
  items: (d: Record<string, unknown>) => Object.entries(d),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, [k, dflt]) => (String(k) in d ? d[String(k)] : (dflt ?? null)),
};

/** A bound method of a string/dict receiver, or undefined. */
export function getMethod(receiver: unknown, name: string): CallableValue | undefined {
  const table =
    typeof receiver === "string" ? STRING_METHODS : isMapping(receiver) ? DICT_METHODS : undefined;
  const method = table && Object.hasOwn(table, name) ? table[name] : undefined;
  if (!method) return undefined;
  return callable((args) => method(receiver as never, args));
}
