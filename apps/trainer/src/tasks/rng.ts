/**
 * Small deterministic PRNG for task generation and data splits (mulberry32 + splitmix32 seeding).
 * Same seed ⇒ same stream on every platform; no global state.
 */

/** splitmix32 finaliser: a well-mixed uint32 from any 32-bit integer. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a string → uint32 (stable across runs; used to derive named sub-seeds). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A sub-seed for a named stream (`deriveSeed(42, "addition/train")`). */
export function deriveSeed(seed: number, stream: string): number {
  return mix32((seed >>> 0) ^ hashString(stream));
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** mulberry32 generator seeded with a uint32. */
export function createRng(seed: number): Rng {
  let state = mix32(seed >>> 0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(lo, hi) {
      if (!(Number.isInteger(lo) && Number.isInteger(hi) && hi >= lo))
        throw new Error(`bad range [${lo}, ${hi}]`);
      return lo + Math.floor(next() * (hi - lo + 1));
    },
    pick(items) {
      if (items.length === 0) throw new Error("pick from an empty array");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}
