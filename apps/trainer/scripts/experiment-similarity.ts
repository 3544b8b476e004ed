/**
 * The representation-similarity part of the BuPO-vs-GRPO experiment (issue 15, "feature refinement"): does phase 1
 * (π_k optimised for S steps) move layer k's output h_{k+1} — and the layers below — toward the top layer's h_L,
 * and how long does that last after the switch? Read from the trainer's probe (`layers.similarity`: linear CKA
 * and mean token cosine of h_i vs h_L over the probe's pooled response tokens, measured with the step's
 * pre-update weights, so the probe at step s sees the weights after s − 1 updates). Paired by seed: both runs of
 * a pair start from the same warm start and see the same prompts.
 */
import type { Algorithm, ModelFamily, StepMetrics } from "@bupo/shared";
import { f, mean, pm, row, rule, signed, std } from "./experiment-stats.ts";

export interface SimilarityPoint {
  step: number;
  /** [L+1] CKA(h_i, h_L). */
  cka: number[];
  /** [L+1] mean token cos(h_i, h_L). */
  cosine: number[];
}

export interface SimilarityRun {
  family: ModelFamily;
  algorithm: Algorithm;
  seed: number;
  /** Absent in runs saved before the metric existed. */
  similarity?: SimilarityPoint[];
}

/** The probe steps' similarity records. */
export function similarityTrace(steps: StepMetrics[]): SimilarityPoint[] {
  return steps.flatMap((m) => {
    const s = m.layers?.similarity;
    return s ? [{ step: m.step, cka: s.cka, cosine: s.cosine }] : [];
  });
}

export interface SimilarityReportOptions {
  families: ModelFamily[];
  internalLayer: Record<ModelFamily, number>;
  /** BuPO phase-1 steps S. */
  iterativeSteps: number;
  totalSteps: number;
  seeds: number[];
}

/** The probe step at or after `target` (first measured one), if any. */
function stepAtOrAfter(steps: number[], target: number): number | undefined {
  return steps.find((s) => s >= target);
}

/**
 * Markdown lines: (d1) CKA and cosine of h_{k+1} vs h_L at selected probe steps per algorithm and the paired
 * difference BuPO − GRPO; (d2) the by-depth CKA after phase 1 (probe step S+1) and at the last probe.
 */
export function similarityReport(runs: SimilarityRun[], o: SimilarityReportOptions): string[] {
  const out: string[] = [];
  const withData = runs.filter((r) => (r.similarity?.length ?? 0) > 0);
  out.push("", "**(d) Representation similarity to the top layer** (issue 15, feature refinement)", "");
  if (withData.length === 0) {
    out.push("No similarity was recorded in these runs (saved before the metric existed).");
    return out;
  }
  const S = o.iterativeSteps;
  out.push(
    `Linear CKA and mean token cosine of the residual stream h_i against h_L (raw residuals) over the probe's ` +
      `pooled response tokens (≤ 512), measured before the step's update: the probe at step ${S + 1} sees the ` +
      `weights right after BuPO's ${S} phase-1 steps. Depth k+1 = the output of BuPO's internal layer k ` +
      `(what π_k reads). mean ± std over seeds; Δ = paired BuPO − GRPO (same seed).`,
    "",
  );
  const pick = (fam: ModelFamily, alg: Algorithm) =>
    withData.filter((r) => r.family === fam && r.algorithm === alg);
  const pairsOf = (fam: ModelFamily) =>
    o.seeds.flatMap((seed) => {
      const bu = withData.find((r) => r.family === fam && r.algorithm === "bupo" && r.seed === seed);
      const gr = withData.find((r) => r.family === fam && r.algorithm === "grpo" && r.seed === seed);
      return bu && gr ? [{ bu, gr }] : [];
    });
  const at = (r: SimilarityRun, step: number) => r.similarity?.find((p) => p.step === step);
  const measured = [...new Set(withData.flatMap((r) => (r.similarity ?? []).map((p) => p.step)))].sort(
    (a, b) => a - b,
  );
  const targets = [measured[0] ?? 1, S + 1, S + 6, S + 11, S + 21, o.totalSteps];
  const steps = [...new Set(targets.map((t) => stepAtOrAfter(measured, t)).filter((s) => s !== undefined))];

  for (const metric of ["cka", "cosine"] as const) {
    const name = metric === "cka" ? "CKA" : "cosine";
    out.push(`(d1 ${name}) ${name}(h_{k+1}, h_L) by probe step:`, "");
    out.push(
      row(["family", "series", ...steps.map((s) => `step ${s}${s === S + 1 ? " (after phase 1)" : ""}`)]),
    );
    out.push(rule(steps.length + 2, 2));
    for (const fam of o.families) {
      const depth = (o.internalLayer[fam] ?? 0) + 1;
      const value = (r: SimilarityRun, s: number) => at(r, s)?.[metric][depth] ?? Number.NaN;
      for (const alg of ["grpo", "bupo"] as const) {
        const g = pick(fam, alg);
        if (g.length === 0) continue;
        out.push(row([fam, `${alg} (depth ${depth})`, ...steps.map((s) => pm(g.map((r) => value(r, s))))]));
      }
      const pairs = pairsOf(fam);
      if (pairs.length > 0) {
        const cells = steps.map((s) => {
          const d = pairs.map(({ bu, gr }) => value(bu, s) - value(gr, s));
          const up = d.filter((x) => x > 0).length;
          return `${signed(mean(d), 4)} (${up}/${d.length} > 0)${d.length > 1 ? ` ± ${f(std(d), 4)}` : ""}`;
        });
        out.push(row([fam, "Δ BuPO − GRPO", ...cells]));
      }
    }
    out.push("");
  }

  const phaseEnd = stepAtOrAfter(measured, S + 1);
  const last = measured.at(-1);
  for (const step of [phaseEnd, last]) {
    if (step === undefined) continue;
    out.push(`(d2) CKA(h_i, h_L) by depth at probe step ${step}:`, "");
    const L = (withData[0]?.similarity?.[0]?.cka.length ?? 1) - 1;
    out.push(row(["family", "series", ...Array.from({ length: L + 1 }, (_, i) => `h_${i}`)]));
    out.push(rule(L + 3, 2));
    for (const fam of o.families) {
      for (const alg of ["grpo", "bupo"] as const) {
        const g = pick(fam, alg);
        if (g.length === 0) continue;
        const cells = Array.from({ length: L + 1 }, (_, i) =>
          pm(g.map((r) => at(r, step)?.cka[i] ?? Number.NaN)),
        );
        out.push(row([fam, alg, ...cells]));
      }
      const pairs = pairsOf(fam);
      if (pairs.length > 0) {
        const cells = Array.from({ length: L + 1 }, (_, i) => {
          const d = pairs.map(
            ({ bu, gr }) => (at(bu, step)?.cka[i] ?? Number.NaN) - (at(gr, step)?.cka[i] ?? Number.NaN),
          );
          return `${signed(mean(d), 4)} (${d.filter((x) => x > 0).length}/${d.length} > 0)`;
        });
        out.push(row([fam, "Δ BuPO − GRPO", ...cells]));
      }
    }
    out.push("");
  }
  return out;
}
