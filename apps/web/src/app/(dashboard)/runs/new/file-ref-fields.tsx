"use client";

/**
 * Launch-form fields for a file a run reads on its trainer that the library does not list (a tokenizer folder
 * for a preset model): root + relative path, as in @bupo/shared/file-ref.
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
