"use client";

import type { LayerEntropy } from "@bupo/shared/metrics";
import type { RunConfig } from "@bupo/shared/run-config";
import { useState } from "react";
import { DeltaBarChart } from "../../../components/charts/delta-bar-chart.tsx";
import { LayerHeatmap } from "../../../components/charts/layer-heatmap.tsx";
import { LayerProfileChart } from "../../../components/charts/layer-profile-chart.tsx";
import { seriesColor } from "../../../components/charts/series-palette.ts";
import type { LayerMarker } from "../../../components/charts/types.ts";
import { phaseMarkers } from "./chart-keys.ts";
import { type RunSource, useLayerMatrix, useLayerProfile } from "./run-data.ts";

/** Profile series of one LayerEntropy record: residual stream h_0..h_L, attention and FFN outputs. */
export function profileSeries(layers: LayerEntropy, label = "") {
  const L = layers.layer.output.length;
  const pad = (xs: number[]) => [Number.NaN, ...xs];
  return {
    labels: Array.from({ length: L + 1 }, (_, i) => (i === 0 ? "emb" : String(i))),
    series: [
      {
        label: `${label}residual h_l`,
        color: seriesColor(0),
        values: [layers.layer.input[0] ?? Number.NaN, ...layers.layer.output],
      },
      { label: `${label}attention output`, color: seriesColor(1), values: pad(layers.attn.output) },
      { label: `${label}FFN output`, color: seriesColor(2), values: pad(layers.ffn.output) },
    ],
  };
}

export function deltaData(layers: LayerEntropy) {
  return {
    layerLabels: layers.attn.change.map((_, i) => String(i + 1)),
    attention: layers.attn.change,
    ffn: layers.ffn.change,
  };
}

/** BuPO's internal layer k on depth axes (profile point k+1 = output of paper layer k+1). */
export function internalLayerMarker(config: RunConfig | undefined): LayerMarker[] {
  return config?.kind === "train" && config.algorithm === "bupo"
    ? [{ layer: config.rl.internalLayer + 1, label: `k=${config.rl.internalLayer}` }]
    : [];
}

/** Per-layer views of a training run: profile at a scrubbed step, layer × step heatmap, ΔH bars. */
export function LayersSection({
  source,
  runId,
  config,
  version,
}: {
  source: RunSource;
  runId: string;
  config?: RunConfig;
  version: number;
}) {
  const [step, setStep] = useState<number | undefined>(undefined);
  const matrix = useLayerMatrix(source, runId, "layerEntropy", null, version);
  const profile = useLayerProfile(source, runId, step, version);
  const layers = profile.data?.layers ?? null;
  const shown = layers ? profileSeries(layers) : null;
  const L = matrix.data?.values.length ?? 0;
  const lensNote =
    layers?.lens === "normed" ? "normed logit lens" : "raw lens W_U·h (repo-faithful, no final norm)";

  return (
    <section aria-labelledby="layers-heading" className="space-y-3">
      <h2 id="layers-heading" className="text-lg font-semibold">
        Internal policies by layer
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Entropy (nats) of the policy obtained by unembedding each layer's residual stream and each module's
        output ({lensNote}); layer 0 = embeddings. Measured every{" "}
        {config?.kind === "train" ? config.schedule.entropyEvery : "—"} steps on a sample of the step's own
        answers.
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <LayerProfileChart
          title={profile.data?.step ? `Entropy by layer · step ${profile.data.step}` : "Entropy by layer"}
          series={shown?.series ?? []}
          layerLabels={shown?.labels}
          layerMarkers={internalLayerMarker(config)}
          steps={matrix.data?.steps}
          step={step ?? profile.data?.step ?? undefined}
          onStepChange={setStep}
          stepMarkers={phaseMarkers(config)}
          loading={profile.isLoading}
          emptyMessage="No per-layer measurement yet."
        />
        <DeltaBarChart
          title="Entropy change ΔH by module"
          subtitle={
            profile.data?.step ? `step ${profile.data.step} · ΔH > 0 expands, < 0 converges` : undefined
          }
          data={layers ? deltaData(layers) : { layerLabels: [], attention: [], ffn: [] }}
          layerMarkers={internalLayerMarker(config).map((m) => ({ ...m, layer: m.layer - 1 }))}
          loading={profile.isLoading}
          emptyMessage="No per-layer measurement yet."
        />
      </div>
      <LayerHeatmap
        title="Layer × step entropy (last layer on top)"
        data={{
          steps: matrix.data?.steps ?? [],
          values: matrix.data?.values ?? [],
          layerLabels: Array.from({ length: L }, (_, i) => (i === 0 ? "emb" : String(i))),
        }}
        markers={phaseMarkers(config)}
        onCellSelect={(c) => setStep(c.step)}
        loading={matrix.isLoading}
        emptyMessage="No per-layer measurement yet."
      />
    </section>
  );
}
