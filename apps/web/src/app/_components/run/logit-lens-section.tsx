"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { LogitLensGrid } from "../../../components/charts/logit-lens-grid.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";
import type { RunSource } from "./run-data.ts";

/**
 * Logit lens of one sampled answer at the latest checkpoint: what each layer would predict at each answer
 * position (top token and probability; focus or hover a cell for the top-k). Computed on demand by the trainer.
 */
export function LogitLensSection({
  source,
  runId,
  lastStep,
}: {
  source: RunSource;
  runId: string;
  lastStep: number;
}) {
  const trpc = useTRPC();
  const [requested, setRequested] = useState<number | null>(null);
  const [lens, setLens] = useState<"raw" | "normed">("raw");
  const input = { runId, lens, topK: 5 };
  const q = useQuery({
    ...(source.kind === "share"
      ? trpc.share.logitLens.queryOptions({ ...input, token: source.token })
      : trpc.run.logitLens.queryOptions(input)),
    enabled: requested !== null,
    retry: false,
    staleTime: 60_000,
  });
  const data = q.data;
  return (
    <section aria-labelledby="lens-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="lens-heading" className="text-lg font-semibold">
          Logit lens
        </h2>
        <label className="flex items-center gap-2 text-sm">
          Lens
          <select
            value={lens}
            onChange={(e) => setLens(e.target.value as "raw" | "normed")}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="raw">raw (W_U·h)</option>
            <option value="normed">normed (W_U·norm(h))</option>
          </select>
        </label>
        <Button
          variant="secondary"
          onClick={() => (requested === null ? setRequested(lastStep) : void q.refetch())}
          disabled={q.isFetching}
        >
          {q.isFetching
            ? "Computing…"
            : requested === null
              ? "Show for the latest checkpoint"
              : "Sample another answer"}
        </Button>
      </div>
      {q.error ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{describeError(q.error).message}</p>
      ) : null}
      {data ? (
        <LogitLensGrid
          title={`Checkpoint step ${data.step}`}
          subtitle={
            <span className="font-mono">
              {data.prompt} → {data.answer}
            </span>
          }
          data={{
            positions: data.positionTokens,
            rows: data.rows,
            layerLabels: data.rows.map((_, i) => (i === 0 ? "emb" : String(i))),
          }}
        />
      ) : requested === null ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Samples one answer from the run's latest checkpoint and shows every layer's prediction at each
          answer position.
        </p>
      ) : null}
    </section>
  );
}
