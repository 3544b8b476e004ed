/**
 * Test oracle: a literal, loop-based float64 transcription of transformers' Qwen3/Qwen2/Llama forward for one
 * sequence (repeat_kv, rotate_half with full cat(freqs, freqs) tables, eager attention). Slow; toy sizes only.
 */
import type { ModelConfig } from "../config.ts";
import { ropeInverseFrequencies } from "../rope.ts";
import { type ModelWeights, namedParameters } from "../weights.ts";

type Mat = number[][];

function matOf(v: { shape: number[]; dataSync(): ArrayLike<number> }): Mat {
  const [r, c] = v.shape as [number, number];
  const d = v.dataSync();
  return Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => d[i * c + j] as number));
}

const vecOf = (v: { dataSync(): ArrayLike<number> }): number[] => Array.from(v.dataSync());
/** y = W x for W [out, in] (torch Linear). */
const lin = (W: Mat, x: number[], b?: number[]) =>
  W.map((row, o) => row.reduce((s, w, i) => s + w * (x[i] as number), b ? (b[o] as number) : 0));
const rms = (x: number[], w: number[], eps: number) => {
  const inv = 1 / Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length + eps);
  return x.map((v, i) => (w[i] as number) * v * inv);
};
const silu = (x: number) => x / (1 + Math.exp(-x));

/** Returns logits [T][V] and raw residuals h₀…h_L ([L+1][T][d]). */
export function naiveForward(
  w: ModelWeights,
  c: ModelConfig,
  tokens: number[],
): { logits: Mat; hidden: Mat[] } {
  const P = new Map(namedParameters(w, c).map((p) => [p.name, p.variable]));
  const get = (n: string) => {
    const v = P.get(n);
    if (!v) throw new Error(n);
    return v;
  };
  const T = tokens.length;
  const hd = c.headDim;
  const G = c.numHeads / c.numKvHeads;
  const E = matOf(w.embedTokens);
  const inv = Array.from(ropeInverseFrequencies(c));
  const cosT = Array.from({ length: T }, (_, p) => [...inv, ...inv].map((f) => Math.cos(f * p)));
  const sinT = Array.from({ length: T }, (_, p) => [...inv, ...inv].map((f) => Math.sin(f * p)));
  const rope = (x: number[], p: number) => {
    const half = hd / 2;
    const rot = [...x.slice(half).map((v) => -v), ...x.slice(0, half)];
    return x.map((v, i) => v * (cosT[p]?.[i] as number) + (rot[i] as number) * (sinT[p]?.[i] as number));
  };
  let h: Mat = tokens.map((t) => [...(E[t] as number[])]);
  const hidden: Mat[] = [h];
  for (let l = 0; l < c.numLayers; l++) {
    const p = `model.layers.${l}`;
    const opt = (n: string) => (P.has(n) ? vecOf(get(n)) : undefined);
    const [Wq, Wk, Wv, Wo] = ["q", "k", "v", "o"].map((n) =>
      matOf(get(`${p}.self_attn.${n}_proj.weight`)),
    ) as Mat[];
    const [bq, bk, bv] = ["q", "k", "v"].map((n) => opt(`${p}.self_attn.${n}_proj.bias`));
    const qn = opt(`${p}.self_attn.q_norm.weight`);
    const kn = opt(`${p}.self_attn.k_norm.weight`);
    const u = h.map((x) => rms(x, vecOf(get(`${p}.input_layernorm.weight`)), c.rmsNormEps));
    const heads = (y: number[], n: number, norm?: number[]) =>
      Array.from({ length: n }, (_, i) => {
        const s = y.slice(i * hd, (i + 1) * hd);
        return norm ? rms(s, norm, c.rmsNormEps) : s;
      });
    const q = u.map((x, t) => heads(lin(Wq as Mat, x, bq), c.numHeads, qn).map((s) => rope(s, t)));
    const k = u.map((x, t) => heads(lin(Wk as Mat, x, bk), c.numKvHeads, kn).map((s) => rope(s, t)));
    const v = u.map((x) => heads(lin(Wv as Mat, x, bv), c.numKvHeads));
    const attn = u.map((_, t) => {
      const merged: number[] = [];
      for (let hh = 0; hh < c.numHeads; hh++) {
        const kvh = Math.floor(hh / G);
        const scores = Array.from(
          { length: t + 1 },
          (_, j) =>
            ((q[t] as number[][])[hh] as number[]).reduce(
              (s, a, i) => s + a * (k[j]?.[kvh]?.[i] as number),
              0,
            ) / Math.sqrt(hd),
        );
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let i = 0; i < hd; i++)
          merged.push(e.reduce((s, pj, j) => s + (pj / z) * (v[j]?.[kvh]?.[i] as number), 0));
      }
      return lin(Wo as Mat, merged);
    });
    const m = h.map((x, t) => x.map((val, i) => val + (attn[t]?.[i] as number)));
    const vIn = m.map((x) => rms(x, vecOf(get(`${p}.post_attention_layernorm.weight`)), c.rmsNormEps));
    const [Wg, Wu, Wd] = ["gate", "up", "down"].map((n) => matOf(get(`${p}.mlp.${n}_proj.weight`))) as Mat[];
    const f = vIn.map((x) => {
      const g = lin(Wg as Mat, x);
      const up = lin(Wu as Mat, x);
      return lin(
        Wd as Mat,
        g.map((gv, i) => silu(gv) * (up[i] as number)),
      );
    });
    h = m.map((x, t) => x.map((val, i) => val + (f[t]?.[i] as number)));
    hidden.push(h);
  }
  const WU = matOf(w.lmHead);
  const logits = h.map((x) => lin(WU, rms(x, vecOf(w.norm), c.rmsNormEps)));
  return { logits, hidden };
}
