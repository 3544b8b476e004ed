/**
 * Names of the fused kernels. They exist only where a backend registers them (the native addon on `wasm`,
 * src/backend/native); fused-ops.ts uses them when present and composite tf ops otherwise.
 */
export const FUSED_KERNELS = {
  rmsNorm: "BupoRmsNorm",
  rmsNormGrad: "BupoRmsNormGrad",
  swiGlu: "BupoSwiGlu",
  swiGluGrad: "BupoSwiGluGrad",
  softmax: "BupoSoftmax",
  softmaxGrad: "BupoSoftmaxGrad",
  rope: "BupoRope",
  ropeGrad: "BupoRopeGrad",
  entropy: "BupoEntropy",
  logitStats: "BupoLogitStats",
  adamW: "BupoAdamW",
} as const;

export type FusedKernel = keyof typeof FUSED_KERNELS;
