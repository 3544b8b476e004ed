/**
 * Fallback to the stock wasm kernels when the addon is absent (simulated by configuration: a nonexistent addon
 * path) or disabled, and the restore afterwards. Always runs, built addon or not.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasFusedKernel, rmsNorm } from "../../tensor/fused-ops.ts";
import { initBackend } from "../init-backend.ts";
import {
  compareBackends,
  countAddonCalls,
  nativeAvailable,
  randn,
  type TensorFn,
} from "./native-test-utils.ts";
import {
  installNativeKernels,
  nativeKernelsInfo,
  uninstallNativeKernels,
} from "./register-native-kernels.ts";

const TOL = 1e-5;

describe("fallback to the stock wasm kernels (always runs)", () => {
  const stockMatMul = () => "__bupoFixed" in (tf.getKernel("BatchMatMul", "wasm")?.kernelFunc ?? {});
  const matMulAgainstCpu: TensorFn = (_side, a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, false, true);
  const rmsAgainstCpu: TensorFn = (_side, x, w) => rmsNorm(x as tf.Tensor, w as tf.Tensor, 1e-6);

  /** The stock kernels are in place and still compute the right thing (the composite rmsNorm included). */
  async function expectStockKernels(): Promise<void> {
    expect(tf.getKernel("BupoRmsNorm", "wasm")).toBeUndefined();
    expect(tf.getKernel("BupoAdamW", "wasm")).toBeUndefined();
    expect(stockMatMul()).toBe(true);
    await tf.setBackend("wasm");
    expect(hasFusedKernel("rmsNorm")).toBe(false);
    const run = async () => {
      const mm = await compareBackends(
        "fallback",
        [randn([3, 5, 6], 90), randn([4, 6], 91)],
        matMulAgainstCpu,
      );
      const rms = await compareBackends("fallback", [randn([3, 8], 92), randn([8], 93)], rmsAgainstCpu);
      return [...mm.errors, ...rms.errors];
    };
    const { result, calls } = nativeAvailable
      ? await countAddonCalls(["sgemm", "rmsNorm"], run)
      : { result: await run(), calls: { sgemm: 0, rmsNorm: 0 } };
    expect(calls).toEqual({ sgemm: 0, rmsNorm: 0 });
    for (const err of result) expect(err).toBeLessThanOrEqual(TOL);
  }

  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });
  afterAll(() => {
    installNativeKernels();
  });

  it("a missing addon file: inactive with 'not built', stock kernels stay", async () => {
    const info = installNativeKernels({ addonPath: "/nonexistent/bupo_native.node" });
    expect(info).toMatchObject({ active: false, kernels: [] });
    expect(info.reason).toMatch(/not built/);
    expect(info.reason).toContain("/nonexistent/bupo_native.node");
    expect(nativeKernelsInfo()).toEqual(info);
    await expectStockKernels();
  });

  it("enabled: false: inactive with the reason, stock kernels stay", async () => {
    const info = installNativeKernels({ enabled: false });
    expect(info).toMatchObject({ active: false, kernels: [] });
    expect(info.reason).toMatch(/disabled/);
    await expectStockKernels();
  });

  it("initBackend with native disabled reports nativeKernels: false", async () => {
    const info = await initBackend({ prefer: "wasm", native: { enabled: false } });
    expect(info).toMatchObject({ backend: "wasm", nativeKernels: false, native: { active: false } });
    await expectStockKernels();
  });

  it("installNativeKernels() afterwards restores them (when built); uninstall restores the stock ones", async () => {
    const info = installNativeKernels();
    expect(info.active).toBe(nativeAvailable);
    if (!nativeAvailable) {
      expect(info.reason).toMatch(/not built|cannot open|libopenblas/);
      return;
    }
    expect(info.kernels).toEqual(expect.arrayContaining(["BatchMatMul", "BupoRmsNorm", "BupoAdamW"]));
    expect(tf.getKernel("BupoRmsNorm", "wasm")).toBeDefined();
    expect(stockMatMul()).toBe(false);
    expect(installNativeKernels().active).toBe(true); // idempotent
    uninstallNativeKernels();
    await expectStockKernels();
    expect(installNativeKernels().active).toBe(true);
  });
});
