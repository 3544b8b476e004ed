"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "../../../trpc/react.tsx";

/** Where a run view reads from: a member's session, or a public share link. */
export type RunSource = { kind: "member" } | { kind: "share"; token: string };

export interface StepRange {
  from: number;
  to: number;
}

/**
 * Refetches a query when live data moved on (`version` = last step received), at most once a second, and
 * only while the view is not zoomed into a fixed range.
 */
function useLiveRefetch(refetch: () => unknown, version: number, live: boolean) {
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!live || version === 0) return;
    const wait = Math.max(0, 1000 - (Date.now() - last.current));
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      refetch();
    }, wait);
  }, [version, live, refetch]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
}

/** Downsampled scalar series of one run. */
export function useSeries(
  source: RunSource,
  runId: string,
  keys: string[],
  range: StepRange | null,
  version: number,
  buckets = 1000,
) {
  const trpc = useTRPC();
  const input = { runId, keys, range, buckets };
  const q = useQuery({
    ...(source.kind === "share"
      ? trpc.share.series.queryOptions({ ...input, token: source.token })
      : trpc.run.series.queryOptions(input)),
    placeholderData: keepPreviousData,
  });
  useLiveRefetch(q.refetch, version, range === null);
  return q;
}

export function useLayerMatrix(
  source: RunSource,
  runId: string,
  field: "layerEntropy" | "attnEntropyDelta" | "ffnEntropyDelta",
  range: StepRange | null,
  version: number,
) {
  const trpc = useTRPC();
  const input = { runId, field, range, buckets: 200 };
  const q = useQuery({
    ...(source.kind === "share"
      ? trpc.share.layerMatrix.queryOptions({ ...input, token: source.token })
      : trpc.run.layerMatrix.queryOptions(input)),
    placeholderData: keepPreviousData,
  });
  useLiveRefetch(q.refetch, version, range === null);
  return q;
}

/** The per-layer entropy record at `step` (latest when undefined). */
export function useLayerProfile(source: RunSource, runId: string, step: number | undefined, version: number) {
  const trpc = useTRPC();
  const input = { runId, step };
  const q = useQuery({
    ...(source.kind === "share"
      ? trpc.share.layerProfile.queryOptions({ ...input, token: source.token })
      : trpc.run.layerProfile.queryOptions(input)),
    placeholderData: keepPreviousData,
  });
  useLiveRefetch(q.refetch, version, step === undefined);
  return q;
}
