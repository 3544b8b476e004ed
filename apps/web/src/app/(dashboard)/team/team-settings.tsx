"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import { TextLink } from "../../../components/ui/text-link.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";
import { useActiveTeam } from "../_components/use-active-team.ts";
import { InvitationsCard } from "./invitations-card.tsx";
import { MembersTable } from "./members-table.tsx";
import { ShareLinksCard } from "./share-links-card.tsx";

export function TeamSettings() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const active = useActiveTeam();
  const team = useQuery({ ...trpc.team.get.queryOptions({ teamId: active?.id ?? "" }), enabled: !!active });
  const leave = useMutation(
    trpc.team.leave.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        router.push("/runs");
      },
    }),
  );

  if (active === null) {
    return (
      <Card title="No team yet" description="Create a team or open an invitation link.">
        <TextLink href="/teams/new" className="text-sm">
          Create a team
        </TextLink>
      </Card>
    );
  }
  if (!team.data)
    return (
      <p aria-busy="true" className="text-sm text-zinc-600">
        Loading team…
      </p>
    );
  const isAdmin = team.data.myRole === "OWNER" || team.data.myRole === "ADMIN";

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">{team.data.name}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Your role: <span data-testid="my-role">{team.data.myRole}</span>
        </p>
      </div>
      <MembersTable team={team.data} />
      {isAdmin ? <InvitationsCard teamId={team.data.id} myRole={team.data.myRole} /> : null}
      <ShareLinksCard teamId={team.data.id} />
      <Card
        title="Leave team"
        description="You lose access to this team's runs. The last owner cannot leave."
      >
        {leave.error ? <Alert>{describeError(leave.error).message}</Alert> : null}
        <Button variant="danger" className="mt-2" onClick={() => leave.mutate({ teamId: team.data.id })}>
          Leave {team.data.name}
        </Button>
      </Card>
    </div>
  );
}
