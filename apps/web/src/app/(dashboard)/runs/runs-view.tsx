"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import { TextLink } from "../../../components/ui/text-link.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";
import { formatDuration, ProgressBar, StatusBadge } from "../../_components/run/status-badge.tsx";
import { useActiveTeam } from "../_components/use-active-team.ts";
import { DemoRunsNotice } from "./demo-runs-notice.tsx";
import { paramsFromQuery, queryFromParams, type RunsQuery } from "./runs-filters.ts";

const selectClass =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const fmt = (v: number | null) => (v === null ? "—" : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));

export function RunsView() {
  const trpc = useTRPC();
  const team = useActiveTeam();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const q = queryFromParams(new URLSearchParams(params.toString()));
  const [selected, setSelected] = useState<string[]>([]);
  const runs = useQuery({
    ...trpc.run.list.queryOptions({ teamId: team?.id ?? "", ...q }),
    enabled: !!team,
    refetchInterval: (query) =>
      query.state.data?.runs.some((r) => r.status === "running" || r.status === "queued") ? 3000 : false,
  });
  const set = (patch: Partial<RunsQuery>) =>
    router.replace(`${pathname}${paramsFromQuery({ ...q, page: 1, ...patch })}`);

  if (team === null) {
    return (
      <Card
        title="Create a team to start"
        description="Runs belong to a team. Create one, or open an invitation link from a teammate."
      >
        <TextLink href="/teams/new" className="text-sm">
          Create a team
        </TextLink>
      </Card>
    );
  }
  const data = runs.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Runs{team ? ` · ${team.name}` : ""}</h1>
        <div className="ml-auto flex gap-2">
          <Button
            variant="secondary"
            disabled={selected.length < 2}
            onClick={() => router.push(`/compare?runs=${selected.join(",")}`)}
          >
            Compare {selected.length ? `(${selected.length})` : ""}
          </Button>
          <Link
            href="/compare/new"
            className="inline-flex items-center rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-medium shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
          >
            Compare models
          </Link>
          <Link
            href="/runs/new"
            className="inline-flex items-center rounded-md bg-emerald-700 px-3 py-2 text-sm font-medium text-white hover:bg-emerald-800"
          >
            New run
          </Link>
        </div>
      </div>

      {team && <DemoRunsNotice teamId={team.id} />}
      <form
        aria-label="Filter runs"
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
          Search
          <input
            type="search"
            defaultValue={q.search ?? ""}
            placeholder="Run name"
            className={`${selectClass} w-48`}
            onChange={(e) => set({ search: e.target.value || undefined })}
          />
        </label>
        {(
          [
            ["status", "Status", ["queued", "running", "succeeded", "failed", "cancelled"]],
            ["algorithm", "Algorithm", ["bupo", "grpo"]],
            ["family", "Model", ["qwen3", "qwen2", "llama"]],
            ["kind", "Kind", ["train", "analysis"]],
          ] as const
        ).map(([key, label, values]) => (
          <label key={key} className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
            {label}
            <select
              className={selectClass}
              value={(q[key] as string | undefined) ?? ""}
              onChange={(e) => set({ [key]: e.target.value || undefined })}
            >
              <option value="">All</option>
              {values.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
          Tag
          <input
            defaultValue={q.tag ?? ""}
            className={`${selectClass} w-28`}
            onChange={(e) => set({ tag: e.target.value || undefined })}
          />
        </label>
        <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
          Sort
          <select
            className={selectClass}
            value={`${q.sort ?? "created"}:${q.order ?? "desc"}`}
            onChange={(e) => {
              const [sort, order] = e.target.value.split(":") as [RunsQuery["sort"], RunsQuery["order"]];
              set({ sort, order });
            }}
          >
            <option value="created:desc">Newest first</option>
            <option value="created:asc">Oldest first</option>
            <option value="name:asc">Name A–Z</option>
            <option value="progress:desc">Most steps</option>
            <option value="status:asc">Status</option>
          </select>
        </label>
      </form>

      {runs.error ? <Alert>{describeError(runs.error).message}</Alert> : null}
      {!data ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-busy="true">
          Loading runs…
        </p>
      ) : data.total === 0 ? (
        <Card
          title={Object.keys(q).length ? "No runs match these filters" : "No runs yet"}
          description={
            Object.keys(q).length
              ? "Clear a filter to see more."
              : "Launch a BuPO or GRPO training run, or an entropy analysis, and watch its per-layer metrics arrive live."
          }
        >
          <TextLink href="/runs/new" className="text-sm">
            Launch a run
          </TextLink>
        </Card>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full min-w-[52rem] text-left text-sm">
            <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
              <tr>
                <th className="w-8 px-3 py-2">
                  <span className="sr-only">Select</span>
                </th>
                <th className="px-3 py-2 font-medium">Run</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Progress · ETA</th>
                <th className="px-3 py-2 font-medium">Score</th>
                <th className="px-3 py-2 font-medium">Entropy</th>
                <th className="px-3 py-2 font-medium">Creator</th>
                <th className="px-3 py-2 font-medium">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {data.runs.map((run) => (
                <tr key={run.id} data-testid="run-row">
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={`Select ${run.name}`}
                      checked={selected.includes(run.id)}
                      onChange={() => toggle(run.id)}
                    />
                  </td>
                  <td className="px-3 py-2">
                    <Link
                      href={`/runs/${run.id}`}
                      className="font-medium text-zinc-900 hover:underline dark:text-zinc-100"
                    >
                      {run.name}
                    </Link>
                    <div className="text-xs text-zinc-500">
                      {run.algorithm.toLowerCase()} · {run.modelFamily.toLowerCase()} ·{" "}
                      {run.kind.toLowerCase()}
                      {run.tags.map((t) => (
                        <span key={t} className="ml-1 rounded bg-zinc-100 px-1 dark:bg-zinc-800">
                          {t}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={run.status} />
                  </td>
                  <td className="px-3 py-2">
                    <ProgressBar step={run.lastStep} total={run.totalSteps} />
                    {run.etaSeconds !== null ? (
                      <div className="text-xs text-zinc-500">ETA {formatDuration(run.etaSeconds)}</div>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 tabular-nums">{fmt(run.keyMetrics["critic/score/mean"])}</td>
                  <td className="px-3 py-2 tabular-nums">{fmt(run.keyMetrics["actor/entropy"])}</td>
                  <td className="px-3 py-2">{run.creator.name}</td>
                  <td className="px-3 py-2 text-zinc-500">{run.createdAt.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && pages > 1 ? (
        <nav aria-label="Pagination" className="flex items-center justify-end gap-2 text-sm">
          <Button
            variant="secondary"
            disabled={(q.page ?? 1) <= 1}
            onClick={() => set({ page: (q.page ?? 1) - 1 })}
          >
            Previous
          </Button>
          <span>
            Page {q.page ?? 1} of {pages} · {data.total} runs
          </span>
          <Button
            variant="secondary"
            disabled={(q.page ?? 1) >= pages}
            onClick={() => set({ page: (q.page ?? 1) + 1 })}
          >
            Next
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
