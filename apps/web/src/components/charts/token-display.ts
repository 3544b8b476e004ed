/**
 * Making model tokens visible in cells: whitespace and control characters become visible symbols so
 * " the", "\n" and "" do not all look empty.
 */

const VISIBLE: Record<string, string> = { " ": "␣", "\n": "↵", "\r": "␍", "\t": "⇥" };

export function displayToken(token: string): string {
  if (token.length === 0) return "∅";
  let out = "";
  for (const ch of token) {
    const code = ch.codePointAt(0) ?? 0;
    out += VISIBLE[ch] ?? (code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : ch);
  }
  return out;
}

/** Cell text clipped to `max` characters with an ellipsis (full token stays in the popover). */
export function clipToken(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}
