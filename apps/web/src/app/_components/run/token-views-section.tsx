"use client";

import type { TokenView } from "@bupo/shared/analysis-result";
import { useState } from "react";
import { LogitLensGrid } from "../../../components/charts/logit-lens-grid.tsx";

/**
 * Per probed sample, the token × layer entropy heatmap with the decoded input tokens (logit-lens style): each
 * cell is the layer's top token at that position, coloured by entropy; hover or focus a cell for its top-k.
 */
export function TokenViewsSection({ views }: { views: TokenView[] | undefined }) {
  const [index, setIndex] = useState(0);
  const view = views?.[index];
  return (
    <section aria-labelledby="tokens-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          Tokens × layers
        </h2>
        {views && views.length > 1 ? (
          <label className="flex items-center gap-2 text-sm">
            Sample
            <select
              value={index}
              onChange={(e) => setIndex(Number(e.target.value))}
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
            >
              {views.map((_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: samples are identified by their position.
                <option key={i} value={i}>
                  {i + 1} of {views.length}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {view ? (
        <div data-testid="token-view">
          <LogitLensGrid
            title={`Sample ${index + 1}: what each layer predicts next`}
            subtitle={
              <span className="font-mono">
                {view.prompt} → {view.answer}
              </span>
            }
            data={{
              positions: view.positionTokens,
              rows: view.rows,
              layerLabels: view.rows.map((_, i) => (i === 0 ? "emb" : String(i))),
            }}
          />
        </div>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Token-level views are stored for analyses that ran in memory; a streamed analysis of a large model
          keeps the pooled entropies only.
        </p>
      )}
    </section>
  );
}
