"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";

/** Every share link of the team, with its state; creators and admins revoke. */
export function ShareLinksCard({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const links = useQuery(trpc.share.list.queryOptions({ teamId }));
  const revoke = useMutation(
    trpc.share.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.share.list.queryKey({ teamId }) }),
    }),
  );
  return (
    <Card
      title="Share links"
      description="Read-only links to runs and comparisons. Anyone with an active link can view those runs, and nothing else of the team."
    >
      {revoke.error ? <Alert>{describeError(revoke.error).message}</Alert> : null}
      {!links.data?.length ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No share links yet. Create one from a run or a comparison.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {links.data.map((l) => (
            <li key={l.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="share-link-row">
              <span className="min-w-0 flex-1">
                {l.runs.map((r, i) => (
                  <span key={r.id}>
                    {i > 0 ? " vs " : ""}
                    <Link href={`/runs/${r.id}`} className="font-medium hover:underline">
                      {r.name}
                    </Link>
                  </span>
                ))}
                <span className="block text-xs text-zinc-500">
                  by {l.createdBy.name} · {l.createdAt.toLocaleString()}
                  {l.expiresAt ? ` · expires ${l.expiresAt.toLocaleString()}` : " · no expiry"}
                </span>
              </span>
              <span data-testid="share-state" className="text-xs font-medium">
                {l.state}
              </span>
              {l.state === "active" ? (
                <Button variant="secondary" onClick={() => revoke.mutate({ teamId, shareId: l.id })}>
                  Revoke
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
