"use client";

/**
 * Dataset of a dataset task, offered by name from the trainers' libraries (the built-in paper datasets and
 * each trainer's datasets folder), with a preview of the chosen file's first rows (prompt, answer).
 */
import type { DatasetRef, LibraryDataset } from "@bupo/shared/model-library";
import { useQuery } from "@tanstack/react-query";
import { SelectField } from "../../../../components/ui/field.tsx";
import { describeError, useTRPC } from "../../../../trpc/react.tsx";
import type { FieldAccess } from "./model-card.tsx";

const keyOf = (ref: { root?: string; path?: string }) => `${ref.root ?? ""}:${ref.path ?? ""}`;

function label(d: LibraryDataset): string {
  const rows = d.rows === undefined ? "" : ` · ${d.rows.toLocaleString("en-US")} rows`;
  const role = d.role ? ` · ${d.role}` : "";
  return `${d.name}${d.builtin ? " (built-in)" : ""}${rows}${role}`;
}

export function DatasetPicker({
  teamId,
  task,
  form,
}: {
  teamId: string;
  task: { root?: string; path?: string };
  form: FieldAccess;
}) {
  const trpc = useTRPC();
  const datasets = useQuery({ ...trpc.library.datasets.queryOptions({ teamId }), enabled: teamId !== "" });
  const chosen = datasets.data?.datasets.find((d) => keyOf(d.ref) === keyOf(task));
  const ref: DatasetRef | undefined = chosen?.ref;
  const preview = useQuery({
    ...trpc.library.previewDataset.queryOptions({ teamId, ref: ref ?? { root: "builtin", path: "x" } }),
    enabled: ref !== undefined,
  });
  return (
    <div className="space-y-3 sm:col-span-3">
      <SelectField
        id="task.path"
        label="Dataset"
        value={chosen ? keyOf(chosen.ref) : ""}
        onChange={(e) => {
          const d = datasets.data?.datasets.find((x) => keyOf(x.ref) === e.target.value);
          if (!d) return;
          form.set("task.root", d.ref.root);
          form.set("task.path", d.ref.path);
          form.set("task.format", d.format);
        }}
        error={form.errorFor("task.path") ?? form.errorFor("task.root")}
        hint={
          datasets.error
            ? describeError(datasets.error).message
            : "The paper's data is built in (MATH-500, AIME 2024/2025, AMC 2023 for evaluation; DeepMath-5k for training); a trainer's datasets folder is listed too."
        }
      >
        <option value="" disabled>
          {datasets.isPending ? "Loading datasets…" : "Choose a dataset"}
        </option>
        {(datasets.data?.datasets ?? []).map((d) => (
          <option key={keyOf(d.ref)} value={keyOf(d.ref)}>
            {label(d)}
          </option>
        ))}
      </SelectField>
      {ref ? (
        <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-xs" aria-label="Dataset preview">
            <caption className="px-2 py-1 text-left text-zinc-600 dark:text-zinc-400">
              {preview.data
                ? `First ${preview.data.rows.length} of ${preview.data.total.toLocaleString("en-US")} rows`
                : preview.error
                  ? describeError(preview.error).message
                  : "Loading the preview…"}
            </caption>
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className="px-2 py-1 font-medium">Prompt</th>
                <th className="px-2 py-1 font-medium">Answer</th>
              </tr>
            </thead>
            <tbody>
              {(preview.data?.rows ?? []).map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are a fixed, ordered slice of the file
                <tr key={i} className="border-b border-zinc-100 align-top dark:border-zinc-800">
                  <td className="max-w-xl px-2 py-1 whitespace-pre-wrap line-clamp-4">
                    {r.prompt.slice(0, 400)}
                  </td>
                  <td className="px-2 py-1 font-mono">{r.answer}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
