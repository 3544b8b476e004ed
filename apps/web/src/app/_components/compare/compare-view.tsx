"use client";

import type { ConfigDifference } from "@bupo/shared/config-diff";
import type { LayerEntropy } from "@bupo/shared/metrics";
import type { RunConfig } from "@bupo/shared/run-config";
import type { RunStatus } from "@bupo/shared/trainer-protocol";
import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { LayerProfileChart } from "../../../components/charts/layer-profile-chart.tsx";
import { MetricChart } from "../../../components/charts/metric-chart.tsx";
import { seriesColor } from "../../../components/charts/series-palette.ts";
import { SmoothingControl } from "../../../components/charts/smoothing-control.tsx";
import type { StepRange } from "../../../components/charts/types.ts";
import { useTRPC } from "../../../trpc/react.tsx";
import { METRIC_CHARTS, phaseMarkers } from "../run/chart-keys.ts";
import type { RunSource } from "../run/run-data.ts";
import { StatusBadge } from "../run/status-badge.tsx";

export interface CompareRun {
  id: string;
  name: string;
  status: RunStatus;
  lastStep: number;
  config: RunConfig;
}

const fmt = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** Overlaid curves, depth-normalised per-layer profiles and the config keys that differ, for 2–8 runs. */
export function CompareView({
  source,
  runs,
  configDiff,
  actions,
}: {
  source: RunSource;
  runs: CompareRun[];
  configDiff: ConfigDifference[];
  actions?: ReactNode;
}) {
  const trpc = useTRPC();
  const [range, setRange] = useState<StepRange | null>(null);
  const [smoothing, setSmoothing] = useState(0);
  const keys = METRIC_CHARTS.map((c) => c.key);
  const series = useQueries({
    queries: runs.map((r) => ({
      ...(source.kind === "share"
        ? trpc.share.series.queryOptions({ token: source.token, runId: r.id, keys, range, buckets: 1000 })
        : trpc.run.series.queryOptions({ runId: r.id, keys, range, buckets: 1000 })),
      placeholderData: keepPreviousData,
      refetchInterval: r.status === "running" ? 3000 : (false as const),
    })),
  });
  const profiles = useQueries({
    queries: runs.map((r) =>
      source.kind === "share"
        ? trpc.share.layerProfile.queryOptions({ token: source.token, runId: r.id })
        : trpc.run.layerProfile.queryOptions({ runId: r.id }),
    ),
  });
  const markers = runs.flatMap((r) =>
    phaseMarkers(r.config).map((m) => ({ ...m, label: `${r.name}: ${m.label}` })),
  );
  const depthSeries = runs.flatMap((r, i) => {
    const layers = profiles[i]?.data?.layers as LayerEntropy | null | undefined;
    if (!layers) return [];
    return [
      {
        label: `${r.name} (step ${profiles[i]?.data?.step})`,
        color: seriesColor(i),
        values: [layers.layer.input[0] ?? Number.NaN, ...layers.layer.output],
      },
    ];
  });

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">Compare {runs.length} runs</h1>
          <div className="ml-auto flex gap-2">{actions}</div>
        </div>
        <ul className="flex flex-wrap gap-3 text-sm">
          {runs.map((r, i) => (
            <li
              key={r.id}
              className="flex items-center gap-2 rounded-md border border-zinc-200 px-2 py-1 dark:border-zinc-800"
            >
              <span aria-hidden className="h-2 w-4 rounded" style={{ background: seriesColor(i) }} />
              <span className="font-medium">{r.name}</span>
              <StatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      </header>

      <section aria-labelledby="cmp-metrics" className="space-y-3">
        <div className="flex flex-wrap items-center gap-4">
          <h2 id="cmp-metrics" className="text-lg font-semibold">
            Metrics
          </h2>
          <SmoothingControl value={smoothing} onChange={setSmoothing} />
        </div>
        <div className="grid gap-4 lg:grid-cols-2" data-testid="compare-charts">
          {METRIC_CHARTS.map((c) => (
            <MetricChart
              key={c.key}
              title={c.title}
              yLabel={c.yLabel}
              series={runs.flatMap((r, i) => {
                const data = series[i]?.data?.series.find((s) => s.key === c.key);
                return data ? [{ label: r.name, color: seriesColor(i), data }] : [];
              })}
              markers={markers}
              smoothing={smoothing}
              range={range}
              onRangeChange={setRange}
              loading={series.some((s) => s.isLoading)}
              syncKey="compare"
            />
          ))}
        </div>
      </section>

      <section aria-labelledby="cmp-layers" className="space-y-3">
        <h2 id="cmp-layers" className="text-lg font-semibold">
          Entropy by depth
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Residual-stream policy entropy at the latest measured step, on a depth-normalised axis (layer / L),
          so models of different depth line up.
        </p>
        <LayerProfileChart
          title="Entropy by relative depth"
          series={depthSeries}
          normalizeDepth
          emptyMessage="No per-layer measurements yet."
        />
      </section>

      <section aria-labelledby="cmp-config" className="space-y-3">
        <h2 id="cmp-config" className="text-lg font-semibold">
          Config differences
        </h2>
        {configDiff.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">The configs are identical.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="config-diff">
              <thead className="text-xs uppercase text-zinc-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">Setting</th>
                  {runs.map((r) => (
                    <th key={r.id} className="py-2 pr-4 font-medium">
                      {r.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 font-mono text-xs dark:divide-zinc-800">
                {configDiff.map((d) => (
                  <tr key={d.path}>
                    <td className="py-1.5 pr-4">{d.path}</td>
                    {d.values.map((v, i) => (
                      <td key={runs[i]?.id ?? i} className="py-1.5 pr-4">
                        {fmt(v)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
