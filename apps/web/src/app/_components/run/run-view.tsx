"use client";

import type { AnalysisResult } from "@bupo/shared/analysis-result";
import { fileRefText } from "@bupo/shared/file-ref";
import { modelSourceText } from "@bupo/shared/model-config";
import type { RunConfig } from "@bupo/shared/run-config";
import type { RunStatus } from "@bupo/shared/trainer-protocol";
import type { ReactNode } from "react";
import { AnalysisSection } from "./analysis-section.tsx";
import { ConfigPanel } from "./config-panel.tsx";
import { LayersSection } from "./layers-section.tsx";
import { LiveNote } from "./live-note.tsx";
import { LogitLensSection } from "./logit-lens-section.tsx";
import { LogsPanel } from "./logs-panel.tsx";
import { MetricsSection } from "./metrics-section.tsx";
import type { RunSource } from "./run-data.ts";
import { formatDuration, ProgressBar, StatusBadge } from "./status-badge.tsx";
import { useRunStream } from "./use-run-stream.ts";

export interface RunViewRun {
  id: string;
  name: string;
  kind: "TRAIN" | "ANALYSIS";
  status: RunStatus;
  lastStep: number;
  totalSteps: number;
  etaSeconds: number | null;
  errorMessage: string | null;
  config: RunConfig;
  verlCommand: string | null;
  creator: { name: string };
  createdAt: Date;
  analysis: AnalysisResult | null;
}

/** A run, live: status, progress, charts, per-layer views, logs and config. Used by members and share links. */
export function RunView({
  source,
  run,
  actions,
}: {
  source: RunSource;
  run: RunViewRun;
  /** Header buttons; a function gets the live status (a run page stays open while the run finishes). */
  actions?: ReactNode | ((status: RunStatus) => ReactNode);
}) {
  // Members' sockets authenticate with the session, share-link viewers' with the link's token.
  const stream = useRunStream(source, run.id, run.lastStep);
  const status = stream.status?.status ?? run.status;
  const lastStep = Math.max(run.lastStep, stream.lastStep);
  const message = stream.status?.message ?? run.errorMessage;

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold" data-testid="run-name">
            {run.name}
          </h1>
          <StatusBadge status={status} />
          {stream.connected ? (
            <span data-testid="live-indicator" className="text-xs text-emerald-700 dark:text-emerald-400">
              ● live
            </span>
          ) : null}
          <div className="ml-auto flex flex-wrap items-start gap-2">
            {typeof actions === "function" ? actions(status) : actions}
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm text-zinc-600 dark:text-zinc-400">
          {run.kind === "TRAIN" ? <ProgressBar step={lastStep} total={run.totalSteps} /> : null}
          {status === "running" && run.etaSeconds !== null ? (
            <span>ETA {formatDuration(run.etaSeconds)}</span>
          ) : null}
          <span>
            {run.config.kind === "train" ? run.config.algorithm.toUpperCase() : "Entropy analysis"} ·{" "}
            {run.config.model.source === "preset"
              ? `${run.config.model.family} ${run.config.model.preset}`
              : modelSourceText(run.config.model)}{" "}
            · {run.config.task.source === "builtin" ? run.config.task.name : fileRefText(run.config.task)}
          </span>
          <span>by {run.creator.name}</span>
        </div>
        {message && (status === "failed" || status === "cancelled" || status === "queued") ? (
          <p
            role={status === "failed" ? "alert" : "status"}
            className="text-sm text-zinc-700 dark:text-zinc-300"
          >
            {message}
          </p>
        ) : null}
        <LiveNote source={source} stream={stream} />
      </header>
      {run.kind === "TRAIN" ? (
        <>
          <MetricsSection
            source={source}
            runId={run.id}
            runName={run.name}
            config={run.config}
            stream={stream}
          />
          <LayersSection source={source} runId={run.id} config={run.config} version={stream.lastStep} />
          <LogitLensSection source={source} runId={run.id} lastStep={lastStep} />
        </>
      ) : (
        <AnalysisSection result={stream.analysis ?? run.analysis} config={run.config} />
      )}
      {source.kind === "member" ? <LogsPanel logs={stream.logs} /> : null}
      <ConfigPanel config={run.config} verlCommand={run.verlCommand} />
    </div>
  );
}
