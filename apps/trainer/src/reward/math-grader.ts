/**
 * MATH correctness reward, a faithful port of verl `utils/reward_score/math.py` (Hendrycks-MATH
 * `strip_string` / `is_equiv`), as used by BuPO for training and validation rewards (bupo-spec §6):
 * reward = 1.0 iff strip_string(last boxed answer) === strip_string(ground truth), else 0.0; 0.0 on no box,
 * an unclosed box, or any exception. When normalisation itself throws (an IndexError in `fix_fracs` /
 * `fix_sqrt` on an empty tail, two `\text{ ` units), `is_equiv` falls back to raw string equality.
 * Python's code-point indexing is reproduced with `Array.from`.
 */
import { lastBoxedOnlyString, removeBoxed } from "./boxed.ts";

/** First code point of a string (Python `s[0]`); throws on "" like an IndexError. */
function firstChar(s: string): string {
  const c = s.codePointAt(0);
  if (c === undefined) throw new Error("string index out of range");
  return String.fromCodePoint(c);
}

/** `\frac12` → `\frac{1}{2}`, `\frac1{72}` → `\frac{1}{72}`; leaves `\frac{…}` alone. */
export function fixFracs(text: string): string {
  const substrs = text.split("\\frac");
  let out = substrs[0] ?? "";
  for (const substr of substrs.slice(1)) {
    out += "\\frac";
    if (firstChar(substr) === "{") {
      out += substr;
      continue;
    }
    const chars = Array.from(substr);
    if (chars.length < 2) return text;
    const [a, b] = chars as [string, string];
    const post = chars.slice(2).join("");
    out += b !== "{" ? `{${a}}{${b}}${post}` : `{${a}}${b}${post}`;
  }
  return out;
}

/** What Python's `str(int(s))` prints back: canonical decimal. */
const CANONICAL_INT = /^(?:0|-?[1-9][0-9]*)$/;

/**
 * `a/b` with integers → `\frac{a}{b}`; anything else unchanged. The reference wraps `int(a)`, `int(b)` and
 * `assert string == "{}/{}".format(a, b)` in a bare `except:`, so a non-integer part (ValueError) and a
 * non-canonical one (`03`, `+3`, ` 3`: the assert) both return the string as it was — only canonical
 * integers on both sides convert.
 */
export function fixASlashB(text: string): string {
  const parts = text.split("/");
  if (parts.length !== 2) return text;
  const [a, b] = parts as [string, string];
  return CANONICAL_INT.test(a) && CANONICAL_INT.test(b) ? `\\frac{${a}}{${b}}` : text;
}

/** Drop a trailing `\text{ unit}` (throws when `\text{ ` occurs twice, as the reference asserts). */
export function removeRightUnits(text: string): string {
  if (!text.includes("\\text{ ")) return text;
  const splits = text.split("\\text{ ");
  if (splits.length !== 2) throw new Error("more than one \\text{ unit}");
  return splits[0] as string;
}

/** `\sqrt2` → `\sqrt{2}`. */
export function fixSqrt(text: string): string {
  if (!text.includes("\\sqrt")) return text;
  const splits = text.split("\\sqrt");
  let out = splits[0] ?? "";
  for (const split of splits.slice(1)) {
    const first = firstChar(split);
    out += first !== "{" ? `\\sqrt{${first}}${split.slice(first.length)}` : `\\sqrt${split}`;
  }
  return out;
}

/** Hendrycks-MATH answer normalisation, step for step. May throw (callers fall back to raw equality). */
export function stripString(input: string): string {
  let s = input;
  s = s.replaceAll("\n", ""); // linebreaks
  s = s.replaceAll("\\!", ""); // inverse spaces
  s = s.replaceAll("\\\\", "\\"); // \\ → \
  s = s.replaceAll("tfrac", "frac").replaceAll("dfrac", "frac");
  s = s.replaceAll("\\left", "").replaceAll("\\right", "");
  s = s.replaceAll("^{\\circ}", "").replaceAll("^\\circ", ""); // degrees
  s = s.replaceAll("\\$", ""); // dollars
  s = removeRightUnits(s);
  // percent: the reference replaces the same literal twice (Python's "\%" is "\\%"), and the second pass
  // matters: "\\%%" → "\%" → "".
  s = s.replaceAll("\\%", "").replaceAll("\\%", "");
  s = s.replaceAll(" .", " 0.").replaceAll("{.", "{0.");
  if (s.length === 0) return s;
  if (s.startsWith(".")) s = `0${s}`;
  const eq = s.split("=");
  if (eq.length === 2 && Array.from(eq[0] as string).length <= 2) s = eq[1] as string; // drop "k = "
  s = fixSqrt(s);
  s = s.replaceAll(" ", "");
  s = fixFracs(s);
  if (s === "0.5") s = "\\frac{1}{2}";
  s = fixASlashB(s);
  return s;
}

/** Normalised equality; raw equality when normalisation throws. */
export function isEquiv(a: string | null, b: string | null): boolean {
  if (a === null && b === null) return true;
  if (a === null || b === null) return false;
  try {
    return stripString(a) === stripString(b);
  } catch {
    return a === b;
  }
}

/**
 * verl `math.compute_score`: 1.0 iff the last boxed answer of `response` equals `groundTruth` after
 * normalisation; 0.0 otherwise (no box, unclosed box, `\fbox`, any exception).
 * @param response model output decoded with special tokens skipped
 */
export function computeMathScore(response: string, groundTruth: string): number {
  try {
    const boxed = lastBoxedOnlyString(response);
    if (boxed === null) return 0;
    return isEquiv(removeBoxed(boxed), String(groundTruth)) ? 1 : 0;
  } catch {
    return 0;
  }
}
