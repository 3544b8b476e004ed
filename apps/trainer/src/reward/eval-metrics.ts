/**
 * Evaluation aggregates over k samples per prompt (shape of `EvalMetrics` in @bupo/shared):
 * mean@k = mean reward over all samples (paper Avg@K, verl mean@N); pass@k = share of prompts with at
 * least one sample of reward ≥ threshold; std@k = mean over prompts of the population std of the k rewards.
 */

export interface AtKMetrics {
  k: number;
  numPrompts: number;
  "mean@k": number;
  "pass@k": number;
  "std@k": number;
}

/** @param rewardsByPrompt one array of k rewards per prompt (all arrays the same length k ≥ 1) */
export function computeAtK(rewardsByPrompt: readonly (readonly number[])[], passThreshold = 1): AtKMetrics {
  const numPrompts = rewardsByPrompt.length;
  const k = rewardsByPrompt[0]?.length ?? 0;
  if (numPrompts === 0) return { k, numPrompts, "mean@k": 0, "pass@k": 0, "std@k": 0 };
  if (k === 0 || rewardsByPrompt.some((r) => r.length !== k)) {
    throw new Error("computeAtK needs the same number k ≥ 1 of rewards for every prompt");
  }
  let sum = 0;
  let passed = 0;
  let stdSum = 0;
  for (const rewards of rewardsByPrompt) {
    const mean = rewards.reduce((a, b) => a + b, 0) / k;
    sum += mean;
    if (rewards.some((r) => r >= passThreshold)) passed += 1;
    stdSum += Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / k);
  }
  return {
    k,
    numPrompts,
    "mean@k": sum / numPrompts,
    "pass@k": passed / numPrompts,
    "std@k": stdSum / numPrompts,
  };
}
