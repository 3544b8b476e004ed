/**
 * Experiment: BuPO vs GRPO on a built-in task, tiny Qwen3-style and tiny Llama-style presets, several seeds
 * (bupo-spec §9 F: validation accuracy at equal steps, `actor/entropy` during phase 1, per-layer entropy profile).
 *
 * ```sh
 * cd apps/trainer && npx tsx scripts/experiment-bupo-vs-grpo.ts --quick          # smoke test, ≈ 1 min
 * cd apps/trainer && npx tsx scripts/experiment-bupo-vs-grpo.ts > results.md     # the full run, 10–20 min
 * cd apps/trainer && npx tsx scripts/experiment-bupo-vs-grpo.ts --json runs.json # + raw per-run records
 * cd apps/trainer && npx tsx scripts/experiment-bupo-vs-grpo.ts --rl-steps 60 --seeds 1,2,3,4
 * ```
 * `--rl-steps N` changes the RL budget (S = 15 % of N; the per-layer probe runs every 10 steps when 10 divides N,
 * else only at step N); `--probe-every N` probes every N steps instead (the probe only reads, so no training
 * number changes; `--probe-every 1` gives the representation-similarity table (d) a point at every step, the
 * first being the warm-started model); `--seeds` takes a comma-separated list (default 1,2,3); `--report a.json,b.json` prints
 * the tables for saved `--json` runs (e.g. seeds 1–3 and 4–6 run separately) without training.
 *
 * Every run goes through the public training API (`initBackend` → `runTraining` with a `RunConfigSchema` config),
 * one after another in one process. For a given family and seed the BuPO and GRPO configs differ only in
 * `algorithm` (BuPO's `internalLayer` / `iterativeSteps` are ignored by GRPO), so both start from the same
 * initial weights, the same warm start and the same step-0 evaluation, and see the same prompts at every step
 * — the comparison is paired. The warm start of each (family, seed) runs once and is shared by the pair through
 * a step-0 checkpoint ({@link warmStart}); that is exact, not an approximation.
 *
 * Setup (why these values): the sorting task at difficulty 1 (sort 3 digits), the warm start / learning rate / batch
 * sizes of the trainer's end-to-end test (`src/train/e2e.test.ts`: 60 warm-start steps, lr 1e-4, 4 prompts × 8
 * responses, 2 mini-batches, 40 RL steps), which is the setting shown to learn within a short budget on this box.
 * BuPO's internal layer mirrors the paper (spec §7): low for Qwen (k = 0 of 4,
 * paper k = 5 of 36), near the top for Llama (k = 2 of 4, paper k = 26 of 28); S = 15 % of the RL steps (paper 10 %).
 *
 * Output: markdown tables on stdout (accuracy, entropy, per-layer profile, representation similarity to the top
 * layer (experiment-similarity.ts), wall time); progress on stderr.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  type Algorithm,
  type EvalMetrics,
  type LayerEntropy,
  type ModelFamily,
  type RunConfig,
  RunConfigSchema,
  type StepMetrics,
} from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend/index.ts";
import { NO_FILE_ROOTS } from "../src/files/file-roots.ts";
import { RunFiles } from "../src/files/run-files.ts";
import { disposeWeights, generate } from "../src/model/index.ts";
import {
  collectRollout,
  type LoadedModel,
  probeLayerEntropies,
  runTraining,
  taskFromConfig,
  tokenizerFromConfig,
} from "../src/train/index.ts";
import { type SimilarityPoint, similarityReport, similarityTrace } from "./experiment-similarity.ts";
import { f, mean, perSeed, pm, row, rule, signed } from "./experiment-stats.ts";

// ---------------------------------------------------------------------------------------------------------------
// Budget

interface Budget {
  seeds: number[];
  sftSteps: number;
  totalSteps: number;
  iterativeSteps: number;
  evalPrompts: number;
  evalSamples: number;
  entropyEvery: number;
}

/**
 * Full run: 12 runs of 40 RL steps after a 60-step warm start (one per family × seed, shared by the pair), ≈ 40 s per
 * run on a quiet box; measured 8.6 and 12.0 min for the 12 runs on the shared 2-core box (see BENCHMARKS.md).
 */
const FULL: Budget = {
  seeds: [1, 2, 3],
  sftSteps: 60,
  totalSteps: 40,
  iterativeSteps: 6,
  evalPrompts: 64,
  evalSamples: 4,
  entropyEvery: 10,
};

/** Smoke test: every code path (both families, both algorithms, phase switch, probes, evals), tiny budget. */
const QUICK: Budget = {
  seeds: [1],
  sftSteps: 8,
  totalSteps: 6,
  iterativeSteps: 2,
  evalPrompts: 8,
  evalSamples: 2,
  entropyEvery: 3,
};

/** BuPO internal layer per family (0-based, tiny presets have L = 4): spec §7's choice, scaled to 4 layers. */
const INTERNAL_LAYER: Record<ModelFamily, number> = { qwen3: 0, qwen2: 0, llama: 2 }; // qwen2 is not run
const FAMILIES: ModelFamily[] = ["qwen3", "llama"];
const ALGORITHMS: Algorithm[] = ["grpo", "bupo"];

/** The experiment folder as the only model root: warm-start checkpoints are named relative to it. */
function modelsIn(dir: string): RunFiles {
  return new RunFiles({ ...NO_FILE_ROOTS, dirs: { ...NO_FILE_ROOTS.dirs, models: [dir] } });
}

/**
 * The run config. With `checkpoint` (relative to the experiment folder) (the shared warm start, see {@link warmStart}) the model is that checkpoint and
 * the warm start is skipped; everything else is the same as the standalone run.
 */
function runConfig(
  family: ModelFamily,
  algorithm: Algorithm,
  seed: number,
  b: Budget,
  checkpoint?: string,
): RunConfig {
  return RunConfigSchema.parse({
    algorithm,
    seed,
    name: `exp-${family}-${algorithm}-s${seed}`,
    model: checkpoint
      ? { source: "checkpoint", root: "models", path: checkpoint }
      : { source: "preset", family, preset: "tiny" },
    task: { source: "builtin", name: "sorting", difficulty: 1 },
    warmStart: { sftSteps: checkpoint ? 0 : b.sftSteps, batchSize: 32, lr: 1e-3 },
    rl: {
      totalSteps: b.totalSteps,
      iterativeSteps: b.iterativeSteps,
      internalLayer: INTERNAL_LAYER[family],
      promptsPerStep: 4,
      groupSize: 8,
      miniBatches: 2,
      lr: 1e-4,
      maxPromptTokens: 16,
      maxResponseTokens: 16,
    },
    schedule: {
      evalEvery: b.totalSteps, // step 0 (before RL) and the last step
      evalPrompts: b.evalPrompts, // also sizes the held-out split, so it must match between warm start and RL
      evalSamples: b.evalSamples,
      checkpointEvery: 0,
      entropyEvery: b.entropyEvery,
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Shared warm start

interface WarmStart {
  checkpoint: string;
  loss: [number, number];
  seconds: number;
}

/**
 * The warm start of (family, seed), run once and shared by the paired GRPO and BuPO runs: a `runTraining` run of
 * the same config, cancelled before its first RL step, which saves the step-0 checkpoint (weights after the warm
 * start). The warm start does not depend on the algorithm, and the RL optimizer starts fresh either way, so an RL
 * run from this checkpoint (`model.source = "checkpoint"`, `sftSteps = 0`) is the standalone run minus the
 * repeated warm start: same weights, same step-0 evaluation, same prompts and seeds at every step.
 */
async function warmStart(family: ModelFamily, seed: number, b: Budget, dir: string): Promise<WarmStart> {
  const base = runConfig(family, "grpo", seed, b);
  const config = RunConfigSchema.parse({ ...base, schedule: { ...base.schedule, evalEvery: 0 } });
  const outDir = path.join(dir, `warmstart-${family}-s${seed}`);
  const abort = new AbortController();
  const loss: number[] = [];
  const t0 = performance.now();
  const summary = await runTraining(
    config,
    { outDir, signal: abort.signal },
    {
      warmstart: (w) => loss.push(w.loss),
      status: (s) => {
        if (s.status === "training") abort.abort(); // checked before step 1: cancel → step-0 checkpoint
      },
    },
  );
  if (summary.status !== "cancelled" || summary.step !== 0 || !summary.lastCheckpoint)
    throw new Error(`warm start of ${family} seed ${seed} did not stop at step 0 (${summary.status})`);
  return {
    checkpoint: summary.lastCheckpoint,
    loss: [loss[0] ?? Number.NaN, loss.at(-1) ?? Number.NaN],
    seconds: (performance.now() - t0) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One run

interface RunResult {
  family: ModelFamily;
  algorithm: Algorithm;
  seed: number;
  internalLayer: number | null;
  iterativeSteps: number;
  evalStart: EvalMetrics;
  evalEnd: EvalMetrics;
  scores: number[];
  entropies: number[];
  /** `layers` of the first and the last measured step, with their step numbers. */
  firstLayers: { step: number; layers: LayerEntropy } | null;
  lastLayers: { step: number; layers: LayerEntropy } | null;
  /** Final model, classic logit lens (final RMSNorm on every layer, true last layer) on held-out rollouts. */
  normedLayers: LayerEntropy;
  /** Representation similarity to h_L at every probe step (issue 15). */
  similarity: SimilarityPoint[];
  warmStartLoss: [number, number];
  /** `warmStart` is the shared warm start of (family, seed); `rl` is this run (RL steps, evaluations, probes). */
  seconds: { warmStart: number; rl: number };
  leakedTensors: number;
}

async function runOne(
  family: ModelFamily,
  algorithm: Algorithm,
  seed: number,
  b: Budget,
  ws: WarmStart,
  dir: string,
): Promise<RunResult> {
  const config = runConfig(family, algorithm, seed, b, path.relative(dir, ws.checkpoint));
  const files = modelsIn(dir);
  const outDir = path.join(dir, `${family}-${algorithm}-s${seed}`);
  const steps: StepMetrics[] = [];
  const evals: EvalMetrics[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const t0 = performance.now();
  let model: LoadedModel | undefined;
  let normedLayers: LayerEntropy;
  try {
    const summary = await runTraining(
      config,
      { outDir, checkpointOnCancel: false, keepModel: true, files },
      {
        step: ({ metrics }) => {
          steps.push(metrics);
          if (metrics.step % 10 === 0 || metrics.step === b.totalSteps) {
            const h = metrics["actor/entropy"].toFixed(3);
            const s = metrics["critic/score/mean"].toFixed(2);
            progress(
              `    step ${metrics.step}/${b.totalSteps} phase ${metrics["bupo/phase"]} score ${s} H ${h}`,
            );
          }
        },
        eval: (e) => {
          evals.push(e);
          progress(
            `    eval step ${e.step}: mean@${e.k} ${e["mean@k"].toFixed(3)} pass@${e.k} ${e["pass@k"].toFixed(3)}`,
          );
        },
      },
    );
    model = summary.model;
    if (summary.status !== "completed" || !model) throw new Error(`run ended ${summary.status}`);
    normedLayers = await normedProfile(config, model, files);
  } finally {
    if (model) disposeWeights(model.weights);
    await rm(outDir, { recursive: true, force: true });
  }
  const t1 = performance.now();
  const measured = steps.filter((m) => m.layers !== undefined);
  const layerAt = (m: StepMetrics | undefined) => (m?.layers ? { step: m.step, layers: m.layers } : null);
  const [evalStart, evalEnd] = [evals[0], evals.at(-1)];
  if (!evalStart || !evalEnd || evalStart.step !== 0 || evalEnd.step !== b.totalSteps)
    throw new Error(`expected evaluations at steps 0 and ${b.totalSteps} (got ${evals.map((e) => e.step)})`);
  return {
    family,
    algorithm,
    seed,
    internalLayer: algorithm === "bupo" ? config.rl.internalLayer : null,
    iterativeSteps: config.rl.iterativeSteps,
    evalStart,
    evalEnd,
    scores: steps.map((m) => m["critic/score/mean"]),
    entropies: steps.map((m) => m["actor/entropy"]),
    firstLayers: layerAt(measured[0]),
    lastLayers: layerAt(measured.at(-1)),
    normedLayers,
    similarity: similarityTrace(steps),
    warmStartLoss: ws.loss,
    seconds: { warmStart: ws.seconds, rl: (t1 - t0) / 1000 },
    leakedTensors: tf.memory().numTensors - tensorsBefore,
  };
}

/** Held-out prompts (one sample each) for the classic-lens profile of the final model. */
const NORMED_PROBE_PROMPTS = 32;

/**
 * The final model's entropy profile under the classic logit lens (`W_U·RMSNorm_final(h_l)`, the last layer being
 * the model's own policy): the trainer's probe uses the repo's raw lens, whose top-layer value is not the policy
 * entropy (no final norm), so "how fast does the entropy fall at the top" is easier to read here. Responses are
 * sampled from the final policy (T = 1) on the first held-out prompts with a seed that depends only on the run
 * seed, so the paired runs get the same prompts and sampling stream.
 */
async function normedProfile(config: RunConfig, model: LoadedModel, files: RunFiles): Promise<LayerEntropy> {
  const task = await taskFromConfig(config, files);
  const tokenizer = await tokenizerFromConfig(config, files);
  const problems = task.heldOut.slice(0, NORMED_PROBE_PROMPTS);
  const rollout = await collectRollout({ generate }, model, tokenizer, problems, task.grade, {
    ...config.rl,
    groupSize: 1,
    seed: 1_000_003 * (config.seed + 1),
  });
  return probeLayerEntropies(model, rollout, {
    sampleSize: problems.length,
    lens: "normed",
    trueLastLayer: true,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and formatting

/** Residual-stream entropy H(h_l), l = 0..L (the record's layer inputs plus the last output). */
function residual(l: LayerEntropy): number[] {
  return [...l.layer.input, l.layer.output.at(-1) ?? Number.NaN];
}

/** Element-wise mean of equally long arrays. */
function meanArrays(arrays: number[][]): number[] {
  const n = arrays[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) => mean(arrays.map((a) => a[i] ?? Number.NaN)));
}

function report(results: RunResult[], b: Budget, backend: string, totalSeconds: number): string {
  const out: string[] = [];
  const group = (family: string, algorithm: string) =>
    results.filter((r) => r.family === family && r.algorithm === algorithm);
  const k = b.evalSamples;
  const S = b.iterativeSteps;
  const tail = Math.min(10, b.totalSteps);

  out.push(
    `Sorting, difficulty 1 · tiny preset (L = 4, d = 128) · seeds ${b.seeds.join(", ")} · ${b.sftSteps} warm-start ` +
      `steps · ${b.totalSteps} RL steps (4 prompts × 8 responses, 2 mini-batches, lr 1e-4) · BuPO S = ${S}, ` +
      `k = ${INTERNAL_LAYER.qwen3} (qwen3) / ${INTERNAL_LAYER.llama} (llama) · eval: ${b.evalPrompts} held-out ` +
      `prompts × ${k} samples (T = 1) · ${backend} · total ${f(totalSeconds / 60, 1)} min`,
    "",
  );

  // (a) accuracy
  out.push(
    `**(a) Accuracy** — held-out mean@${k} / pass@${k} before RL (step 0) and after step ${b.totalSteps}; `,
  );
  out.push(
    `training score = mean \`critic/score/mean\` of the first vs the last ${tail} RL steps. mean ± std over seeds.`,
    "",
  );
  out.push(
    row([
      "family",
      "algorithm",
      `mean@${k} step 0`,
      `mean@${k} end`,
      `Δ mean@${k}`,
      `pass@${k} step 0`,
      `pass@${k} end`,
      `score first ${tail}`,
      `score last ${tail}`,
    ]),
    rule(9, 2),
  );
  for (const fam of FAMILIES)
    for (const alg of ALGORITHMS) {
      const g = group(fam, alg);
      if (g.length === 0) continue;
      out.push(
        row([
          fam,
          alg === "bupo" ? `bupo (k=${INTERNAL_LAYER[fam]})` : alg,
          pm(g.map((r) => r.evalStart["mean@k"])),
          pm(g.map((r) => r.evalEnd["mean@k"])),
          pm(g.map((r) => r.evalEnd["mean@k"] - r.evalStart["mean@k"])),
          pm(g.map((r) => r.evalStart["pass@k"])),
          pm(g.map((r) => r.evalEnd["pass@k"])),
          pm(g.map((r) => mean(r.scores.slice(0, tail)))),
          pm(g.map((r) => mean(r.scores.slice(-tail)))),
        ]),
      );
    }
  out.push("", "Per seed (seeds in order):", "");
  out.push(
    row(["family", "algorithm", `mean@${k} step 0`, `mean@${k} end`, `pass@${k} end`, `score last ${tail}`]),
    rule(6, 2),
  );
  for (const fam of FAMILIES)
    for (const alg of ALGORITHMS) {
      const g = group(fam, alg);
      if (g.length === 0) continue;
      out.push(
        row([
          fam,
          alg,
          perSeed(g.map((r) => r.evalStart["mean@k"])),
          perSeed(g.map((r) => r.evalEnd["mean@k"])),
          perSeed(g.map((r) => r.evalEnd["pass@k"])),
          perSeed(g.map((r) => mean(r.scores.slice(-tail)))),
        ]),
      );
    }
  out.push("", `Paired difference BuPO − GRPO (same family, same seed):`, "");
  out.push(
    row(["family", `Δ mean@${k} end`, `Δ pass@${k} end`, `Δ score last ${tail}`, "per seed (mean@k)"]),
  );
  out.push(rule(5));
  for (const fam of FAMILIES) {
    const pairs = b.seeds.flatMap((seed) => {
      const bu = results.find((r) => r.family === fam && r.algorithm === "bupo" && r.seed === seed);
      const gr = results.find((r) => r.family === fam && r.algorithm === "grpo" && r.seed === seed);
      return bu && gr ? [{ bu, gr }] : [];
    });
    if (pairs.length === 0) continue;
    const d = (fn: (r: RunResult) => number) => pairs.map(({ bu, gr }) => fn(bu) - fn(gr));
    const dMean = d((r) => r.evalEnd["mean@k"]);
    out.push(
      row([
        fam,
        pm(dMean),
        pm(d((r) => r.evalEnd["pass@k"])),
        pm(d((r) => mean(r.scores.slice(-tail)))),
        dMean.map((x) => signed(x)).join(" / "),
      ]),
    );
  }

  // entropy during phase 1 vs after
  out.push(
    "",
    `**Full-policy entropy** \`actor/entropy\` (nats, token mean over response tokens): mean over `,
  );
  out.push(
    `steps 1–${S} (BuPO phase 1; same steps for GRPO), steps ${S + 1}–${b.totalSteps}, and the last ${tail} steps.`,
    "",
  );
  out.push(
    row(["family", "algorithm", `H steps 1–${S}`, `H steps ${S + 1}–${b.totalSteps}`, `H last ${tail}`]),
  );
  out.push(rule(5, 2));
  for (const fam of FAMILIES)
    for (const alg of ALGORITHMS) {
      const g = group(fam, alg);
      if (g.length === 0) continue;
      out.push(
        row([
          fam,
          alg,
          pm(g.map((r) => mean(r.entropies.slice(0, S)))),
          pm(g.map((r) => mean(r.entropies.slice(S)))),
          pm(g.map((r) => mean(r.entropies.slice(-tail)))),
        ]),
      );
    }

  // (b) per-layer profile
  const lastStep = results.find((r) => r.lastLayers)?.lastLayers?.step ?? b.totalSteps;
  const firstStep = results.find((r) => r.firstLayers)?.firstLayers?.step ?? b.entropyEvery;
  out.push(
    "",
    `**(b) Per-layer internal-policy entropy** (nats, lens raw = W_U·h without the final norm, the `,
  );
  out.push(
    `repo's plot; response tokens of up to 10 of the step's own rollouts), mean over seeds, at step ${lastStep}. ` +
      `H(h_l) = residual stream after l layers (h_0 = embeddings); ΔH = module output − normalised module input, ` +
      `by 0-based layer j.`,
    "",
  );
  const L = results.find((r) => r.lastLayers)?.lastLayers?.layers.layer.input.length ?? 4;
  const header = [
    "family",
    "algorithm",
    ...Array.from({ length: L + 1 }, (_, l) => `H(h_${l})`),
    ...Array.from({ length: L }, (_, j) => `attn ΔH ${j}`),
    ...Array.from({ length: L }, (_, j) => `FFN ΔH ${j}`),
  ];
  /** Mean profile per family × algorithm; `modules` false = residual stream only (module ΔH is lens-independent). */
  const profileTable = (pick: (r: RunResult) => LayerEntropy | undefined, modules = true) => {
    const cols = modules ? header : header.slice(0, L + 3);
    const lines = [row(cols), rule(cols.length, 2)];
    for (const fam of FAMILIES)
      for (const alg of ALGORITHMS) {
        const ls = group(fam, alg)
          .map(pick)
          .filter((l): l is LayerEntropy => l !== undefined);
        if (ls.length === 0) continue;
        const cells = [
          ...meanArrays(ls.map(residual)),
          ...(modules ? meanArrays(ls.map((l) => l.attn.change)) : []),
          ...(modules ? meanArrays(ls.map((l) => l.ffn.change)) : []),
        ];
        lines.push(row([fam, alg, ...cells.map((x, i) => (i <= L ? f(x, 2) : signed(x, 2)))]));
      }
    return lines;
  };
  out.push(...profileTable((r) => r.lastLayers?.layers));
  out.push(
    "",
    `Same final models, classic logit lens (\`W_U·RMSNorm_final(h_l)\`, H(h_${L}) = the model's own policy), on ` +
      `one sampled response to each of the first ${NORMED_PROBE_PROMPTS} held-out prompts (residual stream only: ` +
      `module ΔH does not depend on the lens):`,
    "",
  );
  out.push(...profileTable((r) => r.normedLayers, false));
  out.push("", `For reference, the first probe (step ${firstStep}, shortly after the warm start):`, "");
  out.push(...profileTable((r) => r.firstLayers?.layers));

  // (c) wall time
  out.push(
    "",
    "**(c) Wall time per run** (s). Warm start: once per family × seed, shared by the pair; RL: the run's RL " +
      "steps, both evaluations and the probes; standalone = warm start + RL (what one `train` run would take).",
    "",
  );
  out.push(row(["family", "algorithm", "seed", "warm start", "RL + eval", "standalone", "warm-start loss"]));
  out.push(rule(7, 3));
  for (const r of results)
    out.push(
      row([
        r.family,
        r.algorithm,
        String(r.seed),
        f(r.seconds.warmStart, 1),
        f(r.seconds.rl, 1),
        f(r.seconds.warmStart + r.seconds.rl, 1),
        `${f(r.warmStartLoss[0], 2)} → ${f(r.warmStartLoss[1], 3)}`,
      ]),
    );
  out.push(
    row([
      "**all**",
      "",
      "",
      f(mean(results.map((r) => r.seconds.warmStart)), 1),
      f(mean(results.map((r) => r.seconds.rl)), 1),
      `${f(totalSeconds, 0)} in all`,
      "",
    ]),
  );
  out.push(
    ...similarityReport(results, {
      families: FAMILIES,
      internalLayer: INTERNAL_LAYER,
      iterativeSteps: S,
      totalSteps: b.totalSteps,
      seeds: b.seeds,
    }),
  );
  const leaks = results.filter((r) => r.leakedTensors !== 0);
  if (leaks.length > 0)
    out.push(
      "",
      `Warning: tensors left over after ${leaks.length} run(s): ${leaks.map((r) => r.leakedTensors)}`,
    );
  return `${out.join("\n")}\n`;
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------------------------

interface Saved {
  budget: Budget;
  backend: string;
  totalSeconds: number;
  results: RunResult[];
}

/** Merges `--json` files of runs with the same budget (e.g. different seeds) into one report. */
async function loadSaved(files: string[]): Promise<Saved> {
  const all = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, "utf8")) as Saved));
  const [first, ...rest] = all;
  if (!first) throw new Error("--report: no files");
  const same = (b: Budget) =>
    JSON.stringify({ ...b, seeds: [] }) === JSON.stringify({ ...first.budget, seeds: [] });
  if (!rest.every((s) => same(s.budget)))
    throw new Error("--report: the files differ in budget (other than seeds)");
  const seeds = all.flatMap((s) => s.budget.seeds);
  if (new Set(seeds).size !== seeds.length) throw new Error(`--report: a seed appears twice (${seeds})`);
  return {
    budget: { ...first.budget, seeds },
    backend: first.backend,
    totalSeconds: all.reduce((a, s) => a + s.totalSeconds, 0),
    results: all.flatMap((s) => s.results),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      seeds: { type: "string" },
      "rl-steps": { type: "string" },
      "probe-every": { type: "string" },
      json: { type: "string" },
      report: { type: "string" },
    },
  });
  if (values.report !== undefined) {
    const saved = await loadSaved(values.report.split(","));
    process.stdout.write(report(saved.results, saved.budget, saved.backend, saved.totalSeconds));
    return;
  }
  const base = values.quick ? QUICK : FULL;
  const seeds = values.seeds ? values.seeds.split(",").map((s) => Number.parseInt(s, 10)) : base.seeds;
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds: comma-separated integers`);
  let budget: Budget = { ...base, seeds };
  if (values["rl-steps"] !== undefined) {
    const n = Number(values["rl-steps"]);
    if (!Number.isInteger(n) || n < 2)
      throw new Error(`--rl-steps: an integer ≥ 2 (got ${values["rl-steps"]})`);
    const iterativeSteps = Math.max(1, Math.round(0.15 * n));
    budget = { ...budget, totalSteps: n, iterativeSteps, entropyEvery: n % 10 === 0 ? 10 : n };
  }
  if (values["probe-every"] !== undefined) {
    // The probe only reads (its results never change a step's), so this changes no training number.
    const n = Number(values["probe-every"]);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--probe-every: an integer ≥ 1 (got ${values["probe-every"]})`);
    budget = { ...budget, entropyEvery: n };
  }
  const info = await initBackend({ prefer: "wasm" });
  const backend = `${info.backend}${info.simd ? " SIMD" : ""}, ${info.threads} thread${info.threads === 1 ? "" : "s"}`;
  progress(`backend ${backend}; ${seeds.length * FAMILIES.length * ALGORITHMS.length} runs`);

  const results: RunResult[] = [];
  const t0 = performance.now();
  const elapsed = () => `elapsed ${((performance.now() - t0) / 60_000).toFixed(1)} min`;
  const dir = await mkdtemp(path.join(tmpdir(), "bupo-exp-"));
  try {
    for (const seed of seeds)
      for (const family of FAMILIES) {
        progress(`warm start: ${family} seed ${seed}`);
        const ws = await warmStart(family, seed, budget, dir);
        progress(
          `  done in ${ws.seconds.toFixed(1)} s (loss ${ws.loss[0].toFixed(2)} → ${ws.loss[1].toFixed(3)}); ${elapsed()}`,
        );
        for (const algorithm of ALGORITHMS) {
          progress(`run ${results.length + 1}: ${family} ${algorithm} seed ${seed}`);
          const r = await runOne(family, algorithm, seed, budget, ws, dir);
          results.push(r);
          progress(`  done in ${r.seconds.rl.toFixed(1)} s; ${elapsed()}`);
        }
        await rm(path.dirname(path.dirname(ws.checkpoint)), { recursive: true, force: true });
      }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  if (values.json) {
    await writeFile(values.json, `${JSON.stringify({ budget, backend, totalSeconds, results }, null, 1)}\n`);
    progress(`raw results → ${values.json}`);
  }
  process.stdout.write(report(results, budget, backend, totalSeconds));
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
