"use client";

import type { AnalysisResult } from "@bupo/shared/analysis-result";
import type { RunConfig } from "@bupo/shared/run-config";
import { DeltaBarChart } from "../../../components/charts/delta-bar-chart.tsx";
import { LayerProfileChart } from "../../../components/charts/layer-profile-chart.tsx";
import { seriesColor } from "../../../components/charts/series-palette.ts";
import { AnalysisCards } from "./analysis-cards.tsx";
import { deltaData, profileSeries } from "./layers-section.tsx";
import { TokenViewsSection } from "./token-views-section.tsx";

/** Quartiles of per-sample entropy of the residual stream, as profile series. */
function spreadSeries(result: AnalysisResult) {
  const s = result.spread?.residual;
  if (!s) return [];
  return [
    { label: "q25", color: seriesColor(0), values: s.q25, dashed: true },
    { label: "median", color: seriesColor(0), values: s.median },
    { label: "q75", color: seriesColor(0), values: s.q75, dashed: true },
  ];
}

/**
 * Result of an entropy-analysis run: the model and data cards, entropy by layer and ΔH by module pooled over
 * the probed tokens, the spread across samples, and the token × layer view of the first samples.
 */
export function AnalysisSection({ result, config }: { result: AnalysisResult | null; config: RunConfig }) {
  if (!result) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The analysis result appears here when the trainer finishes.
      </p>
    );
  }
  const shown = profileSeries(result.layers);
  return (
    <section aria-labelledby="analysis-heading" className="space-y-4">
      <h2 id="analysis-heading" className="text-lg font-semibold">
        Internal-policy entropy
      </h2>
      <AnalysisCards result={result} config={config} />
      <div className="grid gap-4 lg:grid-cols-2">
        <LayerProfileChart title="Entropy by layer" series={shown.series} layerLabels={shown.labels} />
        <DeltaBarChart
          title="Entropy change ΔH by module"
          subtitle="ΔH > 0 expands, < 0 converges"
          data={deltaData(result.layers)}
        />
        <LayerProfileChart
          title={`Spread across ${result.spread?.samples ?? 0} samples (residual stream)`}
          series={spreadSeries(result)}
          layerLabels={shown.labels}
          emptyMessage="This result was stored without the spread across samples."
        />
      </div>
      <TokenViewsSection views={result.tokenViews} />
    </section>
  );
}
