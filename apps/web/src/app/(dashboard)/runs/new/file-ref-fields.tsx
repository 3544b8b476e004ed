"use client";

/**
 * Launch-form fields for what a run reads on its trainer: a file under one of the trainer's roots (root +
 * relative path, as in @bupo/shared/file-ref) or the checkpoint of one of the team's runs.
 */
import { SelectField, TextField } from "../../../../components/ui/field.tsx";

const ROOT_LABELS: Record<string, string> = {
  models: "Models folder",
  "hf-cache": "Hugging Face cache",
  datasets: "Datasets folder",
  builtin: "Built-in data",
};

interface FieldAccess {
  set(path: string, value: unknown): void;
  errorFor(path: string): string | undefined;
}

/** `<prefix>.root` and `<prefix>.path`. */
export function FileRefFields({
  prefix,
  roots,
  value,
  pathLabel,
  hint,
  form,
}: {
  prefix: string;
  roots: readonly string[];
  value: { root?: string; path?: string };
  pathLabel: string;
  hint: string;
  form: FieldAccess;
}) {
  return (
    <>
      <SelectField
        id={`${prefix}.root`}
        label={`${pathLabel}: root`}
        value={value.root ?? roots[0]}
        onChange={(e) => form.set(`${prefix}.root`, e.target.value)}
        error={form.errorFor(`${prefix}.root`)}
      >
        {roots.map((r) => (
          <option key={r} value={r}>
            {ROOT_LABELS[r] ?? r}
          </option>
        ))}
      </SelectField>
      <TextField
        id={`${prefix}.path`}
        label={`${pathLabel}: path in the root`}
        value={value.path ?? ""}
        onChange={(e) => form.set(`${prefix}.path`, e.target.value)}
        error={form.errorFor(`${prefix}.path`)}
        hint={hint}
      />
    </>
  );
}

/** `model.runId` and `model.step` of a run-checkpoint model. */
export function RunCheckpointFields({
  value,
  form,
}: {
  value: { runId?: string; step?: number };
  form: FieldAccess;
}) {
  return (
    <>
      <TextField
        id="model.runId"
        label="Run id"
        value={value.runId ?? ""}
        onChange={(e) => form.set("model.runId", e.target.value)}
        error={form.errorFor("model.runId")}
        hint="A training run of this team (its page address ends with the id)."
      />
      <TextField
        id="model.step"
        label="Checkpoint step"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        value={value.step === undefined ? "" : String(value.step)}
        onChange={(e) => form.set("model.step", e.target.value === "" ? undefined : Number(e.target.value))}
        error={form.errorFor("model.step")}
        hint="Empty = the run's latest checkpoint."
      />
    </>
  );
}
