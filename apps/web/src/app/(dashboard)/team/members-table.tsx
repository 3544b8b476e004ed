"use client";

import { TEAM_ROLES, type TeamRole } from "@bupo/shared/team";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import type { RouterOutputs } from "../../../server/api/root.ts";
import { describeError, useTRPC } from "../../../trpc/react.tsx";

type Team = RouterOutputs["team"]["get"];

export function MembersTable({ team }: { team: Team }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.team.get.queryKey({ teamId: team.id }) });
  const changeRole = useMutation(trpc.team.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.team.removeMember.mutationOptions({ onSuccess: refresh }));
  const canManage = team.myRole === "OWNER" || team.myRole === "ADMIN";
  const error = describeError(changeRole.error ?? remove.error).message;

  return (
    <Card
      title="Members"
      description={`${team.members.length} member${team.members.length === 1 ? "" : "s"}`}
    >
      {error ? <Alert>{error}</Alert> : null}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-2 pr-4 font-medium">Name</th>
              <th className="py-2 pr-4 font-medium">Email</th>
              <th className="py-2 pr-4 font-medium">Role</th>
              {canManage ? (
                <th className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {team.members.map((m) => (
              <tr key={m.id} data-testid={`member-${m.email}`}>
                <td className="py-2 pr-4">{m.name}</td>
                <td className="py-2 pr-4 text-zinc-600 dark:text-zinc-400">{m.email}</td>
                <td className="py-2 pr-4">
                  {canManage ? (
                    <select
                      aria-label={`Role of ${m.name}`}
                      value={m.role}
                      className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
                      onChange={(e) =>
                        changeRole.mutate({ teamId: team.id, userId: m.id, role: e.target.value as TeamRole })
                      }
                    >
                      {TEAM_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span data-testid="role">{m.role}</span>
                  )}
                </td>
                {canManage ? (
                  <td className="py-2 text-right">
                    {m.id === team.myUserId ? null : (
                      <Button
                        variant="secondary"
                        onClick={() => remove.mutate({ teamId: team.id, userId: m.id })}
                      >
                        Remove<span className="sr-only"> {m.name}</span>
                      </Button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
