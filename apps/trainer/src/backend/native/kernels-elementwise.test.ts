/**
 * Native Exp / Tanh / Sigmoid and Sum against the tfjs cpu backend. Unary ops: moderate, large (up to overflow),
 * small (|x| < 0.625, tanh's polynomial branch) and zero inputs. Sum: leading, middle, trailing, blocks and all
 * axes, keepDims, long reductions; non-contiguous axis sets and int32 fall back to the stock wasm kernel.
 * Metric: max|Δ| / max|ref| ≤ 1e-5 (plus an elementwise relative check where the values span many decades).
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.ts";
import {
  compareBackends,
  countAddonCalls,
  type HostTensor,
  host,
  maxAbs,
  nativeAvailable,
  randn,
  reportErrors,
  rng,
  skipNote,
  type TensorFn,
} from "./native-test-utils.ts";

const TOL = 1e-5;

/** max over i of |Δi| / |refi| over finite refi with |refi| ≥ `floor` (non-finite ones are checked by relErr). */
function elementwiseRelErr(ref: Float32Array, got: Float32Array, floor: number): number {
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    if (Number.isFinite(r) && Math.abs(r) >= floor)
      m = Math.max(m, Math.abs((got[i] as number) - r) / Math.abs(r));
  }
  return m;
}

function uniform(n: number, lo: number, hi: number, seed: number): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * next());
}

const RANGES: Record<string, number[]> = {
  moderate: Array.from(randn([997], 11, 3).values),
  // up to float32 overflow of exp (x ≳ 88.72) and sigmoid/tanh saturation; exp(−87.5) etc. are denormal
  large: [
    ...[10, 20, 30, 50, 80, 87, 88, 88.3, 88.37, 88.4, 88.5, 88.7, 88.72, 89, 100, 1e4].flatMap((x) => [
      x,
      -x,
    ]),
    ...uniform(64, -90, 90, 12),
  ],
  // tanh's small-argument polynomial (|x| < 0.625) and its boundary
  small: [...uniform(200, -0.625, 0.625, 13), 0.6249, 0.625, 0.6251, -0.6249, -0.625, 1e-3, -1e-7, 1e-20],
  zeros: [0, -0, 0, 0, -0, 0, 0],
};

const UNARY: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  Exp: tf.exp,
  Tanh: tf.tanh,
  Sigmoid: tf.sigmoid,
};

describe.skipIf(!nativeAvailable)(`native Exp / Tanh / Sigmoid and Sum vs cpu${skipNote}`, () => {
  beforeAll(async () => {
    const info = await initBackend({ prefer: "wasm" });
    expect(info.native.kernels).toEqual(expect.arrayContaining(["Exp", "Tanh", "Sigmoid", "Sum"]));
  });
  afterAll(() => reportErrors("kernels-elementwise"));

  for (const [name, op] of Object.entries(UNARY)) {
    for (const [range, values] of Object.entries(RANGES)) {
      it(`${name} on ${range} inputs (${values.length} values, odd length: vector tails)`, async () => {
        const x = host([values.length], values);
        const { result, calls } = await countAddonCalls(["unary"], () =>
          compareBackends(name, [x], (_side, t) => op(t as tf.Tensor)),
        );
        expect(calls.unary).toBe(1);
        const [ref, got] = [result.ref[0] as HostTensor, result.got[0] as HostTensor];
        expect(result.errors[0]).toBeLessThanOrEqual(TOL);
        if (range === "zeros") {
          // numerically equal (native tanh(−0) is +0 where Math.tanh gives −0: no difference as a value)
          expect(got.values.every((v, i) => v === ref.values[i])).toBe(true);
          return;
        }
        expect(maxAbs(ref.values)).toBeGreaterThan(0);
        // values above float32's normal range: relative to themselves, not only to the largest value
        const err = elementwiseRelErr(ref.values, got.values, 1.2e-38);
        expect(err, `elementwise relative error of ${name} on ${range}`).toBeLessThanOrEqual(TOL);
      });
    }
  }

  it("unary ops keep shape and handle rank > 1, non-float32 and empty tensors", async () => {
    const x = randn([3, 1, 5, 7], 21);
    for (const [name, op] of Object.entries(UNARY)) {
      const { errors } = await compareBackends(name, [x], (_side, t) => op(t as tf.Tensor));
      expect(errors[0]).toBeLessThanOrEqual(TOL);
    }
    await tf.setBackend("wasm");
    const { result, calls } = await countAddonCalls(["unary"], () =>
      tf.tidy(() => ({
        int: Array.from(tf.exp(tf.tensor1d([0, 1, 2], "int32")).dataSync()),
        empty: tf.tanh(tf.zeros([0, 3])).shape,
      })),
    );
    expect(calls.unary).toBe(0); // int32 → stock kernel, empty → nothing to compute
    for (const [i, v] of result.int.entries()) expect(v).toBeCloseTo(Math.exp(i), 5);
    expect(result.empty).toEqual([0, 3]);
  });

  const shape = [4, 5, 6, 7];
  // mean 0.5: sums do not cancel to ≈ 0, so max|ref| is a fair scale
  const x = randn(shape, 31, 1, 0.5);
  const sumCases: Array<{ axes: number | number[] | undefined; keepDims: boolean; native: boolean }> = [
    { axes: 0, keepDims: false, native: true },
    { axes: 1, keepDims: false, native: true },
    { axes: 2, keepDims: true, native: true },
    { axes: 3, keepDims: false, native: true },
    { axes: -1, keepDims: true, native: true },
    { axes: [1, 2], keepDims: false, native: true },
    { axes: [0, 1], keepDims: true, native: true },
    { axes: [2, 3], keepDims: false, native: true },
    { axes: [3, 1, 2], keepDims: false, native: true },
    { axes: undefined, keepDims: false, native: true },
    { axes: [0, 1, 2, 3], keepDims: true, native: true },
    { axes: [0, 2], keepDims: false, native: false },
    { axes: [1, 3], keepDims: true, native: false },
    { axes: [0, 3], keepDims: false, native: false },
  ];
  for (const c of sumCases) {
    it(`Sum over axes ${JSON.stringify(c.axes)} keepDims=${c.keepDims} (${c.native ? "native" : "falls back"})`, async () => {
      const fn: TensorFn = (_side, t) => tf.sum(t as tf.Tensor, c.axes, c.keepDims);
      const { result, calls } = await countAddonCalls(["sumAxis"], () => compareBackends("Sum", [x], fn));
      expect(calls.sumAxis).toBe(c.native ? 1 : 0);
      expect(maxAbs(result.ref[0]?.values ?? [])).toBeGreaterThan(0);
      expect(result.errors[0]).toBeLessThanOrEqual(TOL);
    });
  }

  it("Sum: long reductions (vector lanes + tail), size-1 axes, int32 falls back", async () => {
    const cases: Array<[HostTensor, number | number[]]> = [
      [randn([3, 3001], 41, 1, 0.5), 1],
      [randn([3001, 3], 42, 1, 0.5), 0],
      [randn([2, 1, 517, 3], 43, 1, 0.5), [1, 2]],
      [randn([1, 9], 44, 1, 0.5), 0],
      [randn([6, 1], 45, 1, 0.5), 1],
    ];
    for (const [input, axes] of cases) {
      const { result, calls } = await countAddonCalls(["sumAxis"], () =>
        compareBackends("Sum", [input], (_side, t) => tf.sum(t as tf.Tensor, axes)),
      );
      expect(calls.sumAxis).toBe(1);
      expect(result.errors[0], `[${input.shape}] axes ${axes}`).toBeLessThanOrEqual(TOL);
    }
    await tf.setBackend("wasm");
    const { result, calls } = await countAddonCalls(["sumAxis"], () =>
      tf.tidy(() => Array.from(tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], "int32"), 0).dataSync())),
    );
    expect(calls.sumAxis).toBe(0);
    expect(result).toEqual([5, 7, 9]);
  });
});
