/**
 * Hugging Face checkpoints: load / save Qwen3ForCausalLM, Qwen2ForCausalLM and LlamaForCausalLM directories
 * (config.json + safetensors, sharded or not, F32/F16/BF16) and their tokenizer.json.
 */
export { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16, type SafetensorsFloatDtype } from "./dtypes.ts";
export {
  ARCHITECTURES,
  assertHfCompatible,
  type HfConfigJson,
  hfConfigFromModel,
  modelConfigFromHf,
} from "./hf-config.ts";
export { type HfTokenizer, loadHfTokenizer } from "./hf-tokenizer.ts";
export {
  type LoadCheckpointOptions,
  type LoadedCheckpoint,
  loadHfCheckpoint,
  RUN_CONFIG_FILE,
} from "./load-checkpoint.ts";
export {
  encodeSafetensors,
  parseSafetensors,
  readTensorAsFloat32,
  type SafetensorsEntry,
  type SafetensorsFile,
  type TensorToWrite,
} from "./safetensors.ts";
export { type SaveCheckpointOptions, saveHfCheckpoint } from "./save-checkpoint.ts";
