/**
 * The fused kernels (src/tensor/fused-ops.ts on wasm + native) against the composite path on the tfjs cpu
 * backend, forward and through gradients: rmsNorm (dx, dweight; 2-D rows and [B,T,heads,hd] with weight [hd]),
 * swiGlu (both inputs), softmax (masked rows), entropyFromLogits. AdamW: the fused kernel against the composite
 * update (after `uninstallNativeKernels`, and on cpu), one and several steps, with and without weight decay.
 * Metric: max|Δ| / max|ref| ≤ 1e-5.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entropyFromLogits, hasFusedKernel, rmsNorm, softmax, swiGlu } from "../../tensor/fused-ops.ts";
import { AdamW, type AdamWState } from "../../train/adamw.ts";
import { initBackend } from "../init-backend.ts";
import {
  compareBackends,
  countAddonCalls,
  type HostTensor,
  host,
  maxAbs,
  nativeAvailable,
  randn,
  recordError,
  relErr,
  reportErrors,
  skipNote,
  type TensorFn,
} from "./native-test-utils.ts";
import { installNativeKernels, uninstallNativeKernels } from "./register-native-kernels.ts";

const TOL = 1e-5;
type AddonName = Parameters<typeof countAddonCalls>[0][number];

/** Compares forward (`fn` → one tensor) and its gradients wrt every input given the cotangent `dy`. */
async function expectForwardAndGrads(
  family: string,
  inputs: HostTensor[],
  dy: HostTensor,
  fn: (...xs: tf.Tensor[]) => tf.Tensor,
  kernels: [AddonName, AddonName],
): Promise<void> {
  const forward: TensorFn = (_side, ...xs) => fn(...xs);
  const fwd = await countAddonCalls([kernels[0]], () => compareBackends(family, inputs, forward));
  expect(fwd.calls[kernels[0]], `forward went through the native ${kernels[0]}`).toBe(1);
  expect(maxAbs(fwd.result.ref[0]?.values ?? [])).toBeGreaterThan(0);
  expect(fwd.result.errors[0], `${family} forward`).toBeLessThanOrEqual(TOL);

  const grads: TensorFn = (_side, ...xs) => tf.grads(fn)(xs.slice(0, -1), xs[xs.length - 1]);
  const bwd = await countAddonCalls(kernels, () => compareBackends(`${family} grad`, [...inputs, dy], grads));
  expect(bwd.calls[kernels[1]], `backward went through the native ${kernels[1]}`).toBe(1);
  expect(bwd.result.errors).toHaveLength(inputs.length);
  for (const [i, err] of bwd.result.errors.entries()) {
    expect(maxAbs(bwd.result.ref[i]?.values ?? []), `gradient ${i} is not trivially 0`).toBeGreaterThan(0);
    expect(err, `${family} gradient wrt input ${i}`).toBeLessThanOrEqual(TOL);
  }
}

/** -1e9 (masked attention scores) over every entry of row `full` and every other entry of row `half`. */
function masked(x: HostTensor, rows: { full?: number; half?: number }): HostTensor {
  const n = x.shape[x.shape.length - 1] as number;
  const values = x.values.slice();
  for (let j = 0; j < n; j++) {
    if (rows.full !== undefined) values[rows.full * n + j] = -1e9;
    if (rows.half !== undefined && j % 2 === 1) values[rows.half * n + j] = -1e9;
  }
  return host(x.shape, values);
}

describe.skipIf(!nativeAvailable)(`fused kernels vs the composite ops on cpu${skipNote}`, () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
    for (const k of ["rmsNorm", "swiGlu", "softmax", "entropy", "adamW"] as const)
      expect(hasFusedKernel(k)).toBe(true);
  });
  afterAll(() => {
    installNativeKernels();
    reportErrors("kernels-fused");
  });

  const rmsCases: Array<{ x: number[]; eps: number }> = [
    { x: [6, 32], eps: 1e-6 },
    { x: [2, 5, 4, 8], eps: 1e-6 }, // [B, T, heads, hd] with weight [hd] (q/k norm)
    { x: [3, 7, 33], eps: 1e-5 }, // odd d: vector tails
    { x: [5, 1], eps: 0.5 }, // d = 1 (with eps ≪ x² its dx is pure cancellation, ≈ eps/x³, on both paths)
  ];
  rmsCases.forEach((c, i) => {
    it(`rmsNorm x [${c.x}] weight [${c.x.at(-1)}]: forward, dx and dweight`, async () => {
      const d = c.x[c.x.length - 1] as number;
      const x = randn(c.x, 100 + i, 2);
      const w = randn([d], 200 + i, 0.5, 1);
      await expectForwardAndGrads(
        "rmsNorm",
        [x, w],
        randn(c.x, 300 + i),
        (a, b) => rmsNorm(a, b as tf.Tensor, c.eps),
        ["rmsNorm", "rmsNormGrad"],
      );
    });
  });

  for (const shape of [[4, 37], [2, 3, 64], [1]]) {
    it(`swiGlu [${shape}]: forward and both gradients`, async () => {
      const gate = randn(shape, 400 + shape.length, 3);
      const up = randn(shape, 500 + shape.length);
      await expectForwardAndGrads(
        "swiGlu",
        [gate, up],
        randn(shape, 600),
        (a, b) => swiGlu(a, b as tf.Tensor),
        ["swiglu", "swigluGrad"],
      );
    });
  }

  const softmaxCases: Array<{ name: string; x: HostTensor }> = [
    {
      name: "[5, 17] with a -1e9 row and a half-masked row",
      x: masked(randn([5, 17], 700, 2), { full: 1, half: 3 }),
    },
    { name: "[2, 3, 64] large logits (std 30)", x: randn([2, 3, 64], 701, 30) },
    { name: "[4, 2] two columns", x: randn([4, 2], 702) },
  ];
  for (const c of softmaxCases) {
    it(`softmax ${c.name}: forward and gradient`, async () => {
      await expectForwardAndGrads("softmax", [c.x], randn(c.x.shape, 710), (a) => softmax(a), [
        "softmax",
        "softmaxGrad",
      ]);
    });
  }

  it("softmax: a fully masked (-1e9) row is uniform, a single column is 1", async () => {
    const x = masked(randn([3, 5], 720), { full: 0, half: 2 });
    const fn: TensorFn = (_s, t) => softmax(t as tf.Tensor);
    const { result, calls } = await countAddonCalls(["softmax"], () => compareBackends("softmax", [x], fn));
    expect(Array.from(result.got[0]?.values.slice(0, 5) ?? [])).toEqual(new Array(5).fill(Math.fround(0.2)));
    expect(result.errors[0]).toBeLessThanOrEqual(TOL);
    const column = await compareBackends("softmax", [randn([3, 1], 721)], fn);
    expect(Array.from(column.got[0]?.values ?? [])).toEqual([1, 1, 1]);
    expect(calls.softmax).toBe(1);
  });

  const entropyCases: Array<{ name: string; z: HostTensor }> = [
    { name: "[6, 37] with a half-masked row", z: masked(randn([6, 37], 800, 2), { half: 2 }) },
    { name: "[2, 4, 50] peaked rows", z: randn([2, 4, 50], 801, 6) },
    { name: "[3, 7] odd", z: randn([3, 7], 802) },
  ];
  for (const c of entropyCases) {
    it(`entropyFromLogits ${c.name}: forward and gradient`, async () => {
      const rows = c.z.shape.slice(0, -1);
      // the gradient runs as tf ops (fused-ops.ts) on both paths; its forward H is the native kernel's
      const forward: TensorFn = (_side, z) => entropyFromLogits(z as tf.Tensor);
      const fwd = await countAddonCalls(["entropyRows"], () => compareBackends("entropy", [c.z], forward));
      expect(fwd.calls.entropyRows).toBe(1);
      expect(maxAbs(fwd.result.ref[0]?.values ?? [])).toBeGreaterThan(0);
      expect(fwd.result.errors[0]).toBeLessThanOrEqual(TOL);
      const grads: TensorFn = (_side, z, dy) =>
        tf.grads((t: tf.Tensor) => entropyFromLogits(t))([z as tf.Tensor], dy);
      const bwd = await countAddonCalls(["entropyRows"], () =>
        compareBackends("entropy grad", [c.z, randn(rows, 810)], grads),
      );
      expect(bwd.calls.entropyRows).toBe(1);
      expect(maxAbs(bwd.result.ref[0]?.values ?? [])).toBeGreaterThan(0);
      expect(bwd.result.errors[0]).toBeLessThanOrEqual(TOL);
    });
  }

  // ---- AdamW ------------------------------------------------------------------------------------------
  const SHAPES = { "w.a": [5, 7], "w.b": [33], "w.c": [2, 3, 4] } as Record<string, number[]>;

  const initial = (name: string) => randn(SHAPES[name] as number[], 900 + Object.keys(SHAPES).indexOf(name));

  /** Runs `steps` AdamW steps from seeded parameters and gradients on the current backend. */
  async function adamWRun(
    steps: number,
    weightDecay: number,
  ): Promise<{ params: Map<string, Float32Array>; state: AdamWState }> {
    const params = Object.entries(SHAPES).map(([name, shape]) => ({
      name,
      variable: tf.variable(tf.tensor(initial(name).values, shape)),
    }));
    const opt = new AdamW(params, { lr: 1e-2, betas: [0.9, 0.999], weightDecay });
    for (let s = 0; s < steps; s++) {
      const grads = new Map(
        params.map(({ name }, i) => {
          const h = randn(SHAPES[name] as number[], 1000 + 10 * s + i, s === 1 ? 1e-3 : 1);
          return [name, tf.tensor(h.values, h.shape)] as const;
        }),
      );
      opt.step(grads);
      tf.dispose([...grads.values()]);
    }
    const out = new Map(params.map((p) => [p.name, Float32Array.from(p.variable.dataSync())]));
    const state = await opt.exportState();
    opt.dispose();
    for (const p of params) p.variable.dispose();
    return { params: out, state };
  }

  for (const [steps, wd] of [
    [1, 0],
    [1, 0.1],
    [4, 0],
    [4, 0.1],
  ] as const) {
    it(`AdamW ${steps} step(s), weight decay ${wd}: fused kernel = composite (wasm and cpu)`, async () => {
      await tf.setBackend("wasm");
      installNativeKernels();
      const fused = await countAddonCalls(["adamw"], () => adamWRun(steps, wd));
      expect(fused.calls.adamw).toBe(3 * steps);
      uninstallNativeKernels();
      expect(hasFusedKernel("adamW")).toBe(false);
      const composite = await countAddonCalls(["adamw"], () => adamWRun(steps, wd));
      expect(composite.calls.adamw).toBe(0);
      installNativeKernels();
      await tf.setBackend("cpu");
      const cpu = await adamWRun(steps, wd);
      await tf.setBackend("wasm");
      for (const ref of [composite.result, cpu]) {
        for (const name of Object.keys(SHAPES)) {
          const pairs: Array<[string, Float32Array | undefined, Float32Array | undefined]> = [
            ["param", ref.params.get(name), fused.result.params.get(name)],
            ["m", ref.state.expAvg[name], fused.result.state.expAvg[name]],
            ["v", ref.state.expAvgSq[name], fused.result.state.expAvgSq[name]],
          ];
          for (const [what, r, g] of pairs) {
            const err = relErr(r as Float32Array, g as Float32Array);
            recordError("adamW", err);
            expect(err, `${name} ${what}`).toBeLessThanOrEqual(TOL);
          }
        }
        expect(ref.state.steps).toEqual(fused.result.state.steps);
        // the updates themselves (≈ lr, small next to |param|): within a few float32 ulps of |param| (≤ 4)
        for (const name of Object.keys(SHAPES)) {
          const p0 = initial(name).values;
          const delta = (p: Float32Array | undefined) =>
            (p as Float32Array).map((v, i) => v - (p0[i] as number));
          const refDelta = delta(ref.params.get(name));
          expect(maxAbs(refDelta)).toBeGreaterThan(1e-3);
          expect(
            relErr(refDelta, delta(fused.result.params.get(name))),
            `${name} update`,
          ).toBeLessThanOrEqual(1e-4);
        }
      }
    });
  }
});
