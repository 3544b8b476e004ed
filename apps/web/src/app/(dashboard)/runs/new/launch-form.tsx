"use client";

import type { DepthDefaults } from "@bupo/shared/depth-defaults";
import { zodIssuesByField } from "@bupo/shared/errors";
import { TOKENIZER_ROOTS } from "@bupo/shared/file-ref";
import { presetLayerCount } from "@bupo/shared/model-presets";
import { defaultRunConfig, RunConfigSchema } from "@bupo/shared/run-config";
import { BUILTIN_TASKS } from "@bupo/shared/task-config";
import { verlCommandLine } from "@bupo/shared/verl-command";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { Alert } from "../../../../components/ui/alert.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { Card } from "../../../../components/ui/card.tsx";
import { SelectField, TextField } from "../../../../components/ui/field.tsx";
import { describeError, useTRPC } from "../../../../trpc/react.tsx";
import { useActiveTeam } from "../../_components/use-active-team.ts";
import { type FormConfig, getPath, SECTIONS, setPath } from "./config-fields.ts";
import { DatasetPicker } from "./dataset-picker.tsx";
import { FileRefFields } from "./file-ref-fields.tsx";
import { ModelCard } from "./model-card.tsx";

type Preset = "bupo" | "grpo" | "analysis";
const PRESETS: { id: Preset; label: string; help: string }[] = [
  { id: "bupo", label: "BuPO (paper defaults)", help: "Internal layer k for S steps, then GRPO" },
  { id: "grpo", label: "GRPO baseline", help: "The same settings without the internal-policy phase" },
  { id: "analysis", label: "Entropy analysis", help: "Probe a model's internal policies, no training" },
];

/**
 * Fields filled from the picked model's depth: the reason heads the help text of k (and of the analysis length,
 * the one such field an analysis shows); the others say where their value came from.
 */
const DEPTH_REASON_FIELDS = ["rl.internalLayer", "analysis.maxResponseTokens"];
const DEPTH_FIELDS = ["rl.iterativeSteps", "rl.maxResponseTokens", "rl.maxPromptTokens", "rl.totalSteps"];

function depthNote(depth: DepthDefaults | null, path: string): string {
  if (!depth) return "";
  if (DEPTH_REASON_FIELDS.includes(path)) return `${depth.reason} `;
  return DEPTH_FIELDS.includes(path) ? "Paper value for the picked model (see k). " : "";
}

function presetConfig(p: Preset): FormConfig {
  const base = defaultRunConfig() as unknown as FormConfig;
  if (p === "analysis") return { ...base, kind: "analysis" };
  return { ...base, kind: "train", algorithm: p };
}

export function LaunchForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const team = useActiveTeam();
  const cloneId = params.get("clone");
  const pairId = params.get("pairWith");
  const sourceId = cloneId ?? pairId;
  const source = useQuery({ ...trpc.run.get.queryOptions({ runId: sourceId ?? "" }), enabled: !!sourceId });
  const [form, setForm] = useState<FormConfig>(() => presetConfig("bupo"));
  const [tagsText, setTagsText] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [depth, setDepth] = useState<DepthDefaults | null>(null);
  const create = useMutation(trpc.run.create.mutationOptions());

  useEffect(() => {
    const run = source.data;
    if (!run) return;
    const cfg = structuredClone(run.config) as unknown as FormConfig;
    if (pairId) {
      setForm({
        ...cfg,
        algorithm: "grpo",
        name: `GRPO baseline · ${run.name}`.slice(0, 80),
        tags: [...new Set([...(cfg.tags as string[]), `pair:${run.id}`])],
      });
      setTagsText([...new Set([...(cfg.tags as string[]), `pair:${run.id}`])].join(", "));
    } else {
      setForm({ ...cfg, name: `${run.name} (copy)`.slice(0, 80) });
      setTagsText((cfg.tags as string[]).join(", "));
    }
  }, [source.data, pairId]);

  const withTags = useMemo(
    () => ({
      ...form,
      tags: tagsText
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    }),
    [form, tagsText],
  );
  const parsed = useMemo(() => RunConfigSchema.safeParse(withTags), [withTags]);
  const clientErrors = parsed.success ? {} : zodIssuesByField(parsed.error);
  const server = describeError(create.error);
  const serverErrors = Object.fromEntries(
    Object.entries(server.fields).map(([k, v]) => [k.replace(/^config\./, ""), v]),
  );
  const errorFor = (path: string) =>
    submitted
      ? (clientErrors[path] ?? serverErrors[path])
      : (serverErrors[path] ?? (getPath(form, path) === undefined ? undefined : clientErrors[path]));
  const set = (path: string, value: unknown) => setForm((f) => setPath(f, path, value));
  const fields = { set, errorFor };
  const model = form.model as {
    source: string;
    family?: string;
    preset?: string;
    root?: string;
    path?: string;
    runId?: string;
    step?: number;
  };
  const task = form.task as {
    source: string;
    name?: string;
    difficulty?: number;
    root?: string;
    path?: string;
    format?: string;
    tokenizer?: { root?: string; path?: string };
  };
  const layers =
    model.source === "preset" && model.family && model.preset
      ? presetLayerCount(model.family as "qwen3", model.preset as "tiny")
      : null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!parsed.success || !team) return;
    const run = await create.mutateAsync({ teamId: team.id, config: withTags }).catch(() => null);
    if (run) router.push(`/runs/${run.id}`);
  }

  const numberInput = (
    path: string,
    label: string,
    meta: { help: string; min?: number; max?: number; int?: boolean },
  ) => (
    <TextField
      key={path}
      id={path}
      label={label}
      type="number"
      inputMode="decimal"
      step={meta.int ? 1 : "any"}
      min={meta.min}
      max={meta.max}
      value={String(getPath(form, path) ?? "")}
      onChange={(e) => set(path, e.target.value === "" ? undefined : Number(e.target.value))}
      hint={`${depthNote(depth, path)}${meta.help}${meta.min !== undefined ? ` Range ${meta.min}–${meta.max}.` : ""}`}
      error={errorFor(path)}
    />
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6" aria-label="Launch a run">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">
          {pairId ? "Launch the paired GRPO baseline" : cloneId ? "Clone and edit" : "New run"}
        </h1>
      </div>
      {sourceId && source.error ? <Alert>{describeError(source.error).message}</Alert> : null}
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-medium">Start from</legend>
        {PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            onClick={() => setForm((f) => ({ ...presetConfig(p.id), name: f.name, seed: f.seed }))}
            aria-pressed={
              p.id === "analysis"
                ? form.kind === "analysis"
                : form.kind === "train" && form.algorithm === p.id
            }
            className="rounded-lg border border-zinc-300 bg-white p-3 text-left text-sm aria-pressed:border-emerald-600 aria-pressed:ring-2 aria-pressed:ring-emerald-600/30 dark:border-zinc-700 dark:bg-zinc-900"
          >
            <span className="font-medium">{p.label}</span>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">{p.help}</span>
          </button>
        ))}
      </fieldset>

      <Card title="Run">
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            id="name"
            label="Name"
            value={String(form.name ?? "")}
            onChange={(e) => set("name", e.target.value)}
            hint="Empty = generated from the settings."
            error={errorFor("name")}
          />
          <TextField
            id="tags"
            label="Tags"
            value={tagsText}
            onChange={(e) => setTagsText(e.target.value)}
            hint="Comma-separated, at most 16."
            error={errorFor("tags")}
          />
          {numberInput("seed", "Seed", {
            help: "Seed for init, data and sampling.",
            min: 0,
            max: 2147483647,
            int: true,
          })}
        </div>
      </Card>

      <ModelCard
        teamId={team?.id ?? ""}
        model={model}
        task={task}
        layers={layers}
        form={fields}
        onDepthDefaults={setDepth}
      />

      <Card
        title="Task"
        description="Built-in verifiable tasks (answers in \boxed{…}) or a verl-format dataset file on the trainer."
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            id="task.source"
            label="Source"
            value={task.source}
            onChange={(e) =>
              set(
                "task",
                e.target.value === "builtin"
                  ? { source: "builtin", name: "addition", difficulty: 2 }
                  : {
                      source: "dataset",
                      root: "builtin",
                      path: "datasets/math500.parquet",
                      format: "parquet",
                      tokenizer:
                        model.source === "checkpoint"
                          ? { root: model.root, path: model.path }
                          : { root: "models", path: "" },
                    },
              )
            }
          >
            <option value="builtin">Built-in task</option>
            <option value="dataset">Dataset file</option>
          </SelectField>
          {task.source === "builtin" ? (
            <>
              <SelectField
                id="task.name"
                label="Task"
                value={task.name}
                onChange={(e) => set("task.name", e.target.value)}
              >
                {BUILTIN_TASKS.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </SelectField>
              {numberInput("task.difficulty", "Difficulty", {
                help: "1 (easy) to 5.",
                min: 1,
                max: 5,
                int: true,
              })}
            </>
          ) : (
            <>
              <DatasetPicker teamId={team?.id ?? ""} task={task} form={fields} />
              {model.source === "checkpoint" ? (
                <p className="text-xs text-zinc-600 sm:col-span-2 dark:text-zinc-400">
                  Tokenizer and chat template: the chosen model's own.
                </p>
              ) : (
                <FileRefFields
                  prefix="task.tokenizer"
                  roots={TOKENIZER_ROOTS}
                  value={task.tokenizer ?? {}}
                  pathLabel="Tokenizer folder"
                  hint="tokenizer.json + tokenizer_config.json of the dataset's model (a model folder has its own)."
                  form={fields}
                />
              )}
            </>
          )}
        </div>
      </Card>

      {SECTIONS.filter((s) => !s.when || s.when(form)).map((section) => (
        <Card key={section.title} title={section.title} description={section.description}>
          <div className="grid gap-4 sm:grid-cols-3">
            {section.fields.map((f) =>
              f.meta.options ? (
                <SelectField
                  key={f.path}
                  id={f.path}
                  label={f.label}
                  value={String(getPath(form, f.path))}
                  onChange={(e) => set(f.path, e.target.value)}
                  hint={f.meta.help}
                  error={errorFor(f.path)}
                >
                  {f.meta.options.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </SelectField>
              ) : (
                numberInput(
                  f.path,
                  f.path === "rl.internalLayer" && layers ? `${f.label} · 0–${layers - 1}` : f.label,
                  f.meta,
                )
              ),
            )}
          </div>
        </Card>
      ))}

      {parsed.success && parsed.data.kind === "train" ? (
        <Card
          title="Reference command"
          description="The same configuration for the reference implementation (verl + BuPO), to run on your own GPU cluster."
        >
          <pre
            data-testid="verl-command"
            className="overflow-x-auto rounded bg-zinc-950 p-3 text-xs text-zinc-100"
          >
            {verlCommandLine(parsed.data)}
          </pre>
        </Card>
      ) : null}

      {submitted && !parsed.success ? <Alert>Fix the highlighted fields before launching.</Alert> : null}
      {server.message ? <Alert>{server.message}</Alert> : null}
      <div className="flex gap-3">
        <Button type="submit" disabled={create.isPending || !team}>
          {create.isPending ? "Launching…" : "Launch run"}
        </Button>
      </div>
    </form>
  );
}
