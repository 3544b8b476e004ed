/** Evaluator for the parsed Jinja subset (see parser.ts) with Python-like value semantics. */
import type { Expr, Node } from "./ast.ts";
import {
  CALLABLE,
  type Callable,
  callable,
  getMethod,
  isCallable,
  isMapping,
  Namespace,
  pyEquals,
  pyStr,
  toJson,
  truthy,
  Undefined,
} from "./python-values.ts";

export class TemplateRuntimeError extends Error {
  override name = "TemplateRuntimeError";
}

/** Variable scope: `for` bodies get a child scope, so `set` inside a loop does not leak (hence `namespace`). */
class Scope {
  private readonly vars = new Map<string, unknown>();
  constructor(private readonly parent: Scope | null) {}
  get(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    return this.parent ? this.parent.get(name) : new Undefined(name);
  }
  set(name: string, value: unknown): void {
    this.vars.set(name, value);
  }
  child(): Scope {
    return new Scope(this);
  }
}

const GLOBALS: Record<string, unknown> = {
  namespace: callable((_args, kwargs) => Object.assign(new Namespace(), kwargs)),
  range: callable((args) => {
    const [a, b, c] = args.map(Number);
    const [start, stop, step] = b === undefined ? [0, a ?? 0, 1] : [a ?? 0, b, c ?? 1];
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
    return out;
  }),
  raise_exception: callable(([message]) => {
    throw new TemplateRuntimeError(pyStr(message));
  }),
};

function toLength(v: unknown): number {
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  if (isMapping(v)) return Object.keys(v).length;
  throw new TemplateRuntimeError(`object of type ${typeof v} has no len()`);
}

const FILTERS: Record<string, (value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown> =
  {
    length: (v) => toLength(v),
    count: (v) => toLength(v),
    tojson: (v, [indent], kw) => toJson(v, (kw.indent ?? indent ?? null) as number | null),
    trim: (v, [chars]) => {
      const s = pyStr(v);
      return typeof chars === "string"
        ? s.replace(new RegExp(`^[${escapeClass(chars)}]+|[${escapeClass(chars)}]+$`, "g"), "")
        : s.trim();
    },
    upper: (v) => pyStr(v).toUpperCase(),
    lower: (v) => pyStr(v).toLowerCase(),
    string: (v) => pyStr(v),
    int: (v) => Math.trunc(Number(v)) || 0,
    float: (v) => Number(v) || 0,
    list: (v) =>
      typeof v === "string" ? [...v] : Array.isArray(v) ? [...v] : isMapping(v) ? Object.keys(v) : [],
    first: (v) =>
      Array.isArray(v) || typeof v === "string" ? (v[0] ?? new Undefined("first")) : new Undefined("first"),
    last: (v) =>
      Array.isArray(v) || typeof v === "string" ? (v.at(-1) ?? new Undefined("last")) : new Undefined("last"),
    join: (v, [sep]) =>
      Array.isArray(v) ? v.map(pyStr).join(sep === undefined ? "" : pyStr(sep)) : pyStr(v),
    default: (v, [dflt, boolean]) => (v instanceof Undefined || (boolean && !truthy(v)) ? (dflt ?? "") : v),
    d: (v, [dflt]) => (v instanceof Undefined ? (dflt ?? "") : v),
    reverse: (v) =>
      typeof v === "string" ? [...v].reverse().join("") : Array.isArray(v) ? [...v].reverse() : v,
    items: (v) => (isMapping(v) ? Object.entries(v) : []),
    replace: (v, [a, b]) => pyStr(v).replaceAll(pyStr(a), pyStr(b)),
    capitalize: (v) => {
      const s = pyStr(v);
      return (s[0] ?? "").toUpperCase() + s.slice(1).toLowerCase();
    },
    safe: (v) => v,
    abs: (v) => Math.abs(Number(v)),
  };

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, "\\$&");
}

const TESTS: Record<string, (value: unknown, args: unknown[]) => boolean> = {
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  true: (v) => v === true,
  false: (v) => v === false,
  boolean: (v) => typeof v === "boolean",
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  integer: (v) => typeof v === "number" && Number.isInteger(v),
  float: (v) => typeof v === "number" && !Number.isInteger(v),
  mapping: (v) => isMapping(v),
  sequence: (v) => typeof v === "string" || Array.isArray(v),
  iterable: (v) => typeof v === "string" || Array.isArray(v) || isMapping(v),
  callable: (v) => isCallable(v),
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
  eq: (v, [x]) => pyEquals(v, x),
  equalto: (v, [x]) => pyEquals(v, x),
  in: (v, [x]) => contains(x, v),
};

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === "string") return container.includes(pyStr(item));
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (isMapping(container)) return Object.hasOwn(container, pyStr(item));
  throw new TemplateRuntimeError(`argument of type ${typeof container} is not iterable`);
}

function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (isMapping(v)) return Object.keys(v);
  if (v instanceof Undefined) return [];
  throw new TemplateRuntimeError(`object of type ${v === null ? "None" : typeof v} is not iterable`);
}

function getAttr(object: unknown, name: string): unknown {
  if (object instanceof Undefined)
    throw new TemplateRuntimeError(`'${object.hint}' is undefined (reading .${name})`);
  if (isMapping(object) && Object.hasOwn(object, name)) return object[name];
  return getMethod(object, name) ?? new Undefined(name);
}

function getItem(object: unknown, index: unknown): unknown {
  if (object instanceof Undefined)
    throw new TemplateRuntimeError(`'${object.hint}' is undefined (reading [${pyStr(index)}])`);
  if ((Array.isArray(object) || typeof object === "string") && typeof index === "number") {
    const i = index < 0 ? object.length + index : index;
    return i >= 0 && i < object.length ? object[i] : new Undefined(`[${index}]`);
  }
  if (isMapping(object) && Object.hasOwn(object, pyStr(index))) return object[pyStr(index)];
  return typeof index === "string" ? getAttr(object, index) : new Undefined(`[${pyStr(index)}]`);
}

/** Python slice semantics `object[start:stop:step]`. */
function getSlice(object: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (!(Array.isArray(object) || typeof object === "string"))
    throw new TemplateRuntimeError("only lists and strings can be sliced");
  const items: unknown[] = Array.isArray(object) ? object : [...object];
  const n = items.length;
  const st = step === null ? 1 : Number(step);
  if (st === 0) throw new TemplateRuntimeError("slice step cannot be zero");
  const norm = (v: unknown, dflt: number, lo: number, hi: number) => {
    if (v === null) return dflt;
    const x = Number(v) < 0 ? Number(v) + n : Number(v);
    return Math.min(Math.max(x, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) for (let i = norm(start, 0, 0, n); i < norm(stop, n, 0, n); i += st) out.push(items[i]);
  else for (let i = norm(start, n - 1, -1, n - 1); i > norm(stop, -1, -1, n - 1); i += st) out.push(items[i]);
  return typeof object === "string" ? out.join("") : out;
}

function binary(op: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case "+":
      if (typeof a === "string" && typeof b === "string") return a + b;
      if (typeof a === "number" && typeof b === "number") return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      throw new TemplateRuntimeError(`unsupported operand types for +: ${describe(a)} and ${describe(b)}`);
    case "~":
      return pyStr(a) + pyStr(b);
    case "-":
      return Number(a) - Number(b);
    case "*":
      if (typeof a === "string" && typeof b === "number") return a.repeat(Math.max(0, b));
      return Number(a) * Number(b);
    case "/":
      return Number(a) / Number(b);
    case "//":
      return Math.floor(Number(a) / Number(b));
    case "%":
      return ((Number(a) % Number(b)) + Number(b)) % Number(b);
    case "**":
      return Number(a) ** Number(b);
    case "==":
      return pyEquals(a, b);
    case "!=":
      return !pyEquals(a, b);
    case "<":
      return (a as number) < (b as number);
    case ">":
      return (a as number) > (b as number);
    case "<=":
      return (a as number) <= (b as number);
    case ">=":
      return (a as number) >= (b as number);
    case "in":
      return contains(b, a);
    case "not in":
      return !contains(b, a);
    default:
      throw new TemplateRuntimeError(`unknown operator ${op}`);
  }
}

function describe(v: unknown): string {
  if (v instanceof Undefined) return `undefined '${v.hint}'`;
  if (v === null) return "None";
  return Array.isArray(v) ? "list" : typeof v;
}

function evaluate(e: Expr, scope: Scope): unknown {
  switch (e.kind) {
    case "literal":
      return e.value;
    case "name": {
      const v = scope.get(e.name);
      return v instanceof Undefined && Object.hasOwn(GLOBALS, e.name) ? GLOBALS[e.name] : v;
    }
    case "attr":
      return getAttr(evaluate(e.object, scope), e.name);
    case "item":
      return getItem(evaluate(e.object, scope), evaluate(e.index, scope));
    case "slice": {
      const part = (x: Expr | null) => (x === null ? null : evaluate(x, scope));
      return getSlice(evaluate(e.object, scope), part(e.start), part(e.stop), part(e.step));
    }
    case "call": {
      const fn = evaluate(e.callee, scope);
      if (!isCallable(fn)) throw new TemplateRuntimeError(`${describe(fn)} is not callable`);
      const args = e.args.map((a) => evaluate(a, scope));
      const kwargs = Object.fromEntries(e.kwargs.map(([k, v]) => [k, evaluate(v, scope)]));
      return (fn[CALLABLE] as Callable)(args, kwargs);
    }
    case "filter": {
      const filter = FILTERS[e.name];
      if (!filter) throw new TemplateRuntimeError(`unknown filter "${e.name}"`);
      const kwargs = Object.fromEntries(e.kwargs.map(([k, v]) => [k, evaluate(v, scope)]));
      return filter(
        evaluate(e.value, scope),
        e.args.map((a) => evaluate(a, scope)),
        kwargs,
      );
    }
    case "test": {
      const test = TESTS[e.name];
      if (!test) throw new TemplateRuntimeError(`unknown test "${e.name}"`);
      const result = test(
        evaluate(e.value, scope),
        e.args.map((a) => evaluate(a, scope)),
      );
      return e.negated ? !result : result;
    }
    case "unary": {
      const v = evaluate(e.operand, scope);
      return e.op === "not" ? !truthy(v) : e.op === "-" ? -Number(v) : Number(v);
    }
    case "binary": {
      if (e.op === "and") {
        const left = evaluate(e.left, scope);
        return truthy(left) ? evaluate(e.right, scope) : left;
      }
      if (e.op === "or") {
        const left = evaluate(e.left, scope);
        return truthy(left) ? left : evaluate(e.right, scope);
      }
      return binary(e.op, evaluate(e.left, scope), evaluate(e.right, scope));
    }
    case "cond":
      if (truthy(evaluate(e.test, scope))) return evaluate(e.whenTrue, scope);
      return e.whenFalse ? evaluate(e.whenFalse, scope) : new Undefined("conditional");
    case "list":
      return e.items.map((x) => evaluate(x, scope));
    case "dict":
      return Object.fromEntries(e.entries.map(([k, v]) => [pyStr(evaluate(k, scope)), evaluate(v, scope)]));
  }
}

function renderNodes(nodes: Node[], scope: Scope, out: string[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out.push(node.value);
        break;
      case "output":
        out.push(pyStr(evaluate(node.expr, scope)));
        break;
      case "if": {
        const branch = node.branches.find((b) => truthy(evaluate(b.test, scope)));
        renderNodes(branch ? branch.body : node.otherwise, scope, out);
        break;
      }
      case "for": {
        const items = iterate(evaluate(node.iter, scope));
        if (items.length === 0) renderNodes(node.otherwise, scope, out);
        items.forEach((item, index) => {
          const inner = scope.child();
          if (node.targets.length === 1) inner.set(node.targets[0] as string, item);
          else {
            const parts = iterate(item);
            for (const [j, t] of node.targets.entries()) inner.set(t, parts[j]);
          }
          inner.set("loop", {
            index: index + 1,
            index0: index,
            revindex: items.length - index,
            revindex0: items.length - index - 1,
            first: index === 0,
            last: index === items.length - 1,
            length: items.length,
            previtem: index > 0 ? items[index - 1] : new Undefined("previtem"),
            nextitem: index < items.length - 1 ? items[index + 1] : new Undefined("nextitem"),
          });
          renderNodes(node.body, inner, out);
        });
        break;
      }
      case "set": {
        const value = evaluate(node.value, scope);
        if (node.attr === null) scope.set(node.name, value);
        else {
          const target = scope.get(node.name);
          if (!(target instanceof Namespace)) {
            throw new TemplateRuntimeError(`cannot assign attribute on non-namespace object '${node.name}'`);
          }
          target[node.attr] = value;
        }
        break;
      }
      case "set-block": {
        const captured: string[] = [];
        renderNodes(node.body, scope, captured);
        scope.set(node.name, captured.join(""));
        break;
      }
      case "block":
        renderNodes(node.body, scope, out);
        break;
    }
  }
}

/** Render parsed nodes with a context of plain JSON-like values. */
export function render(nodes: Node[], context: Record<string, unknown>): string {
  const scope = new Scope(null);
  for (const [k, v] of Object.entries(context)) if (v !== undefined) scope.set(k, v);
  const out: string[] = [];
  renderNodes(nodes, scope, out);
  return out.join("");
}
