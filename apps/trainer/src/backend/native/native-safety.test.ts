/**
 * The native kernels' contract with the wasm heap and the engine: an output allocation that grows (moves) the
 * heap mid-call, bounds / alignment / type checks of the addon itself (errors, never a crash, nothing written),
 * and no tensor or wasm-buffer leaks per kernel family. The fallback without the addon: native-fallback.test.ts.
 */
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { entropyFromLogits, rmsNorm, softmax, swiGlu } from "../../tensor/fused-ops.ts";
import { AdamW } from "../../train/adamw.ts";
import { initBackend } from "../init-backend.ts";
import { heapOf, offsetOf } from "../wasm-heap.ts";
import { DEFAULT_ADDON_PATH } from "./load-addon.ts";
import {
  addon,
  compareBackends,
  countAddonCalls,
  heapBytes,
  nativeAvailable,
  randn,
  skipNote,
  type TensorFn,
  wasmBackend,
  wasmDataIds,
} from "./native-test-utils.ts";

const TOL = 1e-5;

describe.skipIf(!nativeAvailable)(`native kernels on the wasm heap${skipNote}`, () => {
  beforeAll(async () => {
    expect((await initBackend({ prefer: "wasm" })).nativeKernels).toBe(true);
  });

  // First in the file: the heap is still at its initial size, so a moderate output forces it to grow.
  it("an output allocation that grows the wasm heap mid-call (matMul) still matches cpu", async () => {
    const cases = [
      { label: "one weight (single sgemm)", batch: [] as number[], ta: false },
      { label: "batched, transposed A (per-entry offsets)", batch: [2], ta: true },
    ];
    for (const { label, batch, ta } of cases) {
      await tf.setBackend("wasm");
      const entries = batch.reduce((p, q) => p * q, 1);
      const n = Math.ceil(Math.sqrt(heapBytes() / 4 / entries)) + 16; // the output alone exceeds the whole heap
      const K = 3;
      let uploaded = 0;
      const passed: number[] = [];
      const fn: TensorFn = (side, a, b) => {
        if (side === "wasm") uploaded = heapBytes(); // inputs are on the heap, the output is not yet
        return tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, false);
      };
      const inputs = [randn(ta ? [...batch, K, n] : [...batch, n, K], 61), randn([...batch, K, n], 62)];
      const { result } = await countAddonCalls(
        ["sgemm"],
        () => compareBackends("matMul (heap growth)", inputs, fn),
        (_name, args) => passed.push((args[0] as Uint8Array).byteLength),
      );
      expect(uploaded, label).toBeLessThan(entries * n * n * 4);
      expect(passed, `${label}: sgemm saw the grown heap`).toHaveLength(1);
      expect(passed[0], label).toBeGreaterThan(uploaded);
      expect(passed[0]).toBeGreaterThanOrEqual(entries * n * n * 4);
      expect(result.errors[0], label).toBeLessThanOrEqual(TOL);
    }
  });

  it("the addon rejects out-of-range, misaligned and wrongly typed arguments and writes nothing", async () => {
    await tf.setBackend("wasm");
    const a = addon();
    const be = wasmBackend();
    const x = tf.tensor1d(randn([16], 1).values);
    const out = tf.fill([16], 7);
    const m = tf.fill([16], 3);
    const heap = heapOf(be);
    const [xo, yo, mo] = [offsetOf(be, x), offsetOf(be, out), offsetOf(be, m)];
    const end = heap.byteLength;
    const bad = <T>(v: unknown): T => v as T; // a wrongly typed argument, typed as the parameter
    const cases: Array<[string, () => void, ErrorConstructor, RegExp?]> = [
      ["input past the end", () => a.unary(heap, 0, end - 32, yo, 16), RangeError, /exceed the heap/],
      ["output past the end", () => a.unary(heap, 0, xo, end, 16), RangeError],
      ["offset 2^32 − 1", () => a.unary(heap, 0, 0xffffffff, yo, 1), RangeError],
      ["negative offset (wraps)", () => a.unary(heap, 0, -4, yo, 1), RangeError],
      ["count past the end", () => a.unary(heap, 0, xo, yo, end), RangeError],
      ["misaligned input", () => a.unary(heap, 0, xo + 2, yo, 4), RangeError, /misaligned/],
      ["misaligned output", () => a.unary(heap, 0, xo, yo + 1, 4), RangeError],
      ["unknown op", () => a.unary(heap, 7, xo, yo, 16), RangeError, /op must be/],
      ["heap not a Uint8Array", () => a.unary(bad(new Float32Array(heap.buffer)), 0, xo, yo, 16), TypeError],
      ["heap a plain array", () => a.unary(bad([0, 0, 0, 0]), 0, 0, 0, 1), TypeError],
      ["offset a string", () => a.unary(heap, 0, bad(String(xo)), yo, 16), TypeError, /non-negative integer/],
      [
        "missing argument",
        () => (a.unary as (...args: unknown[]) => void)(heap, 0, xo, yo),
        TypeError,
        /5 arguments/,
      ],
      [
        "sgemm transA not boolean",
        () =>
          a.sgemm(heap, bad(1), false, 4, 4, 1, Uint32Array.of(xo), Uint32Array.of(xo), Uint32Array.of(yo)),
        TypeError,
      ],
      [
        "sgemm offsets a plain array",
        () => a.sgemm(heap, false, false, 4, 4, 1, bad([xo]), Uint32Array.of(xo), Uint32Array.of(yo)),
        TypeError,
        /Uint32Array/,
      ],
      [
        "sgemm offsets of different lengths",
        () =>
          a.sgemm(
            heap,
            false,
            false,
            4,
            4,
            1,
            Uint32Array.of(xo, xo),
            Uint32Array.of(xo),
            Uint32Array.of(yo),
          ),
        RangeError,
      ],
      // the first batch entry is valid, the second's C is not: checked before the first product
      [
        "sgemm second C past the end",
        () =>
          a.sgemm(
            heap,
            false,
            false,
            4,
            4,
            1,
            Uint32Array.of(xo, xo),
            Uint32Array.of(xo, xo),
            Uint32Array.of(yo, end),
          ),
        RangeError,
      ],
      ["rmsNorm weight past the end", () => a.rmsNorm(heap, xo, end - 4, yo, 2, 8, 1e-6), RangeError],
      ["rmsNorm eps a string", () => a.rmsNorm(heap, xo, xo, yo, 2, 8, bad("1e-6")), TypeError, /number/],
      ["sumAxis output past the end", () => a.sumAxis(heap, xo, end - 4, 4, 2, 2), RangeError],
      ["softmax input past the end", () => a.softmax(heap, end - 16, yo, 4, 4), RangeError],
      ["entropyRows misaligned", () => a.entropyRows(heap, xo + 1, yo, 2, 4), RangeError],
      // p, g, m, v valid; pOut and mOut valid; vOut past the end: nothing is updated
      [
        "adamw vOut past the end",
        () => a.adamw(heap, xo, xo, xo, xo, yo, mo, end, 16, 1e-3, 0.9, 0.999, 1e-8, 0, 1),
        RangeError,
      ],
      ["setThreads 0", () => a.setThreads(0), RangeError],
    ];
    try {
      for (const [name, call, type, message] of cases) {
        expect(call, name).toThrow(type);
        if (message) expect(call, name).toThrow(message);
        expect(Array.from(out.dataSync()), `${name}: nothing written`).toEqual(new Array(16).fill(7));
        expect(Array.from(m.dataSync()), `${name}: nothing written`).toEqual(new Array(16).fill(3));
      }
      // still usable afterwards
      a.unary(heapOf(be), 0, xo, yo, 16);
      expect(Array.from(out.dataSync())).toEqual(Array.from(tf.tidy(() => tf.exp(x).dataSync())));
    } finally {
      tf.dispose([x, out, m]);
    }
  });

  it("sizes whose byte count overflows 64 bits are rejected, not wrapped (run in a child process)", () => {
    // rows · n = 2^62 floats = 2^64 bytes ≡ 0: before the fix these passed the bounds check and segfaulted.
    const script = `
      const a = require(${JSON.stringify(DEFAULT_ADDON_PATH)});
      const heap = new Uint8Array(1 << 16);
      const big = 2 ** 31, o = Uint32Array.of(0);
      const calls = {
        sumAxis: () => a.sumAxis(heap, 0, 0, big, 1, big),
        sumAxis3: () => a.sumAxis(heap, 0, 0, 2 ** 22, 2 ** 21, 2 ** 21),
        softmax: () => a.softmax(heap, 0, 0, big, big),
        softmaxGrad: () => a.softmaxGrad(heap, 0, 0, 0, big, big),
        entropyRows: () => a.entropyRows(heap, 0, 0, big, big),
        sgemm: () => a.sgemm(heap, false, false, big, big, big, o, o, o),
        rmsNorm: () => a.rmsNorm(heap, 0, 0, 0, big, big, 1e-6),
      };
      const got = {};
      for (const [k, f] of Object.entries(calls)) {
        try { f(); got[k] = "no error"; } catch (e) { got[k] = e.constructor.name; }
      }
      console.log(JSON.stringify(got));`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(r.signal, `child crashed: ${r.stderr}`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split("\n").at(-1) as string) as Record<string, string>;
    expect(Object.values(got)).toEqual(new Array(7).fill("RangeError"));
  });

  // ---- leaks ----------------------------------------------------------------------------------------------
  const t = (shape: number[], seed: number) => tf.tensor(randn(shape, seed).values, shape);
  const families: Record<string, { calls: Parameters<typeof countAddonCalls>[0]; run: () => tf.Tensor[] }> = {
    matMul: {
      calls: ["sgemm"],
      run: () => {
        const [a, b, c, d, dy] = [
          t([2, 3, 4], 1),
          t([2, 4, 5], 2),
          t([4, 1, 3, 4], 3),
          t([1, 2, 4, 5], 4),
          t([2, 3, 5], 5),
        ];
        const outs = [tf.matMul(a, b), tf.matMul(b, a, true, true), tf.matMul(c, d)];
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q))([a, b], dy);
        return [a, b, c, d, dy, ...outs, ...g];
      },
    },
    unary: {
      calls: ["unary"],
      run: () => {
        const [x, ints] = [t([3, 17], 6), tf.tensor1d([1, 2], "int32")];
        return [x, ints, tf.exp(x), tf.tanh(x), tf.sigmoid(x), tf.exp(ints)];
      },
    },
    sum: {
      calls: ["sumAxis"],
      run: () => {
        const x = t([3, 4, 5], 7);
        return [x, tf.sum(x, 0), tf.sum(x, [1, 2], true), tf.sum(x), tf.sum(x, [0, 2])];
      },
    },
    fused: {
      calls: ["rmsNorm", "rmsNormGrad", "swiglu", "swigluGrad", "softmax", "softmaxGrad", "entropyRows"],
      run: () => {
        const [x, w, dy, u] = [t([2, 3, 8], 8), t([8], 9), t([2, 3, 8], 10), t([2, 3, 8], 11)];
        const outs = [rmsNorm(x, w, 1e-6), swiGlu(x, u), softmax(x), entropyFromLogits(x)];
        const grads = [
          ...tf.grads((p: tf.Tensor, q: tf.Tensor) => rmsNorm(p, q, 1e-6))([x, w], dy),
          ...tf.grads((p: tf.Tensor, q: tf.Tensor) => swiGlu(p, q))([x, u], dy),
          ...tf.grads((p: tf.Tensor) => softmax(p))([x], dy),
          ...tf.grads((p: tf.Tensor) => entropyFromLogits(p))([x]),
        ];
        return [x, w, dy, u, ...outs, ...grads];
      },
    },
  };
  for (const [name, family] of Object.entries(families)) {
    it(`${name}: no tensor or wasm buffer leaks over repeated calls (no tidy)`, async () => {
      await tf.setBackend("wasm");
      const once = () => tf.dispose(family.run());
      once(); // warm-up
      const before = { tensors: tf.memory().numTensors, dataIds: wasmDataIds() };
      const { calls } = await countAddonCalls(family.calls, () => {
        for (let i = 0; i < 5; i++) once();
      });
      expect({ tensors: tf.memory().numTensors, dataIds: wasmDataIds() }).toEqual(before);
      for (const k of family.calls) expect(calls[k], `${k} was used`).toBeGreaterThan(0);
    });
  }

  it("AdamW (fused): constant tensor and buffer counts across steps, back to baseline after dispose", async () => {
    await tf.setBackend("wasm");
    const baseline = { tensors: tf.memory().numTensors, dataIds: wasmDataIds() };
    const init = [t([4, 5], 12), t([7], 13)];
    const params = init.map((v, i) => ({ name: `p${i}`, variable: tf.variable(v) }));
    tf.dispose(init);
    const opt = new AdamW(params, { lr: 1e-2, betas: [0.9, 0.999], weightDecay: 0.1 });
    const grads = new Map(params.map((p, i) => [p.name, t(p.variable.shape, 20 + i)]));
    opt.step(grads);
    const after1 = { tensors: tf.memory().numTensors, dataIds: wasmDataIds() };
    const { calls } = await countAddonCalls(["adamw"], () => {
      for (let i = 0; i < 4; i++) opt.step(grads);
    });
    expect(calls.adamw).toBe(8);
    expect({ tensors: tf.memory().numTensors, dataIds: wasmDataIds() }).toEqual(after1);
    opt.dispose();
    tf.dispose([...grads.values(), ...params.map((p) => p.variable)]);
    expect({ tensors: tf.memory().numTensors, dataIds: wasmDataIds() }).toEqual(baseline);
  });
});
