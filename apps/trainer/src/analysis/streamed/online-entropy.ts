/**
 * Entropy of softmax(z) over a vocabulary seen in chunks (online log-sum-exp). Each chunk c contributes its own
 * logsumexp ℓ_c and entropy H_c, so A_c = ℓ_c − H_c = Σ_{v∈c} softmax_c(z)_v · z_v. Over all chunks:
 *   ℓ = log Σ_c e^{ℓ_c},   Σ_v p_v z_v = Σ_c e^{ℓ_c − ℓ} · A_c,   H = ℓ − Σ_v p_v z_v.
 * Running form (float64): ℓ' = logaddexp(ℓ, ℓ_c), S' = S·e^{ℓ − ℓ'} + A_c·e^{ℓ_c − ℓ'}, so S stays the
 * p-weighted mean of z over the chunks seen, and H = ℓ − S at the end. Full [rows, V] logits never exist.
 */

/** Running (logsumexp, Σ p·z) per row. */
export class OnlineEntropy {
  private readonly lse: Float64Array;
  private readonly mean: Float64Array;

  constructor(readonly rows: number) {
    this.lse = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
    this.mean = new Float64Array(rows);
  }

  /**
   * Merges one vocabulary chunk for rows [r0, r0 + n): `stats` holds n pairs (logsumexp, entropy) of that chunk,
   * as `logitStats` returns them.
   */
  add(r0: number, stats: ArrayLike<number>): void {
    const n = stats.length / 2;
    for (let i = 0; i < n; i++) {
      const lc = stats[2 * i] as number;
      const ac = lc - (stats[2 * i + 1] as number);
      const r = r0 + i;
      const l = this.lse[r] as number;
      if (l === Number.NEGATIVE_INFINITY) {
        this.lse[r] = lc;
        this.mean[r] = ac;
        continue;
      }
      const hi = Math.max(l, lc);
      const next = hi + Math.log(Math.exp(l - hi) + Math.exp(lc - hi));
      this.mean[r] = (this.mean[r] as number) * Math.exp(l - next) + ac * Math.exp(lc - next);
      this.lse[r] = next;
    }
  }

  /** H = ℓ − Σ p·z per row (nats), as float32 like the in-heap path. */
  entropies(): Float32Array {
    const out = new Float32Array(this.rows);
    for (let r = 0; r < this.rows; r++) out[r] = (this.lse[r] as number) - (this.mean[r] as number);
    return out;
  }
}
