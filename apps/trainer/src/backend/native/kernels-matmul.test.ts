/**
 * Native BatchMatMul (OpenBLAS sgemm on the wasm heap) against the tfjs cpu backend: ranks 2–5 on seeded random
 * shapes, sizes 1 and odd sizes, every transpose combination, one- and two-sided batch broadcasts, and gradients
 * (non-broadcast: tfjs's own matMul gradient throws on batch broadcasts). Metric: max|Δ| / max|ref| ≤ 1e-5.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.ts";
import {
  compareBackends,
  countAddonCalls,
  type HostTensor,
  maxAbs,
  nativeAvailable,
  randInt,
  randn,
  reportErrors,
  rng,
  skipNote,
  type TensorFn,
} from "./native-test-utils.ts";

const TOL = 1e-5;
const TRANSPOSES = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

/** [.., r, c] → [.., c, r]. */
const swapLast = (s: readonly number[]): number[] => [
  ...s.slice(0, -2),
  s[s.length - 1] as number,
  s[s.length - 2] as number,
];

/** The cpu reference broadcasts both operands to the full batch shape first: stock tfjs mis-indexes two-sided
 *  batch broadcasts such as [4,1,..]×[1,3,..]. */
function referenceMatMul(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): tf.Tensor {
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const full = (t: tf.Tensor) =>
    batch.length === 0 ? t : tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]);
  return tf.matMul(full(a), full(b), ta, tb);
}

const matMulFn =
  (ta: boolean, tb: boolean): TensorFn =>
  (side, a, b) =>
    side === "cpu"
      ? referenceMatMul(a as tf.Tensor, b as tf.Tensor, ta, tb)
      : tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb);

interface Case {
  name: string;
  /** Logical operand shapes [..batchA, M, K] and [..batchB, K, N] (before the transpose flags). */
  a: number[];
  b: number[];
}

/** Seeded random shapes: rank r, equal batch dims in 1..3, M, N, K in 1..9 (sizes 1 and odd sizes come up). */
function randomCases(): Case[] {
  const next = rng(20_240_601);
  const cases: Case[] = [];
  for (let rank = 2; rank <= 5; rank++) {
    for (let draw = 0; draw < 3; draw++) {
      const batch = Array.from({ length: rank - 2 }, () => randInt(next, 1, 3));
      const [M, N, K] = [randInt(next, 1, 9), randInt(next, 1, 9), randInt(next, 1, 9)];
      cases.push({ name: `rank ${rank} #${draw}`, a: [...batch, M, K], b: [...batch, K, N] });
    }
  }
  return cases;
}

const fixedCases: Case[] = [
  { name: "M = 1", a: [2, 1, 7], b: [2, 7, 5] },
  { name: "N = 1", a: [3, 6, 5], b: [3, 5, 1] },
  { name: "K = 1", a: [5, 1], b: [1, 9] },
  { name: "M = N = K = 1", a: [4, 1, 1], b: [4, 1, 1] },
  { name: "odd 33×65×17", a: [33, 65], b: [65, 17] },
  { name: "odd rank 4", a: [2, 3, 13, 11], b: [2, 3, 11, 7] },
];

const broadcastCases: Case[] = [
  { name: "[3,10,11]×[11,5]", a: [3, 10, 11], b: [11, 5] },
  { name: "[13,7]×[3,7,4]", a: [13, 7], b: [3, 7, 4] },
  { name: "two-sided [4,1,5,6]×[1,3,6,7]", a: [4, 1, 5, 6], b: [1, 3, 6, 7] },
  { name: "batchB 1 [2,3,4,5]×[1,1,5,3]", a: [2, 3, 4, 5], b: [1, 1, 5, 3] },
  { name: "two-sided rank 5 [2,1,3,4,5]×[3,1,5,2]", a: [2, 1, 3, 4, 5], b: [3, 1, 5, 2] },
  { name: "rank mismatch two-sided [1,3,4]×[2,1,4,6]", a: [1, 3, 4], b: [2, 1, 4, 6] },
];

/** Inputs of a case under the transpose flags, with a seeded cotangent of the product's shape. */
function inputsOf(c: Case, ta: boolean, tb: boolean, seed: number): HostTensor[] {
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(c.a.slice(0, -2), c.b.slice(0, -2));
  const M = c.a[c.a.length - 2] as number;
  const N = c.b[c.b.length - 1] as number;
  return [
    randn(ta ? swapLast(c.a) : c.a, seed),
    randn(tb ? swapLast(c.b) : c.b, seed + 1),
    randn([...batch, M, N], seed + 2),
  ];
}

async function expectForward(c: Case, ta: boolean, tb: boolean, seed: number): Promise<void> {
  const inputs = inputsOf(c, ta, tb, seed).slice(0, 2);
  const { result, calls } = await countAddonCalls(["sgemm"], () =>
    compareBackends("matMul", inputs, matMulFn(ta, tb)),
  );
  expect(calls.sgemm, "went through the native sgemm").toBeGreaterThan(0);
  expect(maxAbs(result.ref[0]?.values ?? [])).toBeGreaterThan(0);
  expect(result.errors[0]).toBeLessThanOrEqual(TOL);
}

describe.skipIf(!nativeAvailable)(`native BatchMatMul vs cpu${skipNote}`, () => {
  beforeAll(async () => {
    const info = await initBackend({ prefer: "wasm" });
    expect(info.native.kernels).toContain("BatchMatMul");
  });
  afterAll(() => reportErrors("kernels-matmul"));

  const sameBatch = [...randomCases(), ...fixedCases];
  sameBatch.forEach((c, i) => {
    it(`forward and gradients, ${c.name}: a [${c.a}] b [${c.b}], all transposes`, async () => {
      for (const [j, [ta, tb]] of TRANSPOSES.entries()) {
        const seed = 1000 * i + 10 * j;
        await expectForward(c, ta, tb, seed);
        const grads: TensorFn = (_side, a, b, dy) =>
          tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb))(
            [a as tf.Tensor, b as tf.Tensor],
            dy,
          );
        const { result, calls } = await countAddonCalls(["sgemm"], () =>
          compareBackends("matMul grad", inputsOf(c, ta, tb, seed), grads),
        );
        expect(calls.sgemm).toBeGreaterThanOrEqual(2); // dA and dB are products too
        for (const [k, err] of result.errors.entries()) {
          expect(maxAbs(result.ref[k]?.values ?? [])).toBeGreaterThan(0);
          expect(err, `d${k === 0 ? "a" : "b"} ta=${ta} tb=${tb}`).toBeLessThanOrEqual(TOL);
        }
      }
    });
  });

  broadcastCases.forEach((c, i) => {
    it(`batch broadcast ${c.name}, all transposes`, async () => {
      for (const [j, [ta, tb]] of TRANSPOSES.entries()) await expectForward(c, ta, tb, 50_000 + 100 * i + j);
    });
  });

  it("the two-sided reference is needed: the product is [4,3,M,N] and every batch entry differs", async () => {
    const c = broadcastCases[2] as Case;
    const { result } = await countAddonCalls(["sgemm"], () =>
      compareBackends("matMul", inputsOf(c, false, false, 7).slice(0, 2), matMulFn(false, false)),
    );
    const out = result.got[0] as HostTensor;
    expect(out.shape).toEqual([4, 3, 5, 7]);
    const block = 5 * 7;
    const entries = Array.from({ length: 12 }, (_, e) => out.values.slice(e * block, (e + 1) * block).join());
    expect(new Set(entries).size).toBe(12);
  });

  it("K = 0 gives zeros; non-float32 inputs go to the stock kernel (which rejects int32)", async () => {
    await tf.setBackend("wasm");
    const { result, calls } = await countAddonCalls(["sgemm"], () => {
      const zeros = tf.tidy(() => Array.from(tf.matMul(tf.ones([2, 3, 0]), tf.ones([2, 0, 4])).dataSync()));
      const ints = () =>
        tf.tidy(() =>
          tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32"), tf.eye(2, 2, undefined, "int32")),
        );
      expect(ints).toThrow(/non-float32 tensors not yet supported/); // the stock wasm kernel's message
      return zeros;
    });
    expect(result).toEqual(new Array(24).fill(0));
    expect(calls.sgemm).toBe(1); // the K = 0 product only
  });
});
