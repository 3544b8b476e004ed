/**
 * The paper's comparison along depth (issue 12): per run, the entropy of the residual stream, the attention
 * output and the FFN output at each layer, the ΔH of each module, and the spread across samples — from an
 * analysis run's result or a training run's latest per-layer record — as LayerProfileChart series on the
 * relative-depth axis (layer / L), so models of different depth line up.
 */
import type { AnalysisSpread } from "@bupo/shared/analysis-result";
import type { LayerEntropy } from "@bupo/shared/metrics";
import { seriesColor } from "../../../components/charts/series-palette.ts";
import type { LayerProfileSeries } from "../../../components/charts/types.ts";

/** What one run contributes: its per-layer record (null until measured) and, for analyses, the spread. */
export interface RunDepth {
  name: string;
  /** e.g. "step 120" for a training run's record; empty for an analysis. */
  at: string;
  layers: LayerEntropy | null;
  spread?: AnalysisSpread;
}

export interface DepthCharts {
  residual: LayerProfileSeries[];
  attention: LayerProfileSeries[];
  ffn: LayerProfileSeries[];
  delta: LayerProfileSeries[];
  spread: LayerProfileSeries[];
}

/** Profile point 0 is the embeddings h_0; module values of layer j sit at point j. */
const afterEmbeddings = (xs: readonly number[]) => [Number.NaN, ...xs];

export function depthCharts(runs: readonly RunDepth[]): DepthCharts {
  const out: DepthCharts = { residual: [], attention: [], ffn: [], delta: [], spread: [] };
  runs.forEach((r, i) => {
    const color = seriesColor(i);
    const label = r.at ? `${r.name} (${r.at})` : r.name;
    const l = r.layers;
    if (l) {
      out.residual.push({ label, color, values: [l.layer.input[0] ?? Number.NaN, ...l.layer.output] });
      out.attention.push({ label, color, values: afterEmbeddings(l.attn.output) });
      out.ffn.push({ label, color, values: afterEmbeddings(l.ffn.output) });
      out.delta.push({ label: `${r.name} · attention ΔH`, color, values: afterEmbeddings(l.attn.change) });
      out.delta.push({
        label: `${r.name} · FFN ΔH`,
        color,
        values: afterEmbeddings(l.ffn.change),
        dashed: true,
      });
    }
    const s = r.spread;
    if (s) {
      out.spread.push({ label: `${r.name} · q25`, color, values: s.residual.q25, dashed: true });
      out.spread.push({ label: `${r.name} · median`, color, values: s.residual.median });
      out.spread.push({ label: `${r.name} · q75`, color, values: s.residual.q75, dashed: true });
    }
  });
  return out;
}
