/**
 * Deterministic train / held-out split: rows are ranked by a seeded hash of their id, and the
 * `round(fraction · n)` lowest ranks are held out. Independent of row order; same seed ⇒ same split.
 */
import { deriveSeed, hashString, mix32 } from "../tasks/rng.ts";

export interface Split<T> {
  train: T[];
  heldOut: T[];
}

/**
 * @param rows     items with a stable string `id`
 * @param fraction share held out, in [0, 1)
 * @param seed     split seed (use the run seed)
 * @param maxHeldOut optional cap on the held-out count
 */
export function splitTrainHeldOut<T extends { id: string }>(
  rows: readonly T[],
  options: { fraction: number; seed: number; maxHeldOut?: number },
): Split<T> {
  const { fraction, seed } = options;
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`fraction must be in [0, 1) (got ${fraction})`);
  const salt = deriveSeed(seed, "split");
  const ranked = rows
    .map((row, index) => ({ row, index, key: mix32(hashString(row.id) ^ salt) }))
    .sort((a, b) => a.key - b.key || a.index - b.index);
  let count = Math.round(fraction * rows.length);
  if (options.maxHeldOut !== undefined) count = Math.min(count, options.maxHeldOut);
  const heldIndex = new Set(ranked.slice(0, count).map((r) => r.index));
  return {
    train: rows.filter((_, i) => !heldIndex.has(i)),
    heldOut: rows.filter((_, i) => heldIndex.has(i)),
  };
}
