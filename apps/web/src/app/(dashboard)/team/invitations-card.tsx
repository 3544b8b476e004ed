"use client";

import { ROLE_HELP, TEAM_ROLES, type TeamRole } from "@bupo/shared/team";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import { CopyField } from "../../../components/ui/copy-field.tsx";
import { SelectField, TextField } from "../../../components/ui/field.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";

export function InvitationsCard({ teamId, myRole }: { teamId: string; myRole: TeamRole }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<TeamRole>("MEMBER");
  const [hours, setHours] = useState("72");
  const [link, setLink] = useState<string | null>(null);
  const list = useQuery(trpc.team.invitation.list.queryOptions({ teamId }));
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.team.invitation.list.queryKey({ teamId }) });
  const create = useMutation(
    trpc.team.invitation.create.mutationOptions({
      onSuccess: (inv) => {
        setLink(`${window.location.origin}${inv.path}`);
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.team.invitation.revoke.mutationOptions({ onSuccess: refresh }));
  const { fields, message } = describeError(create.error);
  const roles = TEAM_ROLES.filter((r) => r !== "OWNER" || myRole === "OWNER");

  return (
    <Card
      title="Invite by link"
      description="Each link works once and expires. Send it over a channel you trust."
    >
      <form
        className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ teamId, role, expiresInHours: Number(hours) });
        }}
      >
        <SelectField
          id="invite-role"
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as TeamRole)}
          hint={ROLE_HELP[role]}
          error={fields.role}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <TextField
          id="invite-hours"
          label="Expires after (hours)"
          type="number"
          min={1}
          max={720}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          error={fields.expiresInHours}
          hint="1 to 720 hours."
        />
        <Button type="submit" disabled={create.isPending}>
          Create invite link
        </Button>
      </form>
      {message ? (
        <div className="mt-3">
          <Alert>{message}</Alert>
        </div>
      ) : null}
      {link ? (
        <CopyField id="invite-link" label="New invitation link" value={link} className="mt-4 space-y-2" />
      ) : null}
      <h3 className="mt-6 text-sm font-semibold">Invitations</h3>
      {list.data?.length ? (
        <ul className="mt-2 divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {list.data.map((inv) => (
            <li key={inv.id} className="flex flex-wrap items-center gap-3 py-2">
              <span className="font-medium">{inv.role}</span>
              <span className="text-zinc-600 dark:text-zinc-400" data-testid="invitation-state">
                {inv.state}
                {inv.acceptedBy ? ` by ${inv.acceptedBy.name}` : ""}
                {inv.state === "pending" ? ` · expires ${inv.expiresAt.toLocaleString()}` : ""}
              </span>
              {inv.state === "pending" ? (
                <Button
                  variant="secondary"
                  className="ml-auto"
                  onClick={() => revoke.mutate({ teamId, invitationId: inv.id })}
                >
                  Revoke
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No invitations yet.</p>
      )}
    </Card>
  );
}
