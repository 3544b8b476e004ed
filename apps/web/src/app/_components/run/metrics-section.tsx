"use client";

import type { RunConfig } from "@bupo/shared/run-config";
import { useState } from "react";
import { MetricChart } from "../../../components/charts/metric-chart.tsx";
import { seriesColor } from "../../../components/charts/series-palette.ts";
import { SmoothingControl } from "../../../components/charts/smoothing-control.tsx";
import type { StepRange } from "../../../components/charts/types.ts";
import { METRIC_CHARTS, phaseMarkers } from "./chart-keys.ts";
import { type RunSource, useSeries } from "./run-data.ts";
import type { RunStream } from "./use-run-stream.ts";

/** All scalar charts of one run; zoom on any re-queries every chart for that step range. */
export function MetricsSection({
  source,
  runId,
  runName,
  config,
  stream,
}: {
  source: RunSource;
  runId: string;
  runName: string;
  config?: RunConfig;
  stream: RunStream;
}) {
  const [range, setRange] = useState<StepRange | null>(null);
  const [smoothing, setSmoothing] = useState(0);
  const keys = METRIC_CHARTS.map((c) => c.key);
  const series = useSeries(source, runId, keys, range, stream.lastStep);
  const markers = phaseMarkers(config);
  const evalKeys = [...new Set(stream.evals.map((e) => e.dataSource))];

  return (
    <section aria-labelledby="metrics-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-4">
        <h2 id="metrics-heading" className="text-lg font-semibold">
          Training metrics
        </h2>
        <SmoothingControl value={smoothing} onChange={setSmoothing} />
        {range ? (
          <button
            type="button"
            className="text-sm text-emerald-700 underline dark:text-emerald-400"
            onClick={() => setRange(null)}
          >
            Showing steps {range.from}–{range.to} · reset zoom
          </button>
        ) : null}
      </div>
      <div className="grid gap-4 lg:grid-cols-2" data-testid="metric-charts">
        {METRIC_CHARTS.map((c) => {
          const data = series.data?.series.find((s) => s.key === c.key);
          return (
            <MetricChart
              key={c.key}
              title={c.title}
              yLabel={c.yLabel}
              series={data ? [{ label: runName, color: seriesColor(0), data }] : []}
              markers={markers}
              smoothing={smoothing}
              range={range}
              onRangeChange={setRange}
              loading={series.isLoading}
              emptyMessage="No steps yet — metrics appear here live."
              syncKey={`run-${runId}`}
            />
          );
        })}
        {evalKeys.map((ds) => {
          const evals = stream.evals.filter((e) => e.dataSource === ds);
          const col = (f: (e: (typeof evals)[number]) => number) => evals.map(f);
          const k = evals[0]?.k ?? 1;
          const steps = col((e) => e.step);
          const line = (key: string, values: number[]) => ({
            key,
            step: steps,
            min: values,
            max: values,
            mean: values,
          });
          return (
            <MetricChart
              key={`eval-${ds}`}
              title={`Evaluation on ${ds} (mean@${k}, pass@${k})`}
              yLabel="accuracy"
              series={[
                {
                  label: `mean@${k}`,
                  color: seriesColor(1),
                  data: line(
                    `mean@${k}`,
                    col((e) => e["mean@k"]),
                  ),
                },
                {
                  label: `pass@${k}`,
                  color: seriesColor(2),
                  data: line(
                    `pass@${k}`,
                    col((e) => e["pass@k"]),
                  ),
                },
              ]}
              markers={markers}
              syncKey={`run-${runId}`}
            />
          );
        })}
      </div>
    </section>
  );
}
