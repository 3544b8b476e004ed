/** Test-only fixtures for the probe and its callers (CLI `analyze`, service analysis jobs). Not in index.ts. */
import { saveHfCheckpoint } from "../checkpoint/index.ts";
import type { ModelConfig } from "../model/config.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";

/** L 3, d 32; V 40 ≥ the trainer's char vocabulary. */
export const TOY_CHAR_CONFIG: ModelConfig = toyConfig("qwen3", { vocabSize: 40 });

/**
 * Saves a toy checkpoint through src/checkpoint whose run config names a built-in task, so it loads with the
 * trainer's char tokenizer. Needs an initialised backend.
 */
export async function saveToyCharCheckpoint(dir: string, seed = 5): Promise<void> {
  const weights = initWeights(TOY_CHAR_CONFIG, seed);
  try {
    await saveHfCheckpoint(dir, weights, TOY_CHAR_CONFIG, { runConfig: { task: { source: "builtin" } } });
  } finally {
    disposeWeights(weights);
  }
}
