/**
 * Identity without a copy, as the cpu backend does it: the output shares the input's data and its reference
 * count (tfjs-wasm's disposeData frees at zero). The engine clones every tensor it saves for the backward pass
 * through Identity, ~380 full copies per medium train step. Safe because no kernel writes into its inputs.
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type KernelFunc = tf.KernelConfig["kernelFunc"];

/** The shared-data Identity; strings (and data not on this backend) go to `fallback`. */
export function sharedIdentity(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const data = (args.backend as BackendWasm).dataIdMap.get(x.dataId);
    if (x.dtype === "string" || data === undefined) return fallback(args);
    data.refCount += 1;
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
