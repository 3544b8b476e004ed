/**
 * The `analyze` report: a JSON-ready object built from an {@link InternalPolicyAnalysis}, and its readable
 * rendering (token-mean table by layer, then a per-position grid for short single sequences).
 */
import type { RepresentationSimilarity } from "@bupo/shared";
import type { EntropyMeans, InternalPolicyAnalysis, LensMode, SampleEntropies } from "../analysis/types.ts";
import type { BackendInfo } from "../backend/index.ts";
import type { PositionKind, ProbeModel, ProbeModelInfo, ProbeSample } from "../probe/index.ts";
import { describeModel } from "./model-flags.ts";

/** One analysed sequence: its ids, labels and pooled range, and its per-position entropies (rounded). */
export type AnalyzedSample = ProbeSample &
  Pick<
    SampleEntropies,
    | "layerEntropy"
    | "attnInputEntropy"
    | "attnOutputEntropy"
    | "ffnInputEntropy"
    | "ffnOutputEntropy"
    | "finalEntropy"
  > & {
    /** Printable labels of the tokens. */
    labels?: string[];
  };

export interface AnalyzeReport {
  command: "analyze";
  model: ProbeModelInfo;
  backend: Pick<BackendInfo, "backend" | "threads" | "simd">;
  lens: LensMode;
  trueLastLayer: boolean;
  /** Entropies in nats; entry t of a per-position array is the distribution predicting token t+1. */
  units: "nats";
  positions: { kind: PositionKind; note?: string };
  samples: AnalyzedSample[];
  means: EntropyMeans;
  /** Residual streams h_0 … h_L vs h_L (cosine, linear CKA) over the first pooled tokens (in-memory runs). */
  similarity?: RepresentationSimilarity;
  timeMs: number;
}

const round = (v: number, digits = 6): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);
const roundRows = (rows: number[][]) => rows.map((r) => r.map((v) => round(v)));

export function buildReport(
  model: Pick<ProbeModel, "info">,
  backend: BackendInfo,
  analysis: InternalPolicyAnalysis,
  inputs: { tokens: number[]; labels?: string[]; range: [number, number] }[],
  positions: AnalyzeReport["positions"],
  timeMs: number,
): AnalyzeReport {
  const m = analysis.means;
  return {
    command: "analyze",
    model: model.info,
    backend: { backend: backend.backend, threads: backend.threads, simd: backend.simd },
    lens: analysis.lens,
    trueLastLayer: analysis.trueLastLayer,
    units: "nats",
    positions,
    samples: analysis.samples.map((s, i) => {
      const input = inputs[i] as (typeof inputs)[number];
      const sample: AnalyzedSample = {
        tokens: input.tokens,
        range: input.range,
        layerEntropy: roundRows(s.layerEntropy),
        attnInputEntropy: roundRows(s.attnInputEntropy),
        attnOutputEntropy: roundRows(s.attnOutputEntropy),
        ffnInputEntropy: roundRows(s.ffnInputEntropy),
        ffnOutputEntropy: roundRows(s.ffnOutputEntropy),
        finalEntropy: s.finalEntropy.map((v) => round(v)),
      };
      if (input.labels) sample.labels = input.labels;
      return sample;
    }),
    means: {
      tokenCount: m.tokenCount,
      layerEntropy: m.layerEntropy.map((v) => round(v)),
      attnInputEntropy: m.attnInputEntropy.map((v) => round(v)),
      attnOutputEntropy: m.attnOutputEntropy.map((v) => round(v)),
      ffnInputEntropy: m.ffnInputEntropy.map((v) => round(v)),
      ffnOutputEntropy: m.ffnOutputEntropy.map((v) => round(v)),
      finalEntropy: round(m.finalEntropy),
      deltaLayer: m.deltaLayer.map((v) => round(v)),
      deltaAttn: m.deltaAttn.map((v) => round(v)),
      deltaFfn: m.deltaFfn.map((v) => round(v)),
    },
    ...(analysis.similarity === undefined ? {} : { similarity: analysis.similarity }),
    timeMs: Math.round(timeMs),
  };
}

// -------------------------------------------------------------------------------------------------
// Text rendering

const num = (v: number | undefined, width = 8, digits = 3) =>
  (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits)).padStart(width);
const signed = (v: number | undefined, width = 8) => {
  if (v === undefined || !Number.isFinite(v)) return "—".padStart(width);
  const r = Number(v.toFixed(3)) || 0; // no "-0.000"
  return `${r >= 0 ? "+" : ""}${r.toFixed(3)}`.padStart(width);
};

/** Token-mean table: one row per layer (0-based; paper layer = j+1). */
function meansTable(m: EntropyMeans, L: number): string[] {
  const head = `${"layer".padEnd(7)}${"H(h_in)".padStart(9)}${"attn in".padStart(9)}${"attn out".padStart(9)}${"ΔH attn".padStart(9)}${"ffn in".padStart(9)}${"ffn out".padStart(9)}${"ΔH ffn".padStart(9)}${"H(h_out)".padStart(9)}${"ΔH layer".padStart(9)}`;
  const rows = [head, "-".repeat(head.length)];
  for (let j = 0; j < L; j++) {
    rows.push(
      `${String(j).padEnd(7)}${num(m.layerEntropy[j], 9)}${num(m.attnInputEntropy[j], 9)}${num(m.attnOutputEntropy[j], 9)}${signed(m.deltaAttn[j], 9)}${num(m.ffnInputEntropy[j], 9)}${num(m.ffnOutputEntropy[j], 9)}${signed(m.deltaFfn[j], 9)}${num(m.layerEntropy[j + 1], 9)}${signed(m.deltaLayer[j], 9)}`,
    );
  }
  return rows;
}

/** Per-position grid of one sample, in blocks of `perBlock` columns. */
function positionGrid(s: AnalyzedSample, L: number, perBlock = 12): string[] {
  const T = s.finalEntropy.length;
  const rows: [string, number[]][] = [];
  s.layerEntropy.forEach((r, i) => {
    rows.push([i === 0 ? "h0 (emb)" : `h${i}`, r]);
  });
  for (let j = 0; j < L; j++) {
    rows.push([`attn_in ${j}`, s.attnInputEntropy[j] ?? []]);
    rows.push([`attn_out ${j}`, s.attnOutputEntropy[j] ?? []]);
    rows.push([`ffn_in ${j}`, s.ffnInputEntropy[j] ?? []]);
    rows.push([`ffn_out ${j}`, s.ffnOutputEntropy[j] ?? []]);
  }
  rows.push(["final", s.finalEntropy]);
  const out: string[] = [];
  for (let a = 0; a < T; a += perBlock) {
    const cols = Array.from({ length: Math.min(perBlock, T - a) }, (_, i) => a + i);
    out.push(`${"position".padEnd(11)}${cols.map((t) => String(t).padStart(7)).join("")}`);
    if (s.labels) {
      const label = (t: number) => (s.labels?.[t] ?? "").slice(0, 6);
      out.push(`${"token".padEnd(11)}${cols.map((t) => label(t).padStart(7)).join("")}`);
    }
    for (const [name, r] of rows) out.push(`${name.padEnd(11)}${cols.map((t) => num(r[t], 7, 2)).join("")}`);
    out.push("");
  }
  return out;
}

/** Readable report (what `analyze` prints without `--json`). */
export function formatReport(r: AnalyzeReport, model: Pick<ProbeModel, "info">): string {
  const L = r.model.numLayers;
  const m = r.means;
  const lines = [
    `model    ${describeModel(model)}`,
    `backend  ${r.backend.backend} (${r.backend.threads} thread${r.backend.threads === 1 ? "" : "s"}${r.backend.simd ? ", simd" : ""}) · ${r.timeMs} ms`,
    `lens     ${r.lens === "raw" ? "raw: W_U·h, no final norm (repo-faithful)" : "normed: W_U·RMSNorm_final(h)"}${r.trueLastLayer ? " · last layer = true policy" : ""}`,
    `input    ${r.samples.length} sequence(s), ${r.samples.reduce((n, s) => n + s.tokens.length, 0)} tokens; means over ${m.tokenCount} ${r.positions.kind} position(s)`,
  ];
  if (r.positions.note) lines.push(`note     ${r.positions.note}`);
  lines.push(
    "",
    "Token-mean entropies (nats). Layer j is 0-based (paper layer j+1); h_in = residual entering layer j",
    "(j = 0: embeddings), h_out = leaving it; module inputs are normalised, outputs are the module alone.",
    "",
    ...meansTable(m, L),
    "",
    `final policy entropy (model's own head): ${num(m.finalEntropy, 0)}`,
  );
  const only = r.samples.length === 1 ? r.samples[0] : undefined;
  if (only && only.tokens.length <= 96) {
    lines.push("", "Per-position entropies (position t predicts token t+1):", "", ...positionGrid(only, L));
  } else {
    lines.push(
      "",
      "Per sample: tokens, pooled positions [start, end):",
      ...r.samples.map(
        (s, i) => `  #${i}: ${s.tokens.length} tokens, positions [${s.range[0]}, ${s.range[1]})`,
      ),
      "",
      "Per-position arrays: use --json.",
    );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
