"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { Card } from "../../../components/ui/card.tsx";
import { TextLink } from "../../../components/ui/text-link.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";
import { CompareView } from "../../_components/compare/compare-view.tsx";
import { SharePanel } from "../../_components/share/share-dialog.tsx";

/** `/compare?runs=a,b,…` — the URL is the comparison (bookmark or send it to a teammate). */
export function ComparePage() {
  const trpc = useTRPC();
  const runIds = (useSearchParams().get("runs") ?? "").split(",").filter(Boolean);
  const compare = useQuery({ ...trpc.run.compare.queryOptions({ runIds }), enabled: runIds.length > 0 });
  if (runIds.length === 0) {
    return (
      <Card
        title="Pick runs to compare"
        description="Select two or more runs in the runs list and press Compare, or run the same analysis on several models."
      >
        <div className="flex gap-4">
          <TextLink href="/runs" className="text-sm">
            Go to runs
          </TextLink>
          <TextLink href="/compare/new" className="text-sm">
            Compare models
          </TextLink>
        </div>
      </Card>
    );
  }
  if (compare.error)
    return <Card title="Cannot compare these runs">{describeError(compare.error).message}</Card>;
  if (!compare.data) return <p aria-busy="true">Loading comparison…</p>;
  const { runs, configDiff } = compare.data;
  const teamId = runs[0]?.teamId;
  const sameTeam = runs.every((r) => r.teamId === teamId);
  return (
    <CompareView
      source={{ kind: "member" }}
      runs={runs}
      configDiff={configDiff}
      actions={sameTeam && teamId ? <SharePanel teamId={teamId} runIds={runs.map((r) => r.id)} /> : null}
    />
  );
}
