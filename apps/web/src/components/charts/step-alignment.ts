/**
 * Aligning several series onto one shared x axis (uPlot draws all series against a single x array).
 * Missing points become `undefined` (uPlot skips them and keeps the line going) while non-finite values
 * become `null` (uPlot breaks the line there): a run that did not log step s is not a gap, a NaN is.
 * Everything here is O(N log N) in the total number of points or better.
 */

export type PlotValue = number | null | undefined;

/** Sorted, de-duplicated union of several step arrays. */
export function unionSorted(arrays: readonly (readonly number[])[]): number[] {
  if (arrays.length === 1 && isStrictlyIncreasing(arrays[0] as readonly number[])) {
    return (arrays[0] as readonly number[]).slice();
  }
  const all: number[] = [];
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) all.push(v);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of all) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return out;
}

/**
 * `values` (indexed like `x`) re-indexed onto `axis` (sorted union containing every finite x). Where one
 * x appears several times the last value wins. `transform` maps each finite value (e.g. log-scale guard).
 */
export function alignToAxis(
  x: readonly number[],
  values: ArrayLike<number>,
  axis: readonly number[],
  transform?: (v: number) => PlotValue,
): PlotValue[] {
  const out = new Array<PlotValue>(axis.length).fill(undefined);
  const order = isStrictlyIncreasing(x) ? null : sortedOrder(x);
  let j = 0;
  const n = Math.min(x.length, values.length);
  for (let k = 0; k < n; k++) {
    const i = order ? (order[k] as number) : k;
    const xi = x[i] as number;
    if (!Number.isFinite(xi)) continue;
    while (j < axis.length && (axis[j] as number) < xi) j++;
    if (j === axis.length) break;
    if (axis[j] !== xi) continue;
    const v = values[i] as number;
    out[j] = Number.isFinite(v) ? (transform ? transform(v) : v) : null;
  }
  return out;
}

/** Index of the nearest value to `target` in an ascending array (binary search); -1 when empty. */
export function nearestIndex(sorted: ArrayLike<number>, target: number): number {
  const n = sorted.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((sorted[lo - 1] as number) - target) <= Math.abs((sorted[lo] as number) - target)) {
    return lo - 1;
  }
  return lo;
}

function isStrictlyIncreasing(a: readonly number[]): boolean {
  for (let i = 1; i < a.length; i++) if (!((a[i] as number) > (a[i - 1] as number))) return false;
  return true;
}

/** Indices of `a` in ascending value order; stable, so the later of equal x comes later and wins. */
function sortedOrder(a: readonly number[]): number[] {
  return Array.from(a.keys()).sort((p, q) => (a[p] as number) - (a[q] as number) || p - q);
}
