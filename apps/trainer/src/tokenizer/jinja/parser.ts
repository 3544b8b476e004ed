/**
 * Recursive-descent parser for the Jinja subset of chat templates: `{{ }}` output; `if/elif/else`,
 * `for … in … [else]`, `set` (incl. `set ns.attr = …` and block `set`), `generation` blocks (rendered
 * as plain bodies); expressions with literals, attribute/item/slice access, calls with kwargs, filters,
 * `is [not]` tests, `in`/`not in`, comparisons, arithmetic, `~`, `and/or/not`, conditional expressions.
 */
import type { Expr, Node } from "./ast.ts";
import { TemplateSyntaxError, type Token, tokenize } from "./lexer.ts";

const COMPARE_OPS = new Set(["==", "!=", "<", ">", "<=", ">="]);

export function parseTemplate(source: string): Node[] {
  const parser = new Parser(source, tokenize(source));
  const body = parser.parseBody([]);
  parser.expectEof();
  return body;
}

class Parser {
  private i = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  // ---- token helpers --------------------------------------------------------------------------------

  private get tok(): Token {
    return this.tokens[this.i] as Token;
  }

  private peek(offset = 1): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private error(message: string, token: Token = this.tok): never {
    throw new TemplateSyntaxError(message, this.source, token.pos);
  }

  private isOp(value: string): boolean {
    return this.tok.type === "op" && this.tok.value === value;
  }

  private isName(value: string): boolean {
    return this.tok.type === "name" && this.tok.value === value;
  }

  private expectOp(value: string): void {
    if (!this.isOp(value)) this.error(`expected "${value}" but found "${this.tok.value || this.tok.type}"`);
    this.i += 1;
  }

  private expectName(value?: string): string {
    if (this.tok.type !== "name" || (value !== undefined && this.tok.value !== value)) {
      this.error(
        `expected ${value ? `"${value}"` : "a name"} but found "${this.tok.value || this.tok.type}"`,
      );
    }
    const v = this.tok.value;
    this.i += 1;
    return v;
  }

  private expect(type: Token["type"]): void {
    if (this.tok.type !== type) this.error(`expected ${type} but found "${this.tok.value || this.tok.type}"`);
    this.i += 1;
  }

  expectEof(): void {
    if (this.tok.type !== "eof") this.error(`unexpected "${this.tok.value || this.tok.type}"`);
  }

  // ---- statements -----------------------------------------------------------------------------------

  /** Parse nodes until a block tag whose keyword is in `stops` (left unconsumed) or EOF. */
  parseBody(stops: string[]): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.tok;
      if (t.type === "eof") {
        if (stops.length) this.error(`missing {% ${stops.join(" / ")} %}`);
        return nodes;
      }
      if (t.type === "text") {
        nodes.push({ kind: "text", value: t.value });
        this.i += 1;
      } else if (t.type === "var_begin") {
        this.i += 1;
        nodes.push({ kind: "output", expr: this.parseExpression() });
        this.expect("var_end");
      } else if (t.type === "block_begin") {
        const keyword = this.peek();
        if (keyword?.type === "name" && stops.includes(keyword.value)) return nodes;
        this.i += 1;
        nodes.push(this.parseStatement());
      } else {
        this.error(`unexpected ${t.type}`);
      }
    }
  }

  private endTag(keyword: string): void {
    this.expect("block_begin");
    this.expectName(keyword);
    this.expect("block_end");
  }

  private parseStatement(): Node {
    const keyword = this.expectName();
    switch (keyword) {
      case "if":
        return this.parseIf();
      case "for":
        return this.parseFor();
      case "set":
        return this.parseSet();
      case "generation": {
        this.expect("block_end");
        const body = this.parseBody(["endgeneration"]);
        this.endTag("endgeneration");
        return { kind: "block", body };
      }
      default:
        return this.error(`unsupported tag "{% ${keyword} %}"`);
    }
  }

  private parseIf(): Node {
    const branches: { test: Expr; body: Node[] }[] = [];
    let test = this.parseExpression();
    this.expect("block_end");
    for (;;) {
      const body = this.parseBody(["elif", "else", "endif"]);
      branches.push({ test, body });
      this.expect("block_begin");
      const kw = this.expectName();
      if (kw === "elif") {
        test = this.parseExpression();
        this.expect("block_end");
        continue;
      }
      this.expect("block_end");
      if (kw === "endif") return { kind: "if", branches, otherwise: [] };
      const otherwise = this.parseBody(["endif"]);
      this.endTag("endif");
      return { kind: "if", branches, otherwise };
    }
  }

  private parseFor(): Node {
    const targets = [this.expectName()];
    while (this.isOp(",")) {
      this.i += 1;
      targets.push(this.expectName());
    }
    this.expectName("in");
    const iter = this.parseOr();
    this.expect("block_end");
    const body = this.parseBody(["else", "endfor"]);
    this.expect("block_begin");
    const kw = this.expectName();
    this.expect("block_end");
    if (kw === "endfor") return { kind: "for", targets, iter, body, otherwise: [] };
    const otherwise = this.parseBody(["endfor"]);
    this.endTag("endfor");
    return { kind: "for", targets, iter, body, otherwise };
  }

  private parseSet(): Node {
    const name = this.expectName();
    let attr: string | null = null;
    if (this.isOp(".")) {
      this.i += 1;
      attr = this.expectName();
    }
    if (this.tok.type === "block_end" && attr === null) {
      this.i += 1;
      const body = this.parseBody(["endset"]);
      this.endTag("endset");
      return { kind: "set-block", name, body };
    }
    this.expectOp("=");
    const value = this.parseExpression();
    this.expect("block_end");
    return { kind: "set", name, attr, value };
  }

  // ---- expressions (lowest precedence first) --------------------------------------------------------

  parseExpression(): Expr {
    const value = this.parseOr();
    if (!this.isName("if")) return value;
    this.i += 1;
    const test = this.parseOr();
    let otherwise: Expr | null = null;
    if (this.isName("else")) {
      this.i += 1;
      otherwise = this.parseExpression();
    }
    return { kind: "cond", test, whenTrue: value, whenFalse: otherwise };
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName("or")) {
      this.i += 1;
      left = { kind: "binary", op: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName("and")) {
      this.i += 1;
      left = { kind: "binary", op: "and", left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isName("not")) {
      this.i += 1;
      return { kind: "unary", op: "not", operand: this.parseNot() };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    let left = this.parseConcat();
    for (;;) {
      if (this.tok.type === "op" && COMPARE_OPS.has(this.tok.value)) {
        const op = this.tok.value;
        this.i += 1;
        left = { kind: "binary", op, left, right: this.parseConcat() };
      } else if (this.isName("in")) {
        this.i += 1;
        left = { kind: "binary", op: "in", left, right: this.parseConcat() };
      } else if (this.isName("not") && this.peek()?.type === "name" && this.peek()?.value === "in") {
        this.i += 2;
        left = { kind: "binary", op: "not in", left, right: this.parseConcat() };
      } else if (this.isName("is")) {
        this.i += 1;
        const negated = this.isName("not");
        if (negated) this.i += 1;
        const name = this.expectName();
        const args: Expr[] = [];
        if (this.isOp("(")) args.push(...this.parseCallArgs().args);
        else if (this.startsPrimary()) args.push(this.parseConcat());
        left = { kind: "test", value: left, name, negated, args };
      } else {
        return left;
      }
    }
  }

  private startsPrimary(): boolean {
    const t = this.tok;
    if (t.type === "string" || t.type === "number") return true;
    if (t.type === "name") return !["and", "or", "else", "if", "is", "in", "not"].includes(t.value);
    return false;
  }

  private parseConcat(): Expr {
    let left = this.parseAdditive();
    while (this.isOp("~")) {
      this.i += 1;
      left = { kind: "binary", op: "~", left, right: this.parseAdditive() };
    }
    return left;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.tok.value;
      this.i += 1;
      left = { kind: "binary", op, left, right: this.parseMultiplicative() };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (["*", "/", "//", "%", "**"].some((o) => this.isOp(o))) {
      const op = this.tok.value;
      this.i += 1;
      left = { kind: "binary", op, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp("-") || this.isOp("+")) {
      const op = this.tok.value as "-" | "+";
      this.i += 1;
      return { kind: "unary", op, operand: this.parseUnary() };
    }
    return this.parseFilters(this.parsePostfix(this.parsePrimary()));
  }

  private parseFilters(value: Expr): Expr {
    let out = value;
    while (this.isOp("|")) {
      this.i += 1;
      const name = this.expectName();
      const { args, kwargs } = this.isOp("(") ? this.parseCallArgs() : { args: [], kwargs: [] };
      out = { kind: "filter", value: out, name, args, kwargs };
    }
    return out;
  }

  private parsePostfix(base: Expr): Expr {
    let out = base;
    for (;;) {
      if (this.isOp(".")) {
        this.i += 1;
        out = { kind: "attr", object: out, name: this.expectName() };
      } else if (this.isOp("[")) {
        this.i += 1;
        out = this.parseSubscript(out);
      } else if (this.isOp("(")) {
        const { args, kwargs } = this.parseCallArgs();
        out = { kind: "call", callee: out, args, kwargs };
      } else {
        return out;
      }
    }
  }

  private parseSubscript(object: Expr): Expr {
    const part = (): Expr | null => (this.isOp(":") || this.isOp("]") ? null : this.parseExpression());
    const start = part();
    if (this.isOp("]")) {
      this.i += 1;
      if (!start) this.error("empty subscript");
      return { kind: "item", object, index: start };
    }
    this.expectOp(":");
    const stop = part();
    let step: Expr | null = null;
    if (this.isOp(":")) {
      this.i += 1;
      step = part();
    }
    this.expectOp("]");
    return { kind: "slice", object, start, stop, step };
  }

  private parseCallArgs(): { args: Expr[]; kwargs: [string, Expr][] } {
    this.expectOp("(");
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    while (!this.isOp(")")) {
      if (this.tok.type === "name" && this.peek()?.type === "op" && this.peek()?.value === "=") {
        const key = this.expectName();
        this.i += 1;
        kwargs.push([key, this.parseExpression()]);
      } else {
        args.push(this.parseExpression());
      }
      if (!this.isOp(",")) break;
      this.i += 1;
    }
    this.expectOp(")");
    return { args, kwargs };
  }

  private parsePrimary(): Expr {
    const t = this.tok;
    if (t.type === "string") {
      let value = t.value;
      this.i += 1;
      while (this.tok.type === "string") {
        value += this.tok.value; // adjacent literals concatenate
        this.i += 1;
      }
      return { kind: "literal", value };
    }
    if (t.type === "number") {
      this.i += 1;
      return { kind: "literal", value: Number(t.value) };
    }
    if (t.type === "name") {
      this.i += 1;
      const constants: Record<string, unknown> = {
        true: true,
        True: true,
        false: false,
        False: false,
        none: null,
        None: null,
      };
      if (t.value in constants) return { kind: "literal", value: constants[t.value] };
      return { kind: "name", name: t.value };
    }
    if (this.isOp("(")) {
      this.i += 1;
      const inner = this.parseExpression();
      if (this.isOp(",")) {
        const items = [inner];
        while (this.isOp(",")) {
          this.i += 1;
          if (this.isOp(")")) break;
          items.push(this.parseExpression());
        }
        this.expectOp(")");
        return { kind: "list", items };
      }
      this.expectOp(")");
      return inner;
    }
    if (this.isOp("[")) {
      this.i += 1;
      const items: Expr[] = [];
      while (!this.isOp("]")) {
        items.push(this.parseExpression());
        if (!this.isOp(",")) break;
        this.i += 1;
      }
      this.expectOp("]");
      return { kind: "list", items };
    }
    if (this.isOp("{")) {
      this.i += 1;
      const entries: [Expr, Expr][] = [];
      while (!this.isOp("}")) {
        const key = this.parseExpression();
        this.expectOp(":");
        entries.push([key, this.parseExpression()]);
        if (!this.isOp(",")) break;
        this.i += 1;
      }
      this.expectOp("}");
      return { kind: "dict", entries };
    }
    return this.error(`unexpected "${t.value || t.type}" in expression`);
  }
}
