/** AST of the supported Jinja subset. */

export type Expr =
  | { kind: "literal"; value: unknown }
  | { kind: "name"; name: string }
  | { kind: "attr"; object: Expr; name: string }
  | { kind: "item"; object: Expr; index: Expr }
  | { kind: "slice"; object: Expr; start: Expr | null; stop: Expr | null; step: Expr | null }
  | { kind: "call"; callee: Expr; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: "filter"; value: Expr; name: string; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: "test"; value: Expr; name: string; negated: boolean; args: Expr[] }
  | { kind: "unary"; op: "not" | "-" | "+"; operand: Expr }
  | { kind: "binary"; op: string; left: Expr; right: Expr }
  | { kind: "cond"; test: Expr; whenTrue: Expr; whenFalse: Expr | null }
  | { kind: "list"; items: Expr[] }
  | { kind: "dict"; entries: [Expr, Expr][] };

export type Node =
  | { kind: "text"; value: string }
  | { kind: "output"; expr: Expr }
  | { kind: "if"; branches: { test: Expr; body: Node[] }[]; otherwise: Node[] }
  | { kind: "for"; targets: string[]; iter: Expr; body: Node[]; otherwise: Node[] }
  | { kind: "set"; name: string; attr: string | null; value: Expr }
  | { kind: "set-block"; name: string; body: Node[] }
  | { kind: "block"; body: Node[] };
