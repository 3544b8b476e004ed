"use client";

import type { AnalysisResult } from "@bupo/shared/analysis-result";
import type { ConfigDifference } from "@bupo/shared/config-diff";
import type { LayerEntropy } from "@bupo/shared/metrics";
import type { RunConfig } from "@bupo/shared/run-config";
import type { RunStatus } from "@bupo/shared/trainer-protocol";
import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { MetricChart } from "../../../components/charts/metric-chart.tsx";
import { seriesColor } from "../../../components/charts/series-palette.ts";
import { SmoothingControl } from "../../../components/charts/smoothing-control.tsx";
import type { StepRange } from "../../../components/charts/types.ts";
import { useTRPC } from "../../../trpc/react.tsx";
import { METRIC_CHARTS, phaseMarkers } from "../run/chart-keys.ts";
import { LiveNote } from "../run/live-note.tsx";
import type { RunSource } from "../run/run-data.ts";
import { StatusBadge } from "../run/status-badge.tsx";
import { useRunsStream } from "../run/use-run-stream.ts";
import type { RunDepth } from "./compare-depth-data.ts";
import { CompareDepthSection } from "./compare-depth-section.tsx";

export interface CompareRun {
  id: string;
  name: string;
  kind: "TRAIN" | "ANALYSIS";
  status: RunStatus;
  lastStep: number;
  config: RunConfig;
  analysis: AnalysisResult | null;
}

const fmt = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * 2–8 runs side by side, live: the per-layer comparison along relative depth (analysis and training runs),
 * overlaid training curves when some run trains, and the config keys that differ.
 */
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
  const stream = useRunsStream(
    source,
    runs.map((r) => r.id),
    Object.fromEntries(runs.map((r) => [r.id, r.lastStep])),
  );
  const live = runs.map((r) => {
    const got = stream.runs[r.id];
    return {
      ...r,
      status: got?.status?.status ?? r.status,
      lastStep: Math.max(r.lastStep, got?.lastStep ?? 0),
      analysis: got?.analysis ?? r.analysis,
    };
  });
  const training = live.filter((r) => r.kind === "TRAIN");
  const keys = METRIC_CHARTS.map((c) => c.key);
  const series = useQueries({
    queries: training.map((r) => ({
      ...(source.kind === "share"
        ? trpc.share.series.queryOptions({ token: source.token, runId: r.id, keys, range, buckets: 1000 })
        : trpc.run.series.queryOptions({ runId: r.id, keys, range, buckets: 1000 })),
      placeholderData: keepPreviousData,
      refetchInterval: r.status === "running" ? 3000 : (false as const),
    })),
  });
  const profiles = useQueries({
    queries: training.map((r) => ({
      ...(source.kind === "share"
        ? trpc.share.layerProfile.queryOptions({ token: source.token, runId: r.id })
        : trpc.run.layerProfile.queryOptions({ runId: r.id })),
      refetchInterval: r.status === "running" ? 5000 : (false as const),
    })),
  });
  const markers = training.flatMap((r) =>
    phaseMarkers(r.config).map((m) => ({ ...m, label: `${r.name}: ${m.label}` })),
  );
  const depth: RunDepth[] = live.map((r) => {
    if (r.kind === "ANALYSIS")
      return {
        name: r.name,
        at: "",
        layers: r.analysis?.layers ?? null,
        ...(r.analysis?.spread ? { spread: r.analysis.spread } : {}),
      };
    const p = profiles[training.indexOf(r)]?.data;
    return { name: r.name, at: p?.step ? `step ${p.step}` : "", layers: (p?.layers as LayerEntropy) ?? null };
  });

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">Compare {runs.length} runs</h1>
          {stream.connected ? (
            <span data-testid="live-indicator" className="text-xs text-emerald-700 dark:text-emerald-400">
              ● live
            </span>
          ) : null}
          <div className="ml-auto flex gap-2">{actions}</div>
        </div>
        <ul className="flex flex-wrap gap-3 text-sm">
          {live.map((r, i) => (
            <li
              key={r.id}
              data-testid="compare-run"
              className="flex items-center gap-2 rounded-md border border-zinc-200 px-2 py-1 dark:border-zinc-800"
            >
              <span aria-hidden className="h-2 w-4 rounded" style={{ background: seriesColor(i) }} />
              <span className="font-medium">{r.name}</span>
              <StatusBadge status={r.status} />
              {r.kind === "TRAIN" ? (
                <span data-testid="run-step" className="text-xs text-zinc-500">
                  step {r.lastStep}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        <LiveNote source={source} stream={stream} />
      </header>

      <CompareDepthSection runs={depth} loading={profiles.some((p) => p.isLoading)} />

      {training.length > 0 ? (
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
                series={training.flatMap((r, i) => {
                  const data = series[i]?.data?.series.find((s) => s.key === c.key);
                  return data ? [{ label: r.name, color: seriesColor(live.indexOf(r)), data }] : [];
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
      ) : null}

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
