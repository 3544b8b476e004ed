/** AdamW: torch-equivalent math, skip of absent gradients, state round trip, no leaks. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { bitEqual } from "../model/test-utils/toy.ts";
import { AdamW } from "./adamw.ts";

const named = (name: string, values: number[]) => ({ name, variable: tf.variable(tf.tensor1d(values)) });

/** float64 reference of torch.optim.AdamW for one scalar parameter over a gradient sequence. */
function reference(p0: number, grads: number[], lr: number, b1: number, b2: number, wd: number, eps = 1e-8) {
  let [p, m, v] = [p0, 0, 0];
  grads.forEach((g, i) => {
    const t = i + 1;
    p *= 1 - lr * wd;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    p -= (lr / (1 - b1 ** t)) * (m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps));
  });
  return p;
}

describe("AdamW", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });

  it("matches the torch AdamW recurrence (decoupled weight decay, per-parameter bias correction)", () => {
    const a = named("a", [0.5, -1.5]);
    const opt = new AdamW([a], { lr: 0.1, betas: [0.9, 0.999], weightDecay: 0.1 });
    const seq = [
      [0.3, -2],
      [0.1, 1],
      [-0.4, 0.5],
    ];
    for (const g of seq) {
      const grad = tf.tensor1d(g);
      opt.step(new Map([["a", grad]]));
      grad.dispose();
    }
    const got = a.variable.dataSync();
    expect(got[0]).toBeCloseTo(
      reference(
        0.5,
        seq.map((g) => g[0] as number),
        0.1,
        0.9,
        0.999,
        0.1,
      ),
      5,
    );
    expect(got[1]).toBeCloseTo(
      reference(
        -1.5,
        seq.map((g) => g[1] as number),
        0.1,
        0.9,
        0.999,
        0.1,
      ),
      5,
    );
    expect(opt.stepOf("a")).toBe(3);
    opt.dispose();
    a.variable.dispose();
  });

  it("skips parameters without gradient: no decay, no step count, bit-identical", () => {
    const a = named("a", [1, 2]);
    const b = named("b", [3, 4]);
    const before = (b.variable.dataSync() as Float32Array).slice();
    const opt = new AdamW([a, b], { lr: 0.1, betas: [0.9, 0.999], weightDecay: 0.5 });
    const g = tf.tensor1d([1, 1]);
    opt.step(new Map([["a", g]]));
    opt.step(new Map([["a", g]]));
    expect(bitEqual(b.variable.dataSync() as Float32Array, before)).toBe(true);
    expect(opt.stepOf("b")).toBe(0);
    expect(opt.stepOf("a")).toBe(2);
    expect(() => opt.step(new Map([["zzz", g]]))).toThrow(/unknown parameter/);
    tf.dispose([g, a.variable, b.variable]);
    opt.dispose();
  });

  it("export/import reproduces the next update exactly; steps leak no tensors", async () => {
    const mk = () => named("w", [0.1, 0.2, 0.3]);
    const g1 = tf.tensor1d([0.5, -0.5, 1]);
    const g2 = tf.tensor1d([-1, 0.25, 2]);
    const a = mk();
    const optA = new AdamW([a], { lr: 0.01, betas: [0.9, 0.99], weightDecay: 0.01 });
    optA.step(new Map([["w", g1]]));
    const state = await optA.exportState();
    const b = named("w", Array.from(a.variable.dataSync()));
    const optB = new AdamW([b], { lr: 0.01, betas: [0.9, 0.99], weightDecay: 0.01 });
    optB.importState(state);
    const count = tf.memory().numTensors;
    optA.step(new Map([["w", g2]]));
    optB.step(new Map([["w", g2]]));
    expect(tf.memory().numTensors).toBe(count);
    expect(bitEqual(a.variable.dataSync() as Float32Array, b.variable.dataSync() as Float32Array)).toBe(true);
    expect(optB.stepOf("w")).toBe(2);
    optA.dispose();
    optB.dispose();
    tf.dispose([g1, g2, a.variable, b.variable]);
  });
});
