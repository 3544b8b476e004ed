"use client";

import { useState } from "react";
import { toFileSlug, toJsonText } from "./chart-export-data.ts";
import { ToolbarButton } from "./chart-toolbar.tsx";
import { downloadBlob, downloadText } from "./file-download.ts";

export interface ChartExportMenuProps {
  /** Chart title; names the files (slugified) and the button group. */
  title: string;
  /** Renders the chart to a PNG blob; the PNG button is hidden without it. */
  getPng?: () => Promise<Blob | null>;
  /** CSV text of the data shown; computed only when clicked. */
  getCsv?: () => string;
  /** JSON-serialisable data shown; computed only when clicked. */
  getJson?: () => unknown;
  disabled?: boolean;
}

/** PNG / CSV / JSON download buttons shared by every chart. */
export function ChartExportMenu({ title, getPng, getCsv, getJson, disabled }: ChartExportMenuProps) {
  const [busy, setBusy] = useState(false);
  const base = toFileSlug(title);
  const exportPng = async () => {
    if (!getPng) return;
    setBusy(true);
    try {
      const blob = await getPng();
      if (blob) downloadBlob(blob, `${base}.png`);
    } finally {
      setBusy(false);
    }
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset would add a border and legend; this is a button group.
    <div role="group" aria-label={`Export ${title}`} className="flex items-center gap-1">
      {getPng ? (
        <ToolbarButton
          onClick={exportPng}
          disabled={disabled || busy}
          aria-label={`Download ${title} as PNG image`}
        >
          PNG
        </ToolbarButton>
      ) : null}
      {getCsv ? (
        <ToolbarButton
          onClick={() => downloadText(getCsv(), `${base}.csv`, "text/csv")}
          disabled={disabled}
          aria-label={`Download ${title} data as CSV`}
        >
          CSV
        </ToolbarButton>
      ) : null}
      {getJson ? (
        <ToolbarButton
          onClick={() => downloadText(toJsonText(getJson()), `${base}.json`, "application/json")}
          disabled={disabled}
          aria-label={`Download ${title} data as JSON`}
        >
          JSON
        </ToolbarButton>
      ) : null}
    </div>
  );
}
