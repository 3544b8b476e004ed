/** Native OpenBLAS kernels for the wasm backend (apps/trainer/native). */
export {
  installNativeKernels,
  type NativeKernelsInfo,
  type NativeKernelsOptions,
  nativeKernelsInfo,
  uninstallNativeKernels,
} from "./register-native-kernels.ts";
