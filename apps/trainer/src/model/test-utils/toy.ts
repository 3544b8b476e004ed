/** Shared test fixtures: toy configs and small host-side helpers (test-only code). */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig, ModelFamily } from "../config.ts";
import { parseModelConfig } from "../config.ts";
import { familyDefaults } from "../presets.ts";

/** A model small enough for the cpu backend: V 37, d 32, L 3, H 4, KV 2, hd 8, I 64. */
export function toyConfig(family: ModelFamily = "qwen3", overrides: Partial<ModelConfig> = {}): ModelConfig {
  return parseModelConfig({
    family,
    vocabSize: 37,
    hiddenSize: 32,
    numLayers: 3,
    numHeads: 4,
    numKvHeads: 2,
    headDim: 8,
    intermediateSize: 64,
    maxPositionEmbeddings: 128,
    ...familyDefaults(family),
    initializerRange: 0.2, // larger than HF's 0.02 so layers visibly change the distribution
    ...overrides,
  });
}

/** Deterministic token rows in [0, V). */
export function toyTokens(B: number, T: number, V: number, salt = 0): number[][] {
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) => (b * 13 + t * 7 + salt * 3 + 1) % V),
  );
}

/** Reads a tensor into a flat Float32Array (sync; tests only). */
export function read(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** True when both arrays hold exactly the same float32 bit patterns. */
export function bitEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.every((v, i) => v === ub[i]);
}

/** Sets every variable of `vars` to small seeded noise (e.g. to make zero biases / unit norms non-trivial). */
export function perturb(vars: tf.Variable[], seed: number, std = 0.1): void {
  vars.forEach((v, i) => {
    tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, std, "float32", seed * 1000 + i))));
  });
}
