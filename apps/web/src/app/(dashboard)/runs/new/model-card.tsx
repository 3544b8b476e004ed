"use client";

/**
 * The launch form's model: a preset (fresh weights) or a model of the team's library (a trainer's model folder
 * or hub cache, or a checkpoint of one of the team's runs), picked by name, never typed as a path. Picking a real
 * model fills the paper's depth-dependent defaults (internal layer k, S, lengths; @bupo/shared/depth-defaults)
 * and, for a dataset task, the model's own tokenizer.
 */
import { type DepthDefaults, depthDefaults } from "@bupo/shared/depth-defaults";
import type { ModelSource } from "@bupo/shared/model-config";
import { type LibraryModel, modelSourceKey } from "@bupo/shared/model-library";
import { MODEL_FAMILIES, MODEL_PRESETS } from "@bupo/shared/model-presets";
import { Card } from "../../../../components/ui/card.tsx";
import { SelectField } from "../../../../components/ui/field.tsx";
import { ModelPicker, useLibraryModels } from "../../../_components/model-picker.tsx";

export interface FieldAccess {
  set(path: string, value: unknown): void;
  errorFor(path: string): string | undefined;
}

/** The settings a picked model changes: the model, depth defaults, and a dataset task's tokenizer. */
export function applyPickedModel(
  set: FieldAccess["set"],
  model: LibraryModel,
  task: { source: string },
): DepthDefaults | null {
  set("model", model.ref);
  if (model.kind === "trainer" && task.source === "dataset") {
    set("task.tokenizer", { root: model.ref.root, path: model.ref.path });
  }
  const { family, layers } = model.facts;
  if (!family || !layers) return null;
  const d = depthDefaults(family, layers);
  set("rl.internalLayer", d.internalLayer);
  set("rl.iterativeSteps", d.iterativeSteps);
  set("rl.totalSteps", d.totalSteps);
  set("rl.maxPromptTokens", d.maxPromptTokens);
  set("rl.maxResponseTokens", d.maxResponseTokens);
  set("analysis.maxResponseTokens", d.maxResponseTokens);
  return d;
}

export function ModelCard({
  teamId,
  model,
  task,
  layers,
  form,
  onDepthDefaults,
}: {
  teamId: string;
  model: { source: string; family?: string; preset?: string };
  task: { source: string };
  layers: number | null;
  form: FieldAccess;
  onDepthDefaults(d: DepthDefaults | null): void;
}) {
  const library = useLibraryModels(teamId);
  const fromLibrary = model.source !== "preset";
  const pick = (value: ModelSource[]) => {
    const chosen = value[0];
    if (!chosen) return;
    const entry = library.data?.models.find((m) => modelSourceKey(m.ref) === modelSourceKey(chosen));
    if (entry) onDepthDefaults(applyPickedModel(form.set, entry, task));
  };
  return (
    <Card
      title="Model"
      description="Qwen-style (per-head q/k norm, tied embeddings, θ=1e6) or Llama-style (untied head, θ=5e5) presets with fresh weights, or a real model from the library: the trainers' models folders and Hugging Face cache, and your team's training checkpoints."
    >
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField
          id="model.source"
          label="Source"
          value={fromLibrary ? "library" : "preset"}
          onChange={(e) => {
            onDepthDefaults(null);
            form.set(
              "model",
              e.target.value === "preset"
                ? { source: "preset", family: "qwen3", preset: "tiny" }
                : { source: "checkpoint", root: "hf-cache", path: "" },
            );
          }}
          error={fromLibrary ? (form.errorFor("model.path") ?? form.errorFor("model.runId")) : undefined}
        >
          <option value="preset">Preset (fresh weights)</option>
          <option value="library">Model library</option>
        </SelectField>
        {fromLibrary ? null : (
          <>
            <SelectField
              id="model.family"
              label="Family"
              value={model.family}
              onChange={(e) => form.set("model.family", e.target.value)}
              error={form.errorFor("model.family")}
            >
              {MODEL_FAMILIES.map((f) => (
                <option key={f} value={f}>
                  {f === "llama" ? "Llama-style (llama)" : `Qwen-style (${f})`}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="model.preset"
              label="Size"
              value={model.preset}
              onChange={(e) => form.set("model.preset", e.target.value)}
              hint={layers ? `${layers} layers.` : undefined}
            >
              {MODEL_PRESETS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </SelectField>
          </>
        )}
      </div>
      {fromLibrary ? (
        <div className="mt-4">
          <ModelPicker teamId={teamId} value={isLibraryRef(model) ? [model] : []} onChange={pick} />
        </div>
      ) : null}
    </Card>
  );
}

function isLibraryRef(model: { source: string }): model is ModelSource {
  const m = model as { source: string; path?: string; runId?: string };
  return (m.source === "checkpoint" && !!m.path) || (m.source === "run-checkpoint" && !!m.runId);
}
