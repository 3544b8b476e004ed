"use client";

import { LayerProfileChart } from "../../../components/charts/layer-profile-chart.tsx";
import { depthCharts, type RunDepth } from "./compare-depth-data.ts";

/**
 * The comparison the paper draws, on the relative-depth axis: residual stream, attention output and FFN output
 * entropy per run, ΔH per module (attention solid, FFN dashed), and the spread across samples.
 */
export function CompareDepthSection({ runs, loading }: { runs: RunDepth[]; loading: boolean }) {
  const charts = depthCharts(runs);
  const empty = "No per-layer measurements yet.";
  const common = { normalizeDepth: true, loading, emptyMessage: empty } as const;
  return (
    <section aria-labelledby="cmp-layers" className="space-y-3" data-testid="compare-depth">
      <h2 id="cmp-layers" className="text-lg font-semibold">
        Entropy by depth
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Entropy (nats) of the policy read from each layer (logit lens), on a depth-normalised axis (layer / L)
        so models of different depth line up: analysis runs pooled over their probed tokens, training runs at
        their latest measured step.
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <LayerProfileChart
          title="Residual stream h_l by relative depth"
          series={charts.residual}
          {...common}
        />
        <LayerProfileChart title="Attention output by relative depth" series={charts.attention} {...common} />
        <LayerProfileChart title="FFN output by relative depth" series={charts.ffn} {...common} />
        <LayerProfileChart
          title="Entropy change ΔH per module (attention solid, FFN dashed)"
          yLabel="ΔH (nats)"
          series={charts.delta}
          zeroLine
          {...common}
        />
        <LayerProfileChart
          title="Spread across samples: residual stream, quartiles of per-sample entropy"
          series={charts.spread}
          {...common}
          emptyMessage="Analysis runs show the spread across their samples here."
        />
      </div>
    </section>
  );
}
