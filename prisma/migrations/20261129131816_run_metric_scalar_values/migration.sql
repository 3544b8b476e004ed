-- AlterTable
ALTER TABLE "RunMetric" ADD COLUMN     "scalarValues" DOUBLE PRECISION[];

-- Backfill: existing rows get their scalars as an array in SCALAR_METRIC_KEYS order (-1e300 = not reported).
UPDATE "RunMetric" SET "scalarValues" = ARRAY[
  COALESCE(("scalars" ->> 'bupo/phase')::float8, -1e300),
  COALESCE(("scalars" ->> 'bupo/internal_layer')::float8, -1e300),
  COALESCE(("scalars" ->> 'actor/entropy')::float8, -1e300),
  COALESCE(("scalars" ->> 'actor/pg_loss')::float8, -1e300),
  COALESCE(("scalars" ->> 'actor/pg_clipfrac')::float8, -1e300),
  COALESCE(("scalars" ->> 'actor/pg_clipfrac_lower')::float8, -1e300),
  COALESCE(("scalars" ->> 'actor/ppo_kl')::float8, -1e300),
  COALESCE(("scalars" ->> 'actor/grad_norm')::float8, -1e300),
  COALESCE(("scalars" ->> 'actor/lr')::float8, -1e300),
  COALESCE(("scalars" ->> 'critic/score/mean')::float8, -1e300),
  COALESCE(("scalars" ->> 'critic/score/max')::float8, -1e300),
  COALESCE(("scalars" ->> 'critic/score/min')::float8, -1e300),
  COALESCE(("scalars" ->> 'critic/advantages/mean')::float8, -1e300),
  COALESCE(("scalars" ->> 'critic/advantages/max')::float8, -1e300),
  COALESCE(("scalars" ->> 'critic/advantages/min')::float8, -1e300),
  COALESCE(("scalars" ->> 'response_length/mean')::float8, -1e300),
  COALESCE(("scalars" ->> 'response_length/max')::float8, -1e300),
  COALESCE(("scalars" ->> 'response_length/min')::float8, -1e300),
  COALESCE(("scalars" ->> 'response_length/clip_ratio')::float8, -1e300),
  COALESCE(("scalars" ->> 'prompt_length/mean')::float8, -1e300),
  COALESCE(("scalars" ->> 'frac_reward_zero_std')::float8, -1e300),
  COALESCE(("scalars" ->> 'perf/throughput')::float8, -1e300),
  COALESCE(("scalars" ->> 'perf/time_per_step')::float8, -1e300),
  COALESCE(("scalars" ->> 'perf/total_num_tokens')::float8, -1e300),
  COALESCE(("scalars" ->> 'timing_s/gen')::float8, -1e300),
  COALESCE(("scalars" ->> 'timing_s/old_log_prob')::float8, -1e300),
  COALESCE(("scalars" ->> 'timing_s/adv')::float8, -1e300),
  COALESCE(("scalars" ->> 'timing_s/update_actor')::float8, -1e300)
]::float8[];
