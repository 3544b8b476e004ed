import { describe, expect, it } from "vitest";
import { renderTemplate, TemplateRuntimeError, TemplateSyntaxError } from "./index.ts";

const r = (src: string, ctx: Record<string, unknown> = {}) => renderTemplate(src, ctx);

describe("jinja subset", () => {
  it("outputs, literals and Python-style str()", () => {
    expect(r("{{ 'a' + \"b\" }}|{{ 1 + 2 }}|{{ true }}|{{ none }}|{{ x }}")).toBe("ab|3|True|None|");
    expect(r("{{ 'a\\nb' }}")).toBe("a\nb");
    expect(r("{{ [1, 'x'] }}")).toBe("[1, 'x']");
  });

  it("if/elif/else, and/or/not, comparisons, in / not in", () => {
    const src = "{% if n > 2 and not flag %}big{% elif n == 2 or flag %}two{% else %}small{% endif %}";
    expect(r(src, { n: 3, flag: false })).toBe("big");
    expect(r(src, { n: 2, flag: false })).toBe("two");
    expect(r(src, { n: 1, flag: false })).toBe("small");
    expect(r("{{ 'ab' in 'xaby' }}{{ 3 not in [1, 2] }}")).toBe("TrueTrue");
    expect(r("{{ 'yes' if x else 'no' }}|{{ 'yes' if y }}", { x: 1, y: 0 })).toBe("yes|");
  });

  it("for loops expose loop.*, scope sets locally, namespace sets globally", () => {
    const src =
      "{% set ns = namespace(last=-1) %}{% set x = 'outer' %}" +
      "{% for m in items %}{% set x = m %}{{ loop.index0 }}{{ m }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}{% set ns.last = loop.index %}{% endfor %}" +
      "|{{ x }}|{{ ns.last }}";
    expect(r(src, { items: ["a", "b", "c"] })).toBe("0aF1b2cL|outer|3");
    expect(r("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", { d: { a: 1, b: 2 } })).toBe(
      "a=1;b=2;",
    );
    expect(r("{% for x in [] %}x{% else %}empty{% endfor %}")).toBe("empty");
  });

  it("slices, negative indices, filters and tests", () => {
    expect(r("{% for x in xs[::-1] %}{{ x }}{% endfor %}", { xs: [1, 2, 3] })).toBe("321");
    expect(r("{{ xs[-1] }}{{ xs[1:] }}{{ 'hello'[1:3] }}", { xs: [1, 2, 3] })).toBe("3[2, 3]el");
    expect(r("{{ xs|length - 1 }}", { xs: [1, 2, 3] })).toBe("2");
    expect(r("{{ '  a ' | trim + '!' }}")).toBe("a!");
    expect(r("{{ d | tojson }}", { d: { a: [1, "é"], b: null } })).toBe('{"a": [1, "é"], "b": null}');
    expect(
      r("{{ x is defined }}{{ y is not defined }}{{ n is none }}{{ f is false }}{{ s is string }}", {
        x: 1,
        n: null,
        f: false,
        s: "",
      }),
    ).toBe("TrueTrueTrueTrueTrue");
  });

  it("Python string methods used by chat templates", () => {
    const ctx = { c: "<think>\nr\n</think>\n\nanswer" };
    expect(r("{{ c.split('</think>')[-1].lstrip('\\n') }}", ctx)).toBe("answer");
    expect(r("{{ c.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}", ctx)).toBe("r");
    expect(r("{{ c.startswith('<think>') }}{{ c.endswith('x') }}{{ '\\nab\\n'.strip('\\n') }}", ctx)).toBe(
      "TrueFalseab",
    );
  });

  it("whitespace control: -, trim_blocks and lstrip_blocks", () => {
    expect(r("a  {{- 'b' -}}  c")).toBe("abc");
    expect(r("{% if true %}\nx\n{% endif %}\ny")).toBe("x\ny");
    expect(r("  {% if true %}x{% endif %}")).toBe("x");
    expect(r("a\n    {%- if true %}x{% endif %}")).toBe("ax");
    expect(r("a {% if true %}x{% endif %}")).toBe("a x"); // not at line start: kept
    expect(r("{# comment #}\nz")).toBe("z");
  });

  it("errors name the problem", () => {
    expect(() => r("{% if x %}unclosed")).toThrow(TemplateSyntaxError);
    expect(() => r("{% macro m() %}{% endmacro %}")).toThrow(/unsupported tag/);
    expect(() => r("{{ x.y }}")).toThrow(TemplateRuntimeError);
    expect(() => r("{{ raise_exception('bad role') }}")).toThrow("bad role");
    expect(() => r("{% set s = 'a' %}{% set s.x = 1 %}")).toThrow(/non-namespace/);
  });
});
