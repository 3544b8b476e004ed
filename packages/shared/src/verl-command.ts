/**
 * The equivalent launch command for the reference implementation (Trae1ounG/BuPO on verl; bupo-spec §7), so a
 * team can carry a configuration to its own GPU cluster. Values a 4-layer toy and a 4B model cannot share
 * (model path, data files, GPUs) are left as placeholders to fill in.
 */
import type { RunConfig } from "./run-config.ts";

const shellQuote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

export function verlCommandArgs(cfg: RunConfig): [string, string | number | boolean][] {
  const rl = cfg.rl;
  const bupo = cfg.algorithm === "bupo";
  const args: [string, string | number | boolean][] = [
    ["algorithm.adv_estimator", rl.advantage],
    ["algorithm.norm_adv_by_std_in_grpo", rl.normAdvByStd],
    ["algorithm.use_kl_in_reward", false],
    ["data.train_files", cfg.task.source === "dataset" ? cfg.task.path : "$TRAIN_PARQUET"],
    ["data.val_files", "$VAL_PARQUETS"],
    ["data.train_batch_size", rl.promptsPerStep],
    ["data.max_prompt_length", rl.maxPromptTokens],
    ["data.max_response_length", rl.maxResponseTokens],
    ["data.truncation", "left"],
    ["actor_rollout_ref.model.path", cfg.model.source === "checkpoint" ? cfg.model.path : "$MODEL_PATH"],
    ["actor_rollout_ref.actor.optim.lr", rl.lr],
    ["actor_rollout_ref.actor.optim.weight_decay", rl.weightDecay],
    ["actor_rollout_ref.actor.ppo_mini_batch_size", rl.promptsPerStep / rl.miniBatches],
    ["actor_rollout_ref.actor.ppo_epochs", 1],
    ["actor_rollout_ref.actor.clip_ratio_low", rl.clipLow],
    ["actor_rollout_ref.actor.clip_ratio_high", rl.clipHigh],
    ["actor_rollout_ref.actor.clip_ratio_c", rl.dualClip],
    ["actor_rollout_ref.actor.loss_agg_mode", rl.lossAgg],
    ["actor_rollout_ref.actor.grad_clip", rl.gradClip],
    ["actor_rollout_ref.actor.use_kl_loss", false],
    ["actor_rollout_ref.actor.entropy_coeff", 0],
    ["actor_rollout_ref.rollout.n", rl.groupSize],
    ["actor_rollout_ref.rollout.temperature", rl.temperature],
    ["actor_rollout_ref.rollout.top_p", rl.topP],
    ["trainer.total_training_steps", rl.totalSteps],
    ["trainer.test_freq", cfg.schedule.evalEvery],
    ["trainer.save_freq", cfg.schedule.checkpointEvery],
    ["trainer.n_gpus_per_node", "$GPUS"],
  ];
  if (bupo) {
    args.push(
      ["actor_rollout_ref.actor.internal_policy_interative", true],
      ["actor_rollout_ref.actor.internal_layer", rl.internalLayer],
      ["actor_rollout_ref.actor.iterative_steps", rl.iterativeSteps],
      ["actor_rollout_ref.model.override_config.internal_layer", rl.internalLayer],
    );
  }
  return args;
}

/** `python3 -m verl.trainer.main_ppo key=value …`, one flag per line. */
export function verlCommandLine(cfg: RunConfig): string {
  const lines = verlCommandArgs(cfg).map(([k, v]) => `  ${k}=${shellQuote(String(v))}`);
  return ["python3 -m verl.trainer.main_ppo \\", lines.join(" \\\n")].join("\n");
}
