"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import { TextLink } from "../../../components/ui/text-link.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";

export function AcceptInvitation({ token, signedInAs }: { token: string; signedInAs: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const preview = useQuery({ ...trpc.team.invitation.preview.queryOptions({ token }), retry: false });
  const accept = useMutation(
    trpc.team.invitation.accept.mutationOptions({
      onSuccess: () => {
        router.push("/team");
        router.refresh();
      },
    }),
  );
  const next = encodeURIComponent(`/invite/${token}`);

  if (preview.error) {
    return (
      <Card title="Invitation not found">
        <Alert>
          This invitation link is not valid. Check that you copied all of it, or ask a team admin for a new
          one.
        </Alert>
      </Card>
    );
  }
  if (!preview.data) return <p aria-busy="true">Loading invitation…</p>;
  const inv = preview.data;
  return (
    <Card title={`Join ${inv.teamName}`} description={`You are invited as ${inv.role}.`}>
      {inv.problem ? (
        <Alert>{inv.problem}</Alert>
      ) : signedInAs ? (
        <div className="space-y-3">
          {accept.error ? <Alert>{describeError(accept.error).message}</Alert> : null}
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Signed in as {signedInAs}.</p>
          <Button onClick={() => accept.mutate({ token })} disabled={accept.isPending}>
            Accept and join {inv.teamName}
          </Button>
        </div>
      ) : (
        <div className="flex gap-3 text-sm">
          <TextLink href={`/signup?next=${next}`}>Sign up to join</TextLink>
          <TextLink href={`/login?next=${next}`}>Log in to join</TextLink>
        </div>
      )}
    </Card>
  );
}
