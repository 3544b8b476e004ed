"use client";

import type { AnalysisResult } from "@bupo/shared/analysis-result";
import { DeltaBarChart } from "../../../components/charts/delta-bar-chart.tsx";
import { LayerProfileChart } from "../../../components/charts/layer-profile-chart.tsx";
import { deltaData, profileSeries } from "./layers-section.tsx";

/** Result of an entropy-analysis run: entropy by layer and ΔH by module, pooled over the probed tokens. */
export function AnalysisSection({ result }: { result: AnalysisResult | null }) {
  if (!result) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The analysis result appears here when the trainer finishes.
      </p>
    );
  }
  const shown = profileSeries(result.layers);
  const m = result.model;
  return (
    <section aria-labelledby="analysis-heading" className="space-y-3">
      <h2 id="analysis-heading" className="text-lg font-semibold">
        Internal-policy entropy
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {m.family} · {m.numLayers} layers · d={m.hiddenSize} · V={m.vocabSize} · {result.numSamples} samples,{" "}
        {result.layers.numTokens} pooled {result.positions} tokens · final policy entropy{" "}
        {result.finalEntropy.toFixed(3)} nats
        {result.meanReward !== undefined ? ` · mean reward ${result.meanReward.toFixed(2)}` : ""}
        {result.note ? ` · ${result.note}` : ""}
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <LayerProfileChart title="Entropy by layer" series={shown.series} layerLabels={shown.labels} />
        <DeltaBarChart
          title="Entropy change ΔH by module"
          subtitle="ΔH > 0 expands, < 0 converges"
          data={deltaData(result.layers)}
        />
      </div>
    </section>
  );
}
