/** Statistics and markdown helpers of the experiment scripts (mean ± sample std over seeds, table rows). */

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
/** Sample standard deviation (n − 1); 0 for a single value. */
export function std(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
export const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "–");
export const signed = (x: number, d = 3) =>
  Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(d)}` : "–";
export const pm = (xs: number[], d = 3) =>
  xs.length > 1 ? `${f(mean(xs), d)} ± ${f(std(xs), d)}` : f(mean(xs), d);
export const perSeed = (xs: number[], d = 3) => xs.map((x) => f(x, d)).join(" / ");
export const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
export const rule = (n: number, firstLeft = 1) =>
  row(Array.from({ length: n }, (_, i) => (i < firstLeft ? "---" : "---:")));
