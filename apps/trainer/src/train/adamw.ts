/**
 * AdamW with decoupled weight decay over named variables (Loshchilov & Hutter, https://arxiv.org/abs/1711.05101),
 * numerically as `torch.optim.AdamW` (the optimizer verl uses, bupo-spec §5.3):
 *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *   p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + ε)
 * with a per-parameter step t. Parameters whose gradient is ABSENT from a step's gradient map are skipped
 * entirely — no decay, no moment update, no step count — like PyTorch skips `p.grad is None`. That is what keeps
 * the layers above k bit-identical during BuPO phase 1 (spec §4.4, §9 C12).
 *
 * Moments are allocated once at construction (zeros), so the tensor count is constant from the first step.
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedParameter } from "../model/weights.ts";
import { adamWUpdate } from "../tensor/fused-ops.ts";

export interface AdamWOptions {
  lr: number;
  betas: readonly [number, number];
  weightDecay: number;
  /** Added to the denominator. Default 1e-8 (PyTorch). */
  eps?: number;
}

/** Serialisable optimizer state: per parameter its step count and both moments (host copies). */
export interface AdamWState {
  steps: Record<string, number>;
  expAvg: Record<string, Float32Array>;
  expAvgSq: Record<string, Float32Array>;
}

interface Slot {
  param: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
  step: number;
}

export class AdamW {
  readonly options: Required<AdamWOptions>;
  private readonly slots = new Map<string, Slot>();

  constructor(params: readonly NamedParameter[], options: AdamWOptions) {
    this.options = { eps: 1e-8, ...options };
    for (const { name, variable } of params) {
      if (this.slots.has(name)) throw new Error(`AdamW: duplicate parameter name ${name}`);
      const [m, v] = tf.tidy(() => [
        tf.variable(tf.zerosLike(variable), false),
        tf.variable(tf.zerosLike(variable), false),
      ]) as [tf.Variable, tf.Variable];
      this.slots.set(name, { param: variable, m, v, step: 0 });
    }
  }

  /** Names of the managed parameters, in construction order. */
  get names(): string[] {
    return [...this.slots.keys()];
  }

  /** Step count of one parameter (0 = never updated). */
  stepOf(name: string): number {
    return this.slot(name).step;
  }

  /**
   * One update from `grads` (HF name → gradient). Missing names are skipped. Grads are not disposed.
   * Unknown names throw (a gradient for a parameter the optimizer does not own is a wiring bug).
   */
  step(grads: ReadonlyMap<string, tf.Tensor>): void {
    for (const name of grads.keys()) this.slot(name);
    const { lr, weightDecay: wd, eps } = this.options;
    const [b1, b2] = this.options.betas;
    for (const [name, slot] of this.slots) {
      const g = grads.get(name);
      if (g === undefined) continue;
      slot.step += 1;
      tf.tidy(() => {
        const [p, m, v] = adamWUpdate(slot.param, g, slot.m, slot.v, {
          lr,
          beta1: b1,
          beta2: b2,
          eps,
          weightDecay: wd,
          step: slot.step,
        });
        slot.m.assign(m);
        slot.v.assign(v);
        slot.param.assign(p);
      });
    }
  }

  /** Host copy of the state (for checkpoints). */
  async exportState(): Promise<AdamWState> {
    const state: AdamWState = { steps: {}, expAvg: {}, expAvgSq: {} };
    for (const [name, slot] of this.slots) {
      state.steps[name] = slot.step;
      state.expAvg[name] = (await slot.m.data()) as Float32Array;
      state.expAvgSq[name] = (await slot.v.data()) as Float32Array;
    }
    return state;
  }

  /** Restores a state exported by {@link exportState}; every managed parameter must be present. */
  importState(state: AdamWState): void {
    for (const [name, slot] of this.slots) {
      const m = state.expAvg[name];
      const v = state.expAvgSq[name];
      const step = state.steps[name];
      if (m === undefined || v === undefined || step === undefined)
        throw new Error(`optimizer state lacks parameter ${name}`);
      const size = slot.param.size;
      if (m.length !== size || v.length !== size)
        throw new Error(`optimizer state of ${name} has ${m.length} values, expected ${size}`);
      tf.tidy(() => {
        slot.m.assign(tf.tensor(m, slot.param.shape));
        slot.v.assign(tf.tensor(v, slot.param.shape));
      });
      slot.step = step;
    }
  }

  /** Disposes the moment variables (not the parameters). */
  dispose(): void {
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
  }

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (s === undefined) throw new Error(`AdamW: unknown parameter ${name}`);
    return s;
  }
}
