"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { CopyField } from "../../../components/ui/copy-field.tsx";
import { SelectField } from "../../../components/ui/field.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";

const EXPIRY = [
  { label: "Never (until revoked)", hours: undefined },
  { label: "1 day", hours: 24 },
  { label: "7 days", hours: 168 },
  { label: "30 days", hours: 720 },
];

/** Creates a read-only share link for one run or a comparison and shows it to copy. */
export function SharePanel({ teamId, runIds }: { teamId: string; runIds: string[] }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [expiry, setExpiry] = useState("0");
  const [link, setLink] = useState<string | null>(null);
  const create = useMutation(
    trpc.share.create.mutationOptions({ onSuccess: (l) => setLink(`${window.location.origin}${l.path}`) }),
  );
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Share
      </Button>
    );
  }
  return (
    <div
      role="dialog"
      aria-label="Create a share link"
      className="w-full space-y-3 rounded-lg border border-zinc-200 bg-white p-4 sm:w-96 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <p className="text-sm">
        Anyone with the link can view {runIds.length > 1 ? "these runs" : "this run"}, read-only, without
        logging in. Revoke it any time in Team settings.
      </p>
      <SelectField
        id="share-expiry"
        label="Expires"
        value={expiry}
        onChange={(e) => setExpiry(e.target.value)}
      >
        {EXPIRY.map((x, i) => (
          <option key={x.label} value={String(i)}>
            {x.label}
          </option>
        ))}
      </SelectField>
      {create.error ? <Alert>{describeError(create.error).message}</Alert> : null}
      {link ? <CopyField id="share-link" label="Share link" value={link} className="space-y-1" /> : null}
      <div className="flex gap-2">
        <Button
          onClick={() => create.mutate({ teamId, runIds, expiresInHours: EXPIRY[Number(expiry)]?.hours })}
          disabled={create.isPending}
        >
          Create link
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          Close
        </Button>
      </div>
    </div>
  );
}
