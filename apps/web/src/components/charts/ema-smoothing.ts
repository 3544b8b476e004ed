/**
 * Exponential moving average for the smoothing slider, the debiased form TensorBoard uses and W&B calls
 * "Exponential Moving Average" (https://docs.wandb.ai/models/app/features/panels/line-plot/smoothing):
 *
 *   last_i = w · last_{i-1} + (1 − w) · v_i,   smoothed_i = last_i / (1 − w^{n_i})
 *
 * where n_i counts the finite values seen so far. The debias term stops the curve starting near zero.
 * Points are treated as evenly spaced (server buckets are roughly even); non-finite inputs stay NaN in the
 * output and do not move the average.
 */

/** Highest smoothing weight accepted; 1 would freeze the curve at its first value. */
export const MAX_SMOOTHING = 0.99;

export function clampSmoothing(weight: number): number {
  if (!Number.isFinite(weight) || weight <= 0) return 0;
  return Math.min(weight, MAX_SMOOTHING);
}

/** Smooths `values` with weight `weight` ∈ [0, 0.99]; O(n), returns a new array of the same length. */
export function smoothEma(values: ArrayLike<number>, weight: number): number[] {
  const w = clampSmoothing(weight);
  const out = new Array<number>(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      out[i] = Number.NaN;
      continue;
    }
    if (w === 0) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    seen++;
    out[i] = last / (1 - w ** seen);
  }
  return out;
}
