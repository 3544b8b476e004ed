"use client";

import type { AnalysisResult } from "@bupo/shared/analysis-result";
import type { EvalMetrics } from "@bupo/shared/metrics";
import type {
  ClientToServerEvents,
  RunLogPayload,
  RunStatusPayload,
  ServerToClientEvents,
} from "@bupo/shared/realtime";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { RunSource } from "./run-data.ts";

export type LogLine = RunLogPayload["lines"][number];

/** What the socket has delivered for one run. */
export interface RunLive {
  /** Highest step received (live or backfilled). */
  lastStep: number;
  status: RunStatusPayload | null;
  logs: LogLine[];
  evals: EvalMetrics[];
  analysis: AnalysisResult | null;
}

export interface RunsStream {
  connected: boolean;
  runs: Record<string, RunLive>;
  error: string | null;
  /** The server ended the stream (sign-out, revoked or expired share link); it does not reconnect. */
  ended: boolean;
}

export type RunStream = RunLive & Omit<RunsStream, "runs">;

const EMPTY_RUN: RunLive = { lastStep: 0, status: null, logs: [], evals: [], analysis: null };

function mergeLogs(held: LogLine[], lines: LogLine[]): LogLine[] {
  const seen = new Set(held.map((l) => `${l.attempt}:${l.seq}`));
  const fresh = lines.filter((l) => !seen.has(`${l.attempt}:${l.seq}`));
  if (!fresh.length) return held;
  return [...held, ...fresh].sort((a, b) => a.attempt - b.attempt || a.seq - b.seq).slice(-2000);
}

function mergeEvals(held: EvalMetrics[], evals: EvalMetrics[]): EvalMetrics[] {
  const key = (e: EvalMetrics) => `${e.step}:${e.dataSource}`;
  const byKey = new Map(held.map((e) => [key(e), e]));
  for (const e of evals) byKey.set(key(e), e);
  return [...byKey.values()].sort((a, b) => a.step - b.step);
}

/**
 * Live updates of runs over one Socket.IO connection: joins `run:<id>` for each, stating the last step held,
 * so a reconnect backfills only what was missed; duplicates are dropped by step / (attempt, seq). Charts read
 * history over tRPC (downsampled), so the first join states `knownSteps[id]` — the step the page loaded — and
 * the socket carries only what comes after it (a 100k-step run is never streamed whole into the tab). A
 * share-link viewer's socket authenticates with the link's token and may watch the link's runs only; revoking
 * or expiring the link disconnects it (`ended`).
 */
export function useRunsStream(
  source: RunSource,
  runIds: string[],
  knownSteps: Record<string, number> = {},
): RunsStream {
  const [state, setState] = useState<RunsStream>({ connected: false, runs: {}, error: null, ended: false });
  const lastSteps = useRef<Record<string, number>>({ ...knownSteps });
  const shareToken = source.kind === "share" ? source.token : undefined;
  const key = runIds.join(",");

  useEffect(() => {
    const ids = key.split(",").filter(Boolean);
    if (ids.length === 0) return;
    const watched = new Set(ids);
    const update = (runId: string, f: (r: RunLive) => RunLive) =>
      setState((s) => ({ ...s, runs: { ...s.runs, [runId]: f(s.runs[runId] ?? EMPTY_RUN) } }));
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ["websocket"],
      ...(shareToken === undefined ? {} : { auth: { shareToken } }),
    });
    socket.on("connect", () => {
      for (const runId of ids) {
        socket.emit("run:join", { runId, afterStep: lastSteps.current[runId] ?? 0 }, (ack) => {
          setState((s) => ({ ...s, connected: true, error: ack.ok ? null : ack.error.message }));
        });
      }
    });
    socket.on("disconnect", (reason) =>
      setState((s) => ({ ...s, connected: false, ended: s.ended || reason === "io server disconnect" })),
    );
    socket.on("connect_error", (e) => setState((s) => ({ ...s, connected: false, error: e.message })));
    socket.on("run:metrics", (p) => {
      if (!watched.has(p.runId)) return;
      const max = Math.max(lastSteps.current[p.runId] ?? 0, ...p.metrics.map((m) => m.step));
      lastSteps.current[p.runId] = max;
      update(p.runId, (r) => (r.lastStep === max ? r : { ...r, lastStep: max }));
    });
    socket.on("run:status", (p) => {
      if (watched.has(p.runId)) update(p.runId, (r) => ({ ...r, status: p }));
    });
    socket.on("run:log", (p) => {
      if (watched.has(p.runId)) update(p.runId, (r) => ({ ...r, logs: mergeLogs(r.logs, p.lines) }));
    });
    socket.on("run:eval", (p) => {
      if (watched.has(p.runId)) update(p.runId, (r) => ({ ...r, evals: mergeEvals(r.evals, p.evals) }));
    });
    socket.on("run:analysis", (p) => {
      if (watched.has(p.runId)) update(p.runId, (r) => ({ ...r, analysis: p.result }));
    });
    return () => {
      socket.close();
    };
  }, [key, shareToken]);

  return state;
}

/** Live updates of one run (see {@link useRunsStream}). */
export function useRunStream(source: RunSource, runId: string, knownStep = 0): RunStream {
  const { runs, ...rest } = useRunsStream(source, [runId], { [runId]: knownStep });
  return { ...(runs[runId] ?? EMPTY_RUN), ...rest };
}
