"use client";

/**
 * Picks models from the team's library (`library.models`): the trainers' model folders and hub cache (with
 * the trainers that hold each and whether analysis / training fit there) and the checkpoints of the team's
 * own training runs. Search by name or architecture; unsupported models are listed greyed out with the reason.
 * `multiple` lets several be chosen (the "Compare models" launcher); otherwise a click picks one.
 */
import type { ModelSource } from "@bupo/shared/model-config";
import { type LibraryModel, modelSourceKey } from "@bupo/shared/model-library";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { describeError, useTRPC } from "../../trpc/react.tsx";

export interface ModelPickerProps {
  teamId: string;
  value: ModelSource[];
  onChange(v: ModelSource[]): void;
  multiple?: boolean;
}

const FAMILY_STYLE: Record<string, string> = {
  qwen3: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  qwen2: "bg-indigo-100 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-200",
  llama: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
};

/** 1234567 → "1.2M", 4.02e9 → "4.0B". */
export function formatCount(n: number | undefined): string {
  if (n === undefined) return "?";
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.ceil(n / 1024)} KiB`;
}

const hostOf = (trainerId: string) => trainerId.replace(/^https?:\/\//, "");

function FitLine({ model }: { model: Extract<LibraryModel, { kind: "trainer" }> }) {
  const fits = model.trainers.map((t) => t.fit).filter((f) => f !== undefined);
  if (fits.length === 0) return null;
  const analysis = fits.some((f) => f.analysis);
  const training = fits.some((f) => f.training);
  return (
    <span className="text-xs text-zinc-600 dark:text-zinc-400">
      analysis {analysis ? "fits" : "too large"} · training {training ? "fits" : "too large"}
    </span>
  );
}

/** The team's library models (shared with the launch form, which reads the chosen entry's facts). */
export function useLibraryModels(teamId: string) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.library.models.queryOptions({ teamId }), enabled: teamId !== "" });
}

function ModelRow({
  model,
  selected,
  multiple,
  onToggle,
}: {
  model: LibraryModel;
  selected: boolean;
  multiple: boolean;
  onToggle(): void;
}) {
  const { facts } = model;
  const disabled = model.unsupported !== undefined;
  const subtitle =
    model.kind === "run-checkpoint"
      ? model.detail
      : [
          model.revision ? `rev ${model.revision.slice(0, 8)}` : null,
          facts.architecture,
          facts.layers === undefined ? null : `${facts.layers} layers`,
          facts.hiddenSize === undefined ? null : `d ${facts.hiddenSize}`,
          facts.heads === undefined ? null : `${facts.heads}/${facts.kvHeads ?? facts.heads} heads`,
          facts.vocabSize === undefined ? null : `vocab ${formatCount(facts.vocabSize)}`,
          facts.dtype ?? null,
          formatBytes(model.sizeBytes),
        ]
          .filter(Boolean)
          .join(" · ");
  return (
    <li>
      <label
        className={`flex cursor-pointer items-start gap-3 rounded-md border p-2 text-sm ${
          selected ? "border-emerald-600 ring-2 ring-emerald-600/30" : "border-zinc-200 dark:border-zinc-800"
        } ${disabled ? "cursor-not-allowed opacity-50" : ""}`}
        title={model.unsupported}
      >
        <input
          type={multiple ? "checkbox" : "radio"}
          name="library-model"
          className="mt-1"
          checked={selected}
          disabled={disabled}
          onChange={onToggle}
        />
        <span className="min-w-0 flex-1 space-y-0.5">
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-medium break-all">{model.name}</span>
            {facts.family ? (
              <span className={`rounded-full px-2 py-0.5 text-xs ${FAMILY_STYLE[facts.family] ?? ""}`}>
                {facts.family}
              </span>
            ) : null}
            {facts.parameters !== undefined ? (
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                {formatCount(facts.parameters)} params
              </span>
            ) : null}
            {model.kind === "run-checkpoint" ? (
              <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
                team run
              </span>
            ) : null}
          </span>
          <span className="block text-xs text-zinc-600 dark:text-zinc-400">{subtitle}</span>
          {model.kind === "trainer" ? (
            <span className="flex flex-wrap gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
              <span>on {model.trainers.map((t) => hostOf(t.trainerId)).join(", ")}</span>
              {!model.tokenizer ? <span>no tokenizer</span> : null}
              {model.tokenizer && !model.chatTemplate ? <span>no chat template</span> : null}
              <FitLine model={model} />
            </span>
          ) : null}
          {disabled ? (
            <span className="block text-xs text-red-700 dark:text-red-400">
              Unsupported: {model.unsupported}
            </span>
          ) : null}
        </span>
      </label>
    </li>
  );
}

export function ModelPicker({ teamId, value, onChange, multiple = false }: ModelPickerProps) {
  const trpc = useTRPC();
  const models = useLibraryModels(teamId);
  const rescan = useMutation(trpc.library.rescan.mutationOptions({ onSuccess: () => void models.refetch() }));
  const [search, setSearch] = useState("");
  const chosen = useMemo(() => new Set(value.map(modelSourceKey)), [value]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = models.data?.models ?? [];
    return q === ""
      ? all
      : all.filter((m) =>
          [m.name, m.facts.architecture, m.facts.family ?? ""].some((s) => s.toLowerCase().includes(q)),
        );
  }, [models.data, search]);

  const toggle = (model: LibraryModel) => {
    const key = modelSourceKey(model.ref);
    if (!multiple) return onChange([model.ref]);
    onChange(chosen.has(key) ? value.filter((v) => modelSourceKey(v) !== key) : [...value, model.ref]);
  };

  return (
    <div className="space-y-2" data-testid="model-picker">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          aria-label="Search models"
          placeholder="Search models (name, architecture, family)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        <button
          type="button"
          onClick={() => rescan.mutate({ teamId })}
          disabled={rescan.isPending}
          className="rounded-md border border-zinc-300 px-2 py-1.5 text-xs dark:border-zinc-700"
        >
          {rescan.isPending ? "Scanning…" : "Rescan trainers"}
        </button>
      </div>
      {models.error ? (
        <p role="alert" className="text-sm text-red-700">
          {describeError(models.error).message}
        </p>
      ) : null}
      {models.isPending ? <p className="text-sm text-zinc-600">Loading the model library…</p> : null}
      {models.data && models.data.unreachable.length > 0 ? (
        <p className="text-xs text-amber-800 dark:text-amber-300">
          Not reachable: {models.data.unreachable.map(hostOf).join(", ")}
        </p>
      ) : null}
      {models.data && shown.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {search
            ? "No model matches."
            : "No models yet: put Hugging Face model folders in a trainer's models folder or hub cache, then rescan."}
        </p>
      ) : null}
      <ul className="max-h-80 space-y-1 overflow-y-auto" aria-label="Models">
        {shown.map((m) => (
          <ModelRow
            key={modelSourceKey(m.ref)}
            model={m}
            multiple={multiple}
            selected={chosen.has(modelSourceKey(m.ref))}
            onToggle={() => toggle(m)}
          />
        ))}
      </ul>
    </div>
  );
}
