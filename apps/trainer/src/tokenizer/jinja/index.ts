/**
 * A minimal Jinja implementation for Hugging Face chat templates (no dependency; `@huggingface/jinja` is
 * not installed). Supports what Qwen2/Qwen3/Llama-3 templates use; unsupported syntax throws a
 * TemplateSyntaxError naming the template line.
 */
import type { Node } from "./ast.ts";
import { parseTemplate } from "./parser.ts";
import { render } from "./runtime.ts";

export { TemplateSyntaxError } from "./lexer.ts";
export { TemplateRuntimeError } from "./runtime.ts";

export interface CompiledTemplate {
  render(context: Record<string, unknown>): string;
}

/** Parse once, render many times. */
export function compileTemplate(source: string): CompiledTemplate {
  const nodes: Node[] = parseTemplate(source);
  return { render: (context) => render(nodes, context) };
}

/** Parse and render in one call. */
export function renderTemplate(source: string, context: Record<string, unknown>): string {
  return compileTemplate(source).render(context);
}
