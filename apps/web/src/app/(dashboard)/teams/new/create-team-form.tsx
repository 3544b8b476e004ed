"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "../../../../components/ui/alert.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { Card } from "../../../../components/ui/card.tsx";
import { TextField } from "../../../../components/ui/field.tsx";
import { describeError, useTRPC } from "../../../../trpc/react.tsx";

export function CreateTeamForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation(trpc.team.create.mutationOptions());
  const { fields, message } = describeError(create.error);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const team = await create.mutateAsync({ name }).catch(() => null);
    if (!team) return;
    await queryClient.invalidateQueries();
    router.push("/team");
  }

  return (
    <Card
      title="Create a team"
      description="Teams share runs, comparisons and share links. You will be its owner."
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {message ? <Alert>{message}</Alert> : null}
        <TextField
          id="name"
          label="Team name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <Button type="submit" disabled={create.isPending}>
          Create team
        </Button>
      </form>
    </Card>
  );
}
