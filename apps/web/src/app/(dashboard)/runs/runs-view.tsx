"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "../../../components/ui/card.tsx";
import { useTRPC } from "../../../trpc/react.tsx";
import { useActiveTeam } from "../_components/use-active-team.ts";

export function RunsView() {
  const trpc = useTRPC();
  const team = useActiveTeam();
  const runs = useQuery({ ...trpc.run.list.queryOptions({ teamId: team?.id ?? "" }), enabled: !!team });

  if (team === null) {
    return (
      <Card
        title="Create a team to start"
        description="Runs belong to a team. Create one, or open an invitation link from a teammate."
      >
        <Link
          href="/teams/new"
          className="text-sm font-medium text-emerald-700 underline dark:text-emerald-400"
        >
          Create a team
        </Link>
      </Card>
    );
  }
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">Runs{team ? ` · ${team.name}` : ""}</h1>
      </div>
      {!runs.data ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-busy="true">
          Loading runs…
        </p>
      ) : runs.data.length === 0 ? (
        <Card
          title="No runs yet"
          description="BuPO, GRPO and entropy-analysis runs of this team will appear here, with live progress and per-layer metrics."
        >
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Launching runs from a form arrives with the trainer service; until then, the trainer CLI (
            <code className="font-mono">npm run cli -w @bupo/trainer -- train --config run.json</code>) trains
            locally.
          </p>
        </Card>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {runs.data.map((run) => (
            <li key={run.id} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
              <span className="font-medium">{run.name}</span>
              <span className="text-zinc-600 dark:text-zinc-400">
                {run.algorithm} · {run.modelFamily} · {run.status.toLowerCase()} · step {run.lastStep}/
                {run.totalSteps}
              </span>
              <span className="ml-auto text-zinc-500">{run.creator.name}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
