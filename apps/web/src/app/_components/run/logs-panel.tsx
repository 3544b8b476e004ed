"use client";

import { useEffect, useRef } from "react";
import type { LogLine } from "./use-run-stream.ts";

const LEVEL: Record<string, string> = {
  error: "text-red-400",
  warn: "text-amber-300",
  info: "text-zinc-200",
  debug: "text-zinc-500",
};

/** The run's log lines, newest at the bottom, auto-scrolling while the reader is at the end. */
export function LogsPanel({ logs }: { logs: LogLine[] }) {
  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useEffect(() => {
    if (logs.length > 0 && atEnd.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [logs]);
  return (
    <section aria-labelledby="logs-heading" className="space-y-2">
      <h2 id="logs-heading" className="text-lg font-semibold">
        Logs
      </h2>
      <div
        ref={box}
        role="log"
        aria-live="polite"
        onScroll={(e) => {
          const el = e.currentTarget;
          atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        className="h-64 overflow-auto rounded-lg bg-zinc-950 p-3 font-mono text-xs"
      >
        {logs.length === 0 ? <p className="text-zinc-500">No log lines yet.</p> : null}
        {logs.map((l) => (
          <div key={`${l.attempt}:${l.seq}`} className={LEVEL[l.level] ?? "text-zinc-200"}>
            <span className="text-zinc-500">{new Date(l.at).toLocaleTimeString()} </span>
            {l.attempt > 1 ? <span className="text-zinc-500">[attempt {l.attempt}] </span> : null}
            {l.message}
          </div>
        ))}
      </div>
    </section>
  );
}
