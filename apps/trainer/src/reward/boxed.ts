/**
 * `\boxed{…}` extraction with the exact semantics of the Hendrycks-MATH helpers used by verl
 * (`verl/utils/reward_score/math.py`: `last_boxed_only_string`, `remove_boxed`; bupo-spec §6):
 * - if the text contains `\boxed ` (space form) anywhere, the answer is what follows the LAST `\boxed `
 *   up to the next `$` — this wins even over a later `\boxed{…}`;
 * - otherwise the LAST `\boxed` (else the last `\fbox`) is brace-matched from its position;
 * - `removeBoxed` only accepts `\boxed ` / `\boxed{…}` and throws otherwise (so `\fbox{4}` grades 0).
 */

/** The last boxed expression including its wrapper (`\boxed{…}`, `\boxed x`, `\fbox{…}`), or null. */
export function lastBoxedOnlyString(text: string): string | null {
  if (text.includes("\\boxed ")) {
    const tail = text.split("\\boxed ").at(-1) ?? "";
    return `\\boxed ${tail.split("$")[0]}`;
  }
  let idx = text.lastIndexOf("\\boxed");
  if (idx < 0) {
    idx = text.lastIndexOf("\\fbox");
    if (idx < 0) return null;
  }
  let open = 0;
  for (let i = idx; i < text.length; i++) {
    const c = text[i];
    if (c === "{") open += 1;
    if (c === "}") {
      open -= 1;
      if (open === 0) return text.slice(idx, i + 1);
    }
  }
  return null;
}

/** Strip the `\boxed ` / `\boxed{…}` wrapper; throws (like the reference's asserts) for anything else. */
export function removeBoxed(boxed: string): string {
  if (boxed.includes("\\boxed ")) {
    const left = "\\boxed ";
    if (!boxed.startsWith(left)) throw new Error(`expected "${left}" prefix`);
    return boxed.slice(left.length);
  }
  const left = "\\boxed{";
  if (!boxed.startsWith(left)) throw new Error(`expected "${left}" prefix`);
  if (!boxed.endsWith("}")) throw new Error('expected a closing "}"');
  return boxed.slice(left.length, -1);
}

/** The content of the last box, or null when there is none or it cannot be unwrapped. */
export function extractBoxedAnswer(text: string): string | null {
  const boxed = lastBoxedOnlyString(text);
  if (boxed === null) return null;
  try {
    return removeBoxed(boxed);
  } catch {
    return null;
  }
}

/** Wrap an answer for target texts: `\boxed{answer}`. */
export function boxed(answer: string): string {
  return `\\boxed{${answer}}`;
}
