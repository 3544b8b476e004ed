"use client";

import { DEMO_RUN_TAG } from "@bupo/shared/demo-runs";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "../../../components/ui/alert.tsx";
import { useTRPC } from "../../../trpc/react.tsx";

/** While the demo team's first runs compute on the local trainer, says so above the runs list. */
export function DemoRunsNotice({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const demo = useQuery({
    ...trpc.run.list.queryOptions({ teamId, tag: DEMO_RUN_TAG, pageSize: 100 }),
    refetchInterval: (query) =>
      query.state.data?.runs.some((r) => r.status === "running" || r.status === "queued") ? 3000 : false,
  });
  const runs = demo.data?.runs ?? [];
  const pending = runs.filter((r) => r.status === "running" || r.status === "queued");
  if (!pending.length) return null;
  return (
    <Alert tone="info">
      Demo runs are computing on the local trainer ({runs.length - pending.length} of {runs.length} finished):
      a Qwen-style vs Llama-style analysis comparison and a BuPO/GRPO pair, tagged “{DEMO_RUN_TAG}”. They take
      a few minutes; open any of them to watch it live.
    </Alert>
  );
}
