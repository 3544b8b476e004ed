"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "../../../trpc/react.tsx";

const NEW_TEAM = "__new__";

/** Select of the user's teams; choosing one makes it the active team everywhere. */
export function TeamSwitcher() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const teams = useQuery(trpc.team.list.queryOptions());
  const switchTeam = useMutation(
    trpc.team.switch.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        router.refresh();
      },
    }),
  );
  if (!teams.data) return <span className="h-8 w-40 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />;
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Active team</span>
      <select
        aria-label="Active team"
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        value={teams.data.activeTeamId ?? ""}
        onChange={(e) => {
          if (e.target.value === NEW_TEAM) router.push("/teams/new");
          else switchTeam.mutate({ teamId: e.target.value });
        }}
      >
        {teams.data.activeTeamId ? null : <option value="">No team yet</option>}
        {teams.data.teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
        <option value={NEW_TEAM}>+ New team…</option>
      </select>
    </label>
  );
}
