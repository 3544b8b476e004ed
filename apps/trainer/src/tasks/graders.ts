/** Exact graders shared by the built-in tasks. */
import { extractBoxedAnswer } from "../reward/boxed.ts";

/** Remove all whitespace (answers like `1, 2, 3` and `1,2,3` are the same). */
function compact(s: string): string {
  return s.replace(/\s+/g, "");
}

/**
 * 1 iff the last `\boxed{}` of `response` equals `groundTruth` ignoring whitespace, else 0.
 * Stricter than the MATH grader: no `x =` prefix, no `0.5 ≡ 1/2`, no leading zeros.
 */
export function gradeExactBoxed(response: string, groundTruth: string): number {
  const answer = extractBoxedAnswer(response);
  return answer !== null && compact(answer) === compact(groundTruth) ? 1 : 0;
}
