import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./init-backend.ts";

/** These tests cover the plain wasm kernels (with the two fixes): the native ones are off here. */
const PLAIN = { enabled: false } as const;

/** Runs `fn` on the given backend and reads the result back as plain numbers. */
async function on(backend: "cpu" | "wasm", fn: () => tf.Tensor): Promise<Float32Array> {
  await initBackend({ prefer: backend, native: PLAIN });
  const t = tf.tidy(fn);
  const data = (await t.data()) as Float32Array;
  t.dispose();
  return data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

describe("wasm kernel fixes", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm", native: PLAIN });
  });

  it("initBackend is idempotent and reports wasm info", async () => {
    const a = await initBackend({ prefer: "wasm", native: PLAIN });
    const b = await initBackend({ prefer: "wasm", native: PLAIN });
    expect(b).toBe(a);
    expect(a).toMatchObject({ backend: "wasm", nativeKernels: false });
    expect(a.threads).toBeGreaterThanOrEqual(1);
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeDefined();
    expect("__bupoFixed" in (tf.getKernel("BatchMatMul", "wasm")?.kernelFunc ?? {})).toBe(true);
  });

  // [aShape, bShape] before transposition flags are applied: the logical product is [.., M, K] x [.., K, N].
  const cases: Array<{ name: string; a: number[]; b: number[] }> = [
    { name: "rank 2", a: [5, 7], b: [7, 3] },
    { name: "rank 3", a: [2, 5, 7], b: [2, 7, 3] },
    { name: "rank 4", a: [2, 3, 5, 7], b: [2, 3, 7, 4] },
    { name: "broadcast rank 3 x rank 2", a: [4, 5, 7], b: [7, 3] },
    { name: "broadcast batch 1", a: [1, 3, 5, 7], b: [2, 3, 7, 4] },
  ];
  for (const c of cases) {
    for (const [ta, tb] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      it(`BatchMatMul ${c.name} transposeA=${ta} transposeB=${tb} matches cpu`, async () => {
        const swap = (s: number[]) => [
          ...s.slice(0, -2),
          s[s.length - 1] as number,
          s[s.length - 2] as number,
        ];
        const fn = () => tf.matMul(rand(ta ? swap(c.a) : c.a, 1), rand(tb ? swap(c.b) : c.b, 2), ta, tb);
        const cpu = await on("cpu", fn);
        await initBackend({ prefer: "wasm", native: PLAIN });
        const before = tf.memory();
        const wasm = await on("wasm", fn);
        const after = tf.memory();
        expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5);
        expect(after.numTensors).toBe(before.numTensors);
        expect(after.numBytes).toBe(before.numBytes);
      });
    }
  }

  it("gather gradient (UnsortedSegmentSum) and matMul gradients match cpu", async () => {
    const fn = () => {
      const table = rand([11, 6], 3);
      const w = rand([4, 6], 4);
      const ids = tf.tensor2d(
        [
          [1, 3, 3],
          [0, 10, 1],
        ],
        [2, 3],
        "int32",
      );
      const g = tf.grads((tb: tf.Tensor, wt: tf.Tensor) =>
        tf
          .matMul(tf.gather(tb, ids).reshape([6, 6]), wt, false, true)
          .square()
          .sum(),
      )([table, w]);
      return tf.concat([(g[0] as tf.Tensor).flatten(), (g[1] as tf.Tensor).flatten()]);
    };
    const cpu = await on("cpu", fn);
    const wasm = await on("wasm", fn);
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-4);
    // rows never gathered get exactly zero gradient
    expect(Array.from(wasm.slice(2 * 6, 3 * 6))).toEqual(new Array(6).fill(0));
  });

  it("GatherV2 on axis 0 copies the right rows, keeps other axes on the stock kernel, rejects bad ids", async () => {
    const fn = () => {
      const table = rand([7, 3, 2], 5);
      const ids = tf.tensor2d([6, 0, 2, 2, 5, 1], [2, 3], "int32");
      return tf.concat([tf.gather(table, ids).flatten(), tf.gather(table, [1, 0], 1).flatten()]);
    };
    expect(maxAbsDiff(await on("cpu", fn), await on("wasm", fn))).toBe(0);
    await initBackend({ prefer: "wasm", native: PLAIN });
    expect(() => tf.gather(rand([4, 2], 6), tf.tensor1d([4], "int32"))).toThrow(
      /index value 4 is not in \[0, 3\]/,
    );
  });

  it("Identity shares data: the engine's saved-tensor clones cost no copy and free with their last owner", async () => {
    await initBackend({ prefer: "wasm", native: PLAIN });
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = rand([64, 64], 7);
    const values = Array.from(await x.data());
    const ids = backend.numDataIds();
    const y = tf.engine().runKernel("Identity", { x }) as tf.Tensor;
    expect(backend.numDataIds()).toBe(ids); // same data, not a copy
    x.dispose();
    expect(Array.from(await y.data())).toEqual(values); // still readable through the clone
    y.dispose();
    expect(backend.numDataIds()).toBe(ids - 1);
  });
});
