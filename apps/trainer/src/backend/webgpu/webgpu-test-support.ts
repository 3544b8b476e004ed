/**
 * Test-only helpers for the webgpu tests: the adapter (software allowed: CI runs on Mesa's lavapipe), the skip
 * rule (no Vulkan driver → skip with the reason on a developer machine, fail under CI=true), and async reads
 * (dataSync does not work on webgpu in Node).
 */
import type * as tf from "@tensorflow/tfjs";
import type { ModelWeights } from "../../model/weights.ts";
import { type BackendInfo, initBackend } from "../init-backend.ts";

/** The webgpu backend for tests, or why there is none. Switches back to wasm afterwards. */
export async function probeWebgpu(ci: boolean): Promise<{ info?: BackendInfo; skip?: string }> {
  try {
    const info = await initBackend({ prefer: "webgpu", webgpu: { allowSoftware: true } });
    await initBackend({ prefer: "wasm" });
    return { info };
  } catch (err) {
    const reason = (err as Error).message;
    if (ci)
      throw new Error(`CI=true but the webgpu tests cannot run (install .ci/install-lavapipe.sh): ${reason}`);
    return { skip: `webgpu tests skipped (no usable Vulkan driver; run .ci/install-lavapipe.sh): ${reason}` };
  }
}

export const useWebgpu = () => initBackend({ prefer: "webgpu", webgpu: { allowSoftware: true } });
export const useWasm = () => initBackend({ prefer: "wasm" });

export async function readAll(ts: readonly tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(ts.map(async (t) => Float32Array.from(await t.data())));
}

/** Host copy of every parameter (name → values), read asynchronously. */
export async function snapshotAsync(ctx: {
  params: readonly { name: string; variable: tf.Variable }[];
}): Promise<Map<string, Float32Array>> {
  const values = await readAll(ctx.params.map((p) => p.variable));
  return new Map(ctx.params.map((p, i) => [p.name, values[i] as Float32Array]));
}

/** max |a − b| / max(1e-6, max |a|): relative to the reference's scale. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(a[i] as number));
  }
  return diff / scale;
}

/** Largest relative difference over two name → values maps with the same keys. */
export function maxRelDiff(a: Map<string, ArrayLike<number>>, b: Map<string, ArrayLike<number>>): number {
  if (a.size !== b.size) throw new Error(`${a.size} vs ${b.size} entries`);
  let m = 0;
  for (const [name, v] of a) {
    const w = b.get(name);
    if (w === undefined) throw new Error(`missing ${name}`);
    m = Math.max(m, relDiff(v, w));
  }
  return m;
}

/** Every weight of a model record, deduplicated (tied lm_head once). */
export function weightTensors(w: ModelWeights): tf.Variable[] {
  const all = [w.embedTokens, w.norm, w.lmHead];
  for (const l of w.layers) {
    all.push(l.inputLayernorm, l.postAttentionLayernorm, l.mlp.gateProj, l.mlp.upProj, l.mlp.downProj);
    for (const v of Object.values(l.selfAttn)) if (v) all.push(v);
  }
  return [...new Set(all)];
}
