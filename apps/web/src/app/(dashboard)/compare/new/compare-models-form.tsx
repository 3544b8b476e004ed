"use client";

import { COMPARE_MODELS, type CompareModelsInput, CompareModelsSchema } from "@bupo/shared/compare-models";
import { zodIssuesByField } from "@bupo/shared/errors";
import type { ModelSource } from "@bupo/shared/model-config";
import { MODEL_FAMILIES, MODEL_PRESETS } from "@bupo/shared/model-presets";
import { BUILTIN_TASKS } from "@bupo/shared/task-config";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "../../../../components/ui/alert.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { Card } from "../../../../components/ui/card.tsx";
import { SelectField, TextField } from "../../../../components/ui/field.tsx";
import { describeError, useTRPC } from "../../../../trpc/react.tsx";
import { ModelPicker } from "../../../_components/model-picker.tsx";
import { useActiveTeam } from "../../_components/use-active-team.ts";

const FAMILY_LABEL: Record<string, string> = {
  qwen3: "Qwen3-style",
  qwen2: "Qwen2-style",
  llama: "Llama-style",
};
type Preset = Extract<ModelSource, { source: "preset" }>;
const PRESET_MODELS: Preset[] = MODEL_FAMILIES.flatMap((family) =>
  MODEL_PRESETS.map((preset) => ({
    source: "preset" as const,
    family,
    preset,
    tieEmbeddings: "auto" as const,
  })),
);
const presetKey = (p: Preset) => `${p.family}/${p.preset}`;

/**
 * "Compare models": the same entropy analysis (task, samples, seed, lens) on 2–8 models — fresh presets, models
 * from the team's library, the team's own checkpoints (base vs after GRPO vs after BuPO) — launched in one
 * request; opens the comparison, which fills in live as each analysis finishes.
 */
export function CompareModelsForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const team = useActiveTeam();
  const [presets, setPresets] = useState<string[]>([]);
  const [library, setLibrary] = useState<ModelSource[]>([]);
  const [name, setName] = useState("");
  const [task, setTask] = useState<(typeof BUILTIN_TASKS)[number]>("addition");
  const [sampleSize, setSampleSize] = useState("10");
  const [maxResponseTokens, setMaxResponseTokens] = useState("32");
  const [seed, setSeed] = useState("42");
  const [lens, setLens] = useState<"raw" | "normed">("raw");
  const [submitted, setSubmitted] = useState(false);
  const launch = useMutation(
    trpc.run.compareModels.mutationOptions({ onSuccess: (r) => router.push(r.path) }),
  );

  const models: ModelSource[] = [...PRESET_MODELS.filter((p) => presets.includes(presetKey(p))), ...library];
  const comparison: CompareModelsInput = {
    name,
    models,
    task: { source: "builtin", name: task },
    analysis: { sampleSize: Number(sampleSize), maxResponseTokens: Number(maxResponseTokens), lens },
    seed: Number(seed),
  };
  const local = CompareModelsSchema.safeParse(comparison);
  const server = describeError(launch.error);
  const errors: Record<string, string> = {
    ...(submitted && !local.success ? zodIssuesByField(local.error) : {}),
    ...Object.fromEntries(Object.entries(server.fields).map(([k, v]) => [k.replace(/^comparison\./, ""), v])),
  };
  const modelsError = Object.entries(errors).find(([k]) => k.startsWith("models"))?.[1];

  if (team === undefined) return <p aria-busy="true">Loading…</p>;
  if (team === null) return <Card title="No team">Create or join a team first.</Card>;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (local.success) launch.mutate({ teamId: team.id, comparison });
  };

  return (
    <form onSubmit={submit} className="space-y-6" noValidate>
      <h1 className="text-xl font-semibold">Compare models</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The same entropy analysis on {COMPARE_MODELS.min}–{COMPARE_MODELS.max} models, one run each; the
        comparison opens at once and draws each model along relative depth as its analysis finishes.
      </p>
      {server.message ? <Alert>{server.message}</Alert> : null}
      <Card title={`Models (${models.length} chosen)`}>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Fresh presets</legend>
          <div className="grid gap-2 sm:grid-cols-3">
            {PRESET_MODELS.map((p) => {
              const key = presetKey(p);
              return (
                <label key={key} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={presets.includes(key)}
                    onChange={(e) =>
                      setPresets((xs) => (e.target.checked ? [...xs, key] : xs.filter((x) => x !== key)))
                    }
                  />
                  {FAMILY_LABEL[p.family]} {p.preset}
                </label>
              );
            })}
          </div>
        </fieldset>
        <div className="mt-4 space-y-2">
          <p className="text-sm font-medium">From the library and the team's checkpoints</p>
          <ModelPicker teamId={team.id} value={library} onChange={setLibrary} multiple />
        </div>
        {modelsError ? (
          <p role="alert" className="mt-2 text-xs font-medium text-red-700 dark:text-red-400">
            {modelsError}
          </p>
        ) : null}
      </Card>
      <Card title="Analysis (the same for every model)">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id="name"
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Compare models"
            error={errors.name}
          />
          <SelectField
            id="task"
            label="Task"
            value={task}
            onChange={(e) => setTask(e.target.value as typeof task)}
            error={errors["task.name"]}
          >
            {BUILTIN_TASKS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </SelectField>
          <TextField
            id="sampleSize"
            label="Samples"
            inputMode="numeric"
            value={sampleSize}
            onChange={(e) => setSampleSize(e.target.value)}
            error={errors["analysis.sampleSize"]}
          />
          <TextField
            id="maxResponseTokens"
            label="Longest response (tokens)"
            inputMode="numeric"
            value={maxResponseTokens}
            onChange={(e) => setMaxResponseTokens(e.target.value)}
            error={errors["analysis.maxResponseTokens"]}
          />
          <TextField
            id="seed"
            label="Seed"
            inputMode="numeric"
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            error={errors.seed}
          />
          <SelectField
            id="lens"
            label="Lens"
            value={lens}
            onChange={(e) => setLens(e.target.value as "raw" | "normed")}
          >
            <option value="raw">raw (W_U·h)</option>
            <option value="normed">normed (W_U·norm(h))</option>
          </SelectField>
        </div>
      </Card>
      <Button type="submit" disabled={launch.isPending}>
        {launch.isPending ? "Launching…" : `Compare ${models.length} models`}
      </Button>
    </form>
  );
}
