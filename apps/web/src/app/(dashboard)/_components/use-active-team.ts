"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../trpc/react.tsx";

/** The active team (id, name, role), `null` when the user has none, `undefined` while loading. */
export function useActiveTeam() {
  const trpc = useTRPC();
  const teams = useQuery(trpc.team.list.queryOptions());
  if (!teams.data) return undefined;
  return teams.data.teams.find((t) => t.id === teams.data.activeTeamId) ?? null;
}
