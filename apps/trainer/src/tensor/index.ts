/** Small tensor utilities shared by model, analysis and RL code. */
export { entropyFromLogits } from "./entropy.ts";
export { logProbsOfTokens, nextTokenLogProbs } from "./log-probs.ts";
export { maskedMean, maskedSum } from "./masked.ts";
export { assertTensorDelta, tensorDelta } from "./memory.ts";
export { tidyObject } from "./tidy.ts";
