/**
 * Gradient plumbing shared by the warm start and the RL update: gradients keyed by HF parameter name,
 * accumulation over micro-batches, global-norm clipping (torch `clip_grad_norm_`, over the parameters that HAVE a
 * gradient, spec §4.4) and the skip of updates whose norm is not finite (verl `_optimizer_step`).
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedParameter } from "../model/weights.ts";

/** HF parameter name → gradient. A parameter without gradient is absent (never a zeros tensor). */
export type GradMap = Map<string, tf.Tensor>;

export interface LossAndGrads<M> {
  loss: number;
  grads: GradMap;
  /** Whatever `lossFn` returned besides the loss, after `read`. */
  extra: M;
}

/**
 * Differentiates `lossFn` w.r.t. all `params`. `lossFn` runs inside a tidy and returns the scalar loss plus
 * optional tensors to keep (read by `read`, then disposed). Only gradients that exist are returned.
 */
export async function lossAndGrads<M>(
  params: readonly NamedParameter[],
  lossFn: () => { loss: tf.Scalar; keep?: tf.Tensor[] },
  read: (kept: tf.Tensor[]) => Promise<M>,
): Promise<LossAndGrads<M>> {
  const byVarName = new Map(params.map((p) => [p.variable.name, p.name]));
  let kept: tf.Tensor[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const out = lossFn();
    kept = (out.keep ?? []).map((t) => tf.keep(t));
    return out.loss;
  }, uniqueVariables(params));
  const map: GradMap = new Map();
  for (const [varName, g] of Object.entries(grads)) {
    const name = byVarName.get(varName);
    if (name === undefined) throw new Error(`gradient for unknown variable ${varName}`);
    map.set(name, g);
  }
  try {
    const loss = (await value.data())[0] as number;
    return { loss, grads: map, extra: await read(kept) };
  } finally {
    tf.dispose([value, ...kept]);
  }
}

function uniqueVariables(params: readonly NamedParameter[]): tf.Variable[] {
  return [...new Set(params.map((p) => p.variable))];
}

/** into += add, taking ownership of `add`'s tensors (they are disposed or moved into `into`). */
export function accumulateGrads(into: GradMap, add: GradMap): void {
  for (const [name, g] of add) {
    const prev = into.get(name);
    if (prev === undefined) {
      into.set(name, g);
    } else {
      into.set(name, tf.add(prev, g));
      tf.dispose([prev, g]);
    }
  }
  add.clear();
}

export function disposeGrads(grads: GradMap): void {
  tf.dispose([...grads.values()]);
  grads.clear();
}

/** √(Σ_p ‖g_p‖²) over the present gradients (0 when none). */
export async function globalGradNorm(grads: GradMap): Promise<number> {
  if (grads.size === 0) return 0;
  const norm = tf.tidy(() => tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g))))));
  try {
    return (await norm.data())[0] as number;
  } finally {
    norm.dispose();
  }
}

export interface OptimizerStepResult {
  /** Pre-clip global gradient norm (NaN/Infinity when the update was skipped). */
  gradNorm: number;
  /** True when the norm was not finite and nothing was updated. */
  skipped: boolean;
  /** Factor the gradients were multiplied by (1 = no clipping). */
  clipCoef: number;
}

/**
 * Clips `grads` to global norm `maxNorm` (coef = min(1, maxNorm / (norm + 1e-6)), torch `clip_grad_norm_`),
 * then applies one optimizer step — or skips it when the norm is not finite. Always disposes `grads`.
 */
export async function clipAndStep(
  optimizer: { step(grads: ReadonlyMap<string, tf.Tensor>): void },
  grads: GradMap,
  maxNorm: number,
): Promise<OptimizerStepResult> {
  try {
    const gradNorm = await globalGradNorm(grads);
    if (!Number.isFinite(gradNorm)) return { gradNorm, skipped: true, clipCoef: 0 };
    const clipCoef = Math.min(1, maxNorm / (gradNorm + 1e-6));
    if (clipCoef < 1) {
      for (const [name, g] of grads) {
        grads.set(
          name,
          tf.tidy(() => tf.mul(g, clipCoef)),
        );
        g.dispose();
      }
    }
    optimizer.step(grads);
    return { gradNorm, skipped: false, clipCoef };
  } finally {
    disposeGrads(grads);
  }
}
