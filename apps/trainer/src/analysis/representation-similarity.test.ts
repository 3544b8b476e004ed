/** Linear CKA and token-wise cosine (issue 15): invariances, independence, float64 references, no leaks. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { createRng } from "../model/sampling.ts";
import { centeredGram, ckaFromGrams, linearCka, meanTokenCosine } from "./representation-similarity.ts";

type Mat = number[][];

function gaussian(rows: number, cols: number, seed: number): Mat {
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Array.from({ length: rows }, () => Array.from({ length: cols }, normal));
}

/** A random orthogonal d × d matrix: the product of two Householder reflections I − 2vvᵀ/vᵀv. */
function orthogonal(d: number, seed: number): Mat {
  const reflect = (v: number[]): Mat => {
    const vv = v.reduce((s, x) => s + x * x, 0);
    return v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
  };
  const [a, b] = gaussian(2, d, seed) as [number[], number[]];
  return mul(reflect(a), reflect(b));
}

const mul = (a: Mat, b: Mat): Mat =>
  a.map((row) =>
    (b[0] as number[]).map((_, j) => row.reduce((s, x, k) => s + x * ((b[k] as number[])[j] as number), 0)),
  );
const transpose = (a: Mat): Mat => (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number));
const sqFro = (a: Mat) => a.reduce((s, row) => s + row.reduce((t, x) => t + x * x, 0), 0);

/** Float64 reference: column-centre, then ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F). */
function refCka(x: Mat, y: Mat): number {
  const centre = (m: Mat) => {
    const means = transpose(m).map((col) => col.reduce((s, v) => s + v, 0) / col.length);
    return m.map((row) => row.map((v, j) => v - (means[j] as number)));
  };
  const xc = centre(x);
  const yc = centre(y);
  return (
    sqFro(mul(transpose(yc), xc)) / Math.sqrt(sqFro(mul(transpose(xc), xc)) * sqFro(mul(transpose(yc), yc)))
  );
}

function refMeanCosine(x: Mat, y: Mat): number {
  const cos = x.map((row, t) => {
    const other = y[t] as number[];
    const dot = row.reduce((s, v, j) => s + v * (other[j] as number), 0);
    return dot / Math.sqrt(sqFro([row]) * sqFro([other]));
  });
  return cos.reduce((s, v) => s + v, 0) / cos.length;
}

const cka = (x: Mat, y: Mat) =>
  tf.tidy(() => linearCka(tf.tensor2d(x), tf.tensor2d(y)).dataSync()[0] as number);

describe("representation similarity", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  it("CKA is 1 for identical inputs, in the Gram form (N < 2d) and the feature form (N ≥ 2d)", () => {
    for (const [n, d] of [
      [6, 16],
      [64, 5],
    ] as const) {
      const x = gaussian(n, d, n + d);
      expect(cka(x, x)).toBeCloseTo(1, 5);
    }
  });

  it("CKA is invariant to orthogonal transforms and isotropic scaling (both forms, also on a large scale)", () => {
    for (const [n, d] of [
      [10, 12],
      [50, 6],
    ] as const) {
      const x = gaussian(n, d, 3);
      const y = gaussian(n, 4, 4).map((row, t) => [...row, ...(x[t] as number[]).slice(0, 2)]); // related to x
      const base = cka(x, y);
      expect(base).toBeGreaterThan(0.05);
      const xq = mul(x, orthogonal(d, 9)).map((row) => row.map((v) => v * 1234.5));
      expect(cka(xq, y)).toBeCloseTo(base, 5);
      const ys = y.map((row) => row.map((v) => v * 1e-3));
      expect(cka(x, ys)).toBeCloseTo(base, 5);
    }
  });

  it("CKA of independent random features is ≈ 0, within √(d₁d₂)/N (its expected bias) times a margin", () => {
    for (const n of [200, 800]) {
      const d1 = 8;
      const d2 = 6;
      const value = cka(gaussian(n, d1, 11), gaussian(n, d2, 12));
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan((3 * Math.sqrt(d1 * d2)) / n);
    }
  });

  it("cosine and CKA match a float64 reference at toy sizes (Gram and feature forms, different widths)", () => {
    for (const [n, d1, d2] of [
      [5, 4, 7],
      [30, 4, 3],
    ] as const) {
      const x = gaussian(n, d1, 21).map((row) => row.map((v) => v * 40 + 3));
      const y = gaussian(n, d2, 22).map((row, t) =>
        row.map((v, j) => v + ((x[t] as number[])[j % d1] as number)),
      );
      expect(cka(x, y)).toBeCloseTo(refCka(x, y), 5);
      const y1 = gaussian(n, d1, 23).map((row, t) =>
        row.map((v, j) => v + ((x[t] as number[])[j] as number)),
      );
      const cos = tf.tidy(() => meanTokenCosine(tf.tensor2d(x), tf.tensor2d(y1)).dataSync()[0] as number);
      expect(cos).toBeCloseTo(refMeanCosine(x, y1), 5);
    }
  });

  it("CKA from unit Grams equals linearCka; a constant representation gives 0, not NaN", () => {
    const x = gaussian(9, 20, 31);
    const y = gaussian(9, 3, 32);
    const fromGrams = tf.tidy(
      () => ckaFromGrams(centeredGram(tf.tensor2d(x)), centeredGram(tf.tensor2d(y))).dataSync()[0],
    );
    expect(fromGrams).toBeCloseTo(refCka(x, y), 5);
    const constant = x.map(() => [1, 2, 3]);
    expect(cka(x, constant)).toBe(0);
  });

  it("leaves no tensors behind", () => {
    const x = tf.tensor2d(gaussian(12, 5, 41));
    const y = tf.tensor2d(gaussian(12, 7, 42));
    const wide = tf.tensor2d(gaussian(3, 7, 43));
    const before = tf.memory().numTensors;
    const k = centeredGram(x);
    const outs = [linearCka(x, y), linearCka(wide, wide), meanTokenCosine(x, x), ckaFromGrams(k, k)];
    expect(tf.memory().numTensors).toBe(before + outs.length + 1);
    tf.dispose([...outs, k]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, wide]);
  });
});
