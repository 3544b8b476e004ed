/**
 * Fused kernels under their own names (FUSED_KERNELS), registered on `wasm` only when the addon is loaded. The
 * model reaches them through src/tensor/fused-ops.ts, which falls back to composite tf ops when they are absent
 * and registers the gradients. Shapes: the last axis is the feature / softmax axis, everything before it rows.
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { FUSED_KERNELS } from "../../../tensor/fused-kernel-names.ts";
import { allFloat32, heapOf, offsetOf, sizeOf } from "../../wasm-heap.ts";
import type { NativeAddon } from "../addon-types.ts";
import type { KernelFunc, KernelParams, NativeKernelContext } from "./types.ts";

const lastDim = (t: tf.TensorInfo) => (t.shape[t.shape.length - 1] ?? 1) as number;

function float32Only(name: string, ...ts: tf.TensorInfo[]): void {
  if (!allFloat32(...ts)) throw new Error(`${name}: native kernel needs float32 inputs`);
}

type Run = (addon: NativeAddon, backend: BackendWasm, args: KernelParams) => tf.TensorInfo | tf.TensorInfo[];

/** RoPE (sign 1) or its gradient (sign −1): x [B, N, T, hd], cos/sin [B or 1, 1, T, hd/2]. */
function runRope(
  addon: NativeAddon,
  backend: BackendWasm,
  { inputs }: KernelParams,
  sign: 1 | -1,
): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const cos = inputs.cos as tf.TensorInfo;
  const sin = inputs.sin as tf.TensorInfo;
  float32Only("rope", x, cos, sin);
  const [B, N, T, hd] = x.shape as [number, number, number, number];
  const perBatch = cos.shape[0] !== 1;
  const table = [perBatch ? B : 1, 1, T, hd / 2];
  if (x.shape.length !== 4 || [cos, sin].some((t) => t.shape.join() !== table.join())) {
    throw new Error(
      `rope: x [B, N, T, hd] with cos/sin [${table}] expected, got x [${x.shape}], cos [${cos.shape}]`,
    );
  }
  const y = backend.makeOutput(x.shape, "float32");
  const o = (t: tf.TensorInfo) => offsetOf(backend, t);
  addon.rope(heapOf(backend), o(x), o(cos), o(sin), o(y), B, N, T, hd, perBatch, sign);
  return y;
}

const runners: Record<keyof typeof FUSED_KERNELS, Run> = {
  rmsNorm(addon, backend, { inputs, attrs }) {
    const x = inputs.x as tf.TensorInfo;
    const w = inputs.weight as tf.TensorInfo;
    float32Only("rmsNorm", x, w);
    const d = lastDim(x);
    const y = backend.makeOutput(x.shape, "float32");
    const o = (t: tf.TensorInfo) => offsetOf(backend, t);
    addon.rmsNorm(heapOf(backend), o(x), o(w), o(y), sizeOf(x.shape) / d, d, Number(attrs?.eps));
    return y;
  },
  rmsNormGrad(addon, backend, { inputs, attrs }) {
    const dy = inputs.dy as tf.TensorInfo;
    const x = inputs.x as tf.TensorInfo;
    const w = inputs.weight as tf.TensorInfo;
    float32Only("rmsNormGrad", dy, x, w);
    const d = lastDim(x);
    const dx = backend.makeOutput(x.shape, "float32");
    const dw = backend.makeOutput(w.shape, "float32");
    const o = (t: tf.TensorInfo) => offsetOf(backend, t);
    addon.rmsNormGrad(
      heapOf(backend),
      o(dy),
      o(x),
      o(w),
      o(dx),
      o(dw),
      sizeOf(x.shape) / d,
      d,
      Number(attrs?.eps),
    );
    return [dx, dw];
  },
  swiGlu(addon, backend, { inputs }) {
    const gate = inputs.gate as tf.TensorInfo;
    const up = inputs.up as tf.TensorInfo;
    float32Only("swiGlu", gate, up);
    const y = backend.makeOutput(gate.shape, "float32");
    const o = (t: tf.TensorInfo) => offsetOf(backend, t);
    addon.swiglu(heapOf(backend), o(gate), o(up), o(y), sizeOf(gate.shape));
    return y;
  },
  swiGluGrad(addon, backend, { inputs }) {
    const dy = inputs.dy as tf.TensorInfo;
    const gate = inputs.gate as tf.TensorInfo;
    const up = inputs.up as tf.TensorInfo;
    float32Only("swiGluGrad", dy, gate, up);
    const dGate = backend.makeOutput(gate.shape, "float32");
    const dUp = backend.makeOutput(up.shape, "float32");
    const o = (t: tf.TensorInfo) => offsetOf(backend, t);
    addon.swigluGrad(heapOf(backend), o(dy), o(gate), o(up), o(dGate), o(dUp), sizeOf(gate.shape));
    return [dGate, dUp];
  },
  softmax(addon, backend, { inputs }) {
    const x = inputs.x as tf.TensorInfo;
    float32Only("softmax", x);
    const n = lastDim(x);
    const y = backend.makeOutput(x.shape, "float32");
    if (n > 0)
      addon.softmax(heapOf(backend), offsetOf(backend, x), offsetOf(backend, y), sizeOf(x.shape) / n, n);
    return y;
  },
  softmaxGrad(addon, backend, { inputs }) {
    const y = inputs.y as tf.TensorInfo;
    const dy = inputs.dy as tf.TensorInfo;
    float32Only("softmaxGrad", y, dy);
    const n = lastDim(y);
    const dx = backend.makeOutput(y.shape, "float32");
    const o = (t: tf.TensorInfo) => offsetOf(backend, t);
    if (n > 0) addon.softmaxGrad(heapOf(backend), o(y), o(dy), o(dx), sizeOf(y.shape) / n, n);
    return dx;
  },
  rope: (addon, backend, args) => runRope(addon, backend, args, 1),
  ropeGrad: (addon, backend, args) => runRope(addon, backend, args, -1),
  entropy(addon, backend, { inputs }) {
    const logits = inputs.logits as tf.TensorInfo;
    float32Only("entropy", logits);
    const n = lastDim(logits);
    const out = backend.makeOutput(logits.shape.slice(0, -1), "float32");
    const rows = sizeOf(logits.shape) / Math.max(n, 1);
    if (n > 0) addon.entropyRows(heapOf(backend), offsetOf(backend, logits), offsetOf(backend, out), rows, n);
    return out;
  },
  logitStats(addon, backend, { inputs }) {
    const logits = inputs.logits as tf.TensorInfo;
    float32Only("logitStats", logits);
    const n = lastDim(logits);
    const out = backend.makeOutput([...logits.shape.slice(0, -1), 2], "float32");
    const rows = sizeOf(logits.shape) / Math.max(n, 1);
    if (n > 0)
      addon.logitStatsRows(heapOf(backend), offsetOf(backend, logits), offsetOf(backend, out), rows, n);
    return out;
  },
  adamW(addon, backend, { inputs, attrs }) {
    const p = inputs.param as tf.TensorInfo;
    const g = inputs.grad as tf.TensorInfo;
    const m = inputs.m as tf.TensorInfo;
    const v = inputs.v as tf.TensorInfo;
    float32Only("adamW", p, g, m, v);
    const outs = [p, m, v].map((t) => backend.makeOutput(t.shape, "float32"));
    const o = (t: tf.TensorInfo) => offsetOf(backend, t);
    const [po, mo, vo] = outs as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    const a = attrs as Record<string, number>;
    addon.adamw(
      heapOf(backend),
      o(p),
      o(g),
      o(m),
      o(v),
      o(po),
      o(mo),
      o(vo),
      sizeOf(p.shape),
      a.lr as number,
      a.beta1 as number,
      a.beta2 as number,
      a.eps as number,
      a.weightDecay as number,
      a.step as number,
    );
    return outs;
  },
};

export function nativeFusedKernels({ addon }: NativeKernelContext): tf.KernelConfig[] {
  // An addon built before logitStatsRows existed leaves that kernel to the composite fallback.
  const keys = (Object.keys(runners) as Array<keyof typeof FUSED_KERNELS>).filter(
    (key) => key !== "logitStats" || typeof addon.logitStatsRows === "function",
  );
  return keys.map((key) => {
    const run = runners[key];
    const kernelFunc: KernelFunc = (args: KernelParams) => run(addon, args.backend as BackendWasm, args);
    return { kernelName: FUSED_KERNELS[key], backendName: "wasm", kernelFunc };
  });
}
