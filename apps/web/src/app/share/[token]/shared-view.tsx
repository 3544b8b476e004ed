"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "../../../components/ui/card.tsx";
import { useTRPC } from "../../../trpc/react.tsx";
import { CompareView } from "../../_components/compare/compare-view.tsx";
import { RunView } from "../../_components/run/run-view.tsx";

/** A run or comparison behind a share link; revoked, expired or unknown links get a clear page. */
export function SharedView({ token }: { token: string }) {
  const trpc = useTRPC();
  const shared = useQuery({ ...trpc.share.resolve.queryOptions({ token }), retry: false });
  if (shared.error) {
    return (
      <Card title="This share link does not work">
        <p className="text-sm" data-testid="share-problem">
          It is not a valid share link. Check that you copied all of it, or ask the team that shared it for a
          new one.
        </p>
      </Card>
    );
  }
  if (!shared.data) return <p aria-busy="true">Loading…</p>;
  if (shared.data.state !== "active") {
    return (
      <Card
        title={
          shared.data.state === "revoked" ? "This share link was revoked" : "This share link has expired"
        }
      >
        <p className="text-sm" data-testid="share-problem">
          {shared.data.problem}
        </p>
      </Card>
    );
  }
  const source = { kind: "share" as const, token };
  const [only] = shared.data.runs;
  if (shared.data.runs.length === 1 && only) return <RunView source={source} run={only} />;
  return <CompareView source={source} runs={shared.data.runs} configDiff={shared.data.configDiff} />;
}
