/**
 * Host-side token sampling from log-probabilities: seeded PRNG, temperature already applied, nucleus (top-p)
 * truncation, greedy argmax. Pure functions over Float32Array rows; deterministic for a given seed.
 */

/** mulberry32: small, fast, seedable PRNG returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index of the largest entry (first one on ties). */
export function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

/**
 * Samples an index from a row of log-probabilities (a normalised distribution).
 * topP < 1 keeps the smallest set of most-likely tokens whose mass reaches topP (the token crossing the threshold
 * included, at least one token), renormalised — as vLLM / transformers do.
 */
export function sampleFromLogProbs(logp: ArrayLike<number>, rng: () => number, topP = 1): number {
  const V = logp.length;
  if (topP >= 1) {
    const probs = new Float64Array(V);
    let total = 0;
    for (let i = 0; i < V; i++) {
      probs[i] = Math.exp(logp[i] as number);
      total += probs[i] as number;
    }
    let r = rng() * total;
    for (let i = 0; i < V; i++) {
      r -= probs[i] as number;
      if (r < 0) return i;
    }
    return argMax(logp); // only reachable through rounding
  }
  const order = Array.from({ length: V }, (_, i) => i).sort(
    (a, b) => (logp[b] as number) - (logp[a] as number),
  );
  const kept: number[] = [];
  const keptProbs: number[] = [];
  let mass = 0;
  for (const i of order) {
    const p = Math.exp(logp[i] as number);
    kept.push(i);
    keptProbs.push(p);
    mass += p;
    if (mass >= topP) break;
  }
  let r = rng() * mass;
  for (let j = 0; j < kept.length; j++) {
    r -= keptProbs[j] as number;
    if (r < 0) return kept[j] as number;
  }
  return kept[0] as number;
}
