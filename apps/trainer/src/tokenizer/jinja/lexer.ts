/**
 * Lexer for the Jinja subset used by Hugging Face chat templates.
 *
 * Whitespace control follows transformers' `apply_chat_template` environment
 * (`trim_blocks=True, lstrip_blocks=True`): a newline right after `%}` / `#}` is dropped, and spaces/tabs
 * before a `{%` / `{#` that starts a line are dropped; `{%-` / `-%}` (and `{{-`, `-}}`) strip all
 * whitespace on that side; `{%+` disables lstrip.
 */

export type TokenType =
  | "text"
  | "var_begin"
  | "var_end"
  | "block_begin"
  | "block_end"
  | "name"
  | "string"
  | "number"
  | "op"
  | "eof";

export interface Token {
  type: TokenType;
  value: string;
  /** Offset in the template source, for error messages. */
  pos: number;
}

const OPERATORS = [
  "**",
  "//",
  "==",
  "!=",
  "<=",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "~",
  "<",
  ">",
  "|",
  ".",
  ",",
  ":",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "=",
];

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "0": "\0",
};

export class TemplateSyntaxError extends Error {
  constructor(message: string, source: string, pos: number) {
    const line = source.slice(0, pos).split("\n").length;
    super(`${message} (template line ${line})`);
    this.name = "TemplateSyntaxError";
  }
}

/** Tokenize a template into text and tag tokens (expression tokens between begin/end markers). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let stripNextText: "none" | "all" | "newline" = "none";
  // Jinja's `line_starting`: the text begins a line (template start, or the previous tag consumed a "\n").
  let lineStarting = true;
  let prev: { token: Token; lineStarting: boolean } | undefined;

  const pushText = (text: string, start: number) => {
    let t = text;
    let consumed = "";
    if (stripNextText === "all") consumed = /^\s*/.exec(t)?.[0] ?? "";
    else if (stripNextText === "newline") consumed = /^\r?\n/.exec(t)?.[0] ?? "";
    if (stripNextText !== "none") lineStarting = consumed.endsWith("\n");
    t = t.slice(consumed.length);
    stripNextText = "none";
    const token: Token = { type: "text", value: t, pos: start };
    tokens.push(token);
    prev = { token, lineStarting };
  };

  while (pos < source.length) {
    const next = findTagStart(source, pos);
    if (next < 0) {
      pushText(source.slice(pos), pos);
      break;
    }
    pushText(source.slice(pos, next), pos);
    const kind = source[next + 1] as "{" | "%" | "#";
    const modifier = source[next + 2];
    let inner = next + 2;
    if (modifier === "-" || modifier === "+") inner += 1;
    if (prev) {
      const text = prev.token;
      if (modifier === "-") text.value = text.value.replace(/\s+$/, "");
      else if (kind !== "{" && modifier !== "+") {
        // lstrip_blocks: drop whitespace between the line start and the tag
        const lineStart = text.value.lastIndexOf("\n") + 1;
        if ((lineStart > 0 || prev.lineStarting) && /^\s*$/.test(text.value.slice(lineStart))) {
          text.value = text.value.slice(0, lineStart);
        }
      }
    }

    if (kind === "#") {
      const end = source.indexOf("#}", inner);
      if (end < 0) throw new TemplateSyntaxError("unclosed comment", source, next);
      stripNextText = source[end - 1] === "-" ? "all" : "newline";
      lineStarting = false;
      pos = end + 2;
      prev = undefined;
      continue;
    }

    const close = kind === "{" ? "}}" : "%}";
    tokens.push({ type: kind === "{" ? "var_begin" : "block_begin", value: "", pos: next });
    pos = lexExpression(source, inner, close, tokens);
    const trimmed = source[pos - 3] === "-";
    tokens.push({ type: kind === "{" ? "var_end" : "block_end", value: "", pos });
    stripNextText = trimmed ? "all" : kind === "%" ? "newline" : "none";
    lineStarting = false;
    prev = undefined;
  }
  tokens.push({ type: "eof", value: "", pos: source.length });
  return tokens.filter((t) => t.type !== "text" || t.value.length > 0);
}

function findTagStart(source: string, from: number): number {
  for (let i = source.indexOf("{", from); i >= 0; i = source.indexOf("{", i + 1)) {
    const c = source[i + 1];
    if (c === "{" || c === "%" || c === "#") return i;
  }
  return -1;
}

/** Lex expression tokens until `close` (optionally preceded by `-`); returns the offset after it. */
function lexExpression(source: string, start: number, close: string, out: Token[]): number {
  let i = start;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (source.startsWith(close, i)) return i + 2;
    if (c === "-" && source.startsWith(close, i + 1)) return i + 3;
    if (c === "'" || c === '"') {
      let value = "";
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === "\\") {
          j += 1;
          const e = source[j] as string;
          value += ESCAPES[e] ?? `\\${e}`;
        } else value += source[j];
      }
      if (j >= source.length) throw new TemplateSyntaxError("unclosed string literal", source, i);
      out.push({ type: "string", value, pos: i });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(source.slice(i, i + 32));
    if (num) {
      out.push({ type: "number", value: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
    if (name) {
      out.push({ type: "name", value: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new TemplateSyntaxError(`unexpected character "${c}"`, source, i);
    out.push({ type: "op", value: op, pos: i });
    i += op.length;
  }
  throw new TemplateSyntaxError(`missing "${close}"`, source, start);
}
