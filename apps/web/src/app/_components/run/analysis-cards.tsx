import type { AnalysisResult } from "@bupo/shared/analysis-result";
import { fileRefText } from "@bupo/shared/file-ref";
import { modelSourceText } from "@bupo/shared/model-config";
import type { RunConfig } from "@bupo/shared/run-config";
import type { ReactNode } from "react";

/** 1234567 → "1.23M". */
export function formatParameters(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

/** Where the weights came from, in words. */
export function modelOrigin(config: RunConfig): string {
  const m = config.model;
  if (m.source === "preset")
    return `fresh ${m.family}/${m.preset} preset, initialised with seed ${config.seed}`;
  return modelSourceText(m);
}

function Facts({ title, testId, rows }: { title: string; testId: string; rows: [string, ReactNode][] }) {
  return (
    <section
      aria-label={title}
      data-testid={testId}
      className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-600 dark:text-zinc-400">{k}</dt>
            <dd className="font-mono text-xs leading-5">{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The analysed model (as the trainer read it) and the probed data. */
export function AnalysisCards({ result, config }: { result: AnalysisResult; config: RunConfig }) {
  const m = result.model;
  const task = config.task;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Facts
        title="Model"
        testId="model-card"
        rows={[
          ["Family", m.family],
          ["Layers", m.numLayers],
          ["Hidden size", m.hiddenSize],
          ["Vocabulary", m.vocabSize.toLocaleString("en")],
          ["Parameters", formatParameters(m.parameters)],
          ["Source", modelOrigin(config)],
          ["Computed in", "float32 (weights converted on load)"],
        ]}
      />
      <Facts
        title="Data"
        testId="data-card"
        rows={[
          [
            "Task",
            task.source === "builtin"
              ? `built-in ${task.name} (difficulty ${task.difficulty})`
              : `dataset ${fileRefText(task)}`,
          ],
          ["Samples", result.numSamples],
          ["Positions pooled", `${result.layers.numTokens} ${result.positions} tokens (token-weighted)`],
          ["Lens", result.layers.lens === "normed" ? "normed W_U·norm(h)" : "raw W_U·h"],
          ["Final policy entropy", `${result.finalEntropy.toFixed(3)} nats`],
          ...(result.meanReward === undefined
            ? []
            : ([["Mean reward", result.meanReward.toFixed(2)]] as [string, ReactNode][])),
          ...(result.note ? ([["Note", result.note]] as [string, ReactNode][]) : []),
        ]}
      />
    </div>
  );
}
