/** Small tensor utilities shared by model, analysis and RL code (masked reductions: rl/masked.ts). */
export { entropyFromLogits } from "./fused-ops.ts";
export { logProbsOfTokens, nextTokenLogProbs } from "./log-probs.ts";
export { assertTensorDelta, tensorDelta } from "./memory.ts";
export { tidyObject } from "./tidy.ts";
