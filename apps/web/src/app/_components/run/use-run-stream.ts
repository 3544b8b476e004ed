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

export type LogLine = RunLogPayload["lines"][number];

export interface RunStream {
  connected: boolean;
  /** Highest step received (live or backfilled). */
  lastStep: number;
  status: RunStatusPayload | null;
  logs: LogLine[];
  evals: EvalMetrics[];
  analysis: AnalysisResult | null;
  error: string | null;
}

/**
 * Live updates of one run over Socket.IO: joins `run:<id>` stating the last step held, so a reconnect
 * backfills only what was missed; duplicates are dropped by step / (attempt, seq). Charts read history over
 * tRPC (downsampled), so the first join states `knownStep` — the step the page loaded — and the socket
 * carries only what comes after it (a 100k-step run is never streamed whole into the tab).
 */
export function useRunStream(runId: string, enabled = true, knownStep = 0): RunStream {
  const [state, setState] = useState<RunStream>({
    connected: false,
    lastStep: 0,
    status: null,
    logs: [],
    evals: [],
    analysis: null,
    error: null,
  });
  const lastStep = useRef(knownStep);

  useEffect(() => {
    if (!enabled) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ["websocket"] });
    const join = () =>
      socket.emit("run:join", { runId, afterStep: lastStep.current }, (ack) => {
        setState((s) => ({ ...s, connected: true, error: ack.ok ? null : ack.error.message }));
      });
    socket.on("connect", join);
    socket.on("disconnect", () => setState((s) => ({ ...s, connected: false })));
    socket.on("connect_error", (e) => setState((s) => ({ ...s, connected: false, error: e.message })));
    socket.on("run:metrics", (p) => {
      if (p.runId !== runId) return;
      const max = Math.max(lastStep.current, ...p.metrics.map((m) => m.step));
      lastStep.current = max;
      setState((s) => (s.lastStep === max ? s : { ...s, lastStep: max }));
    });
    socket.on("run:status", (p) => {
      if (p.runId === runId) setState((s) => ({ ...s, status: p }));
    });
    socket.on("run:log", (p) => {
      if (p.runId !== runId) return;
      setState((s) => {
        const seen = new Set(s.logs.map((l) => `${l.attempt}:${l.seq}`));
        const fresh = p.lines.filter((l) => !seen.has(`${l.attempt}:${l.seq}`));
        if (!fresh.length) return s;
        const logs = [...s.logs, ...fresh]
          .sort((a, b) => a.attempt - b.attempt || a.seq - b.seq)
          .slice(-2000);
        return { ...s, logs };
      });
    });
    socket.on("run:eval", (p) => {
      if (p.runId !== runId) return;
      setState((s) => {
        const key = (e: EvalMetrics) => `${e.step}:${e.dataSource}`;
        const byKey = new Map(s.evals.map((e) => [key(e), e]));
        for (const e of p.evals) byKey.set(key(e), e);
        return { ...s, evals: [...byKey.values()].sort((a, b) => a.step - b.step) };
      });
    });
    socket.on("run:analysis", (p) => {
      if (p.runId === runId) setState((s) => ({ ...s, analysis: p.result }));
    });
    return () => {
      socket.close();
    };
  }, [runId, enabled]);

  return state;
}
