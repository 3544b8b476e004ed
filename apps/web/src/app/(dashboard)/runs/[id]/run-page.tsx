"use client";

import { hasRole } from "@bupo/shared/team";
import type { RunStatus } from "@bupo/shared/trainer-protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "../../../../components/ui/alert.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { Card } from "../../../../components/ui/card.tsx";
import { TextLink } from "../../../../components/ui/text-link.tsx";
import { describeError, useTRPC } from "../../../../trpc/react.tsx";
import { RunView } from "../../../_components/run/run-view.tsx";
import { SharePanel } from "../../../_components/share/share-dialog.tsx";

const linkButton =
  "inline-flex items-center rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-medium shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";

export function RunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery(trpc.run.get.queryOptions({ runId }));
  const paired = useQuery({
    ...trpc.run.list.queryOptions({ teamId: run.data?.teamId ?? "", tag: `pair:${runId}`, pageSize: 5 }),
    enabled: !!run.data && run.data.config.algorithm === "bupo",
  });
  const cancel = useMutation(
    trpc.run.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.run.get.queryKey({ runId }) }),
    }),
  );

  if (run.error) {
    return (
      <Card
        title="Run not found"
        description="It may have been deleted, or it belongs to a team you are not in."
      >
        <TextLink href="/runs" className="text-sm">
          Back to runs
        </TextLink>
      </Card>
    );
  }
  if (!run.data)
    return (
      <p aria-busy="true" className="text-sm text-zinc-600">
        Loading run…
      </p>
    );
  const r = run.data;
  const canEdit = hasRole(r.myRole, "MEMBER");
  const pairedRun = paired.data?.runs[0];

  const actions = (status: RunStatus) => (
    <>
      {r.mayManage && (status === "queued" || status === "running") ? (
        <Button variant="danger" onClick={() => cancel.mutate({ runId })} disabled={cancel.isPending}>
          Cancel run
        </Button>
      ) : null}
      {canEdit ? (
        <Link className={linkButton} href={`/runs/new?clone=${runId}`}>
          Clone and edit
        </Link>
      ) : null}
      {canEdit && r.kind === "TRAIN" && r.config.algorithm === "bupo" && !pairedRun ? (
        <Link className={linkButton} href={`/runs/new?pairWith=${runId}`}>
          Launch paired GRPO
        </Link>
      ) : null}
      {pairedRun ? (
        <Link className={linkButton} href={`/compare?runs=${runId},${pairedRun.id}`}>
          Compare with paired GRPO
        </Link>
      ) : null}
      {canEdit ? <SharePanel teamId={r.teamId} runIds={[runId]} /> : null}
    </>
  );
  return (
    <>
      {cancel.error ? <Alert>{describeError(cancel.error).message}</Alert> : null}
      <RunView source={{ kind: "member" }} run={r} actions={actions} />
    </>
  );
}
