"use client";

import { layerName } from "./depth-normalization.ts";
import { formatNats, formatProbability } from "./tick-format.ts";
import { displayToken } from "./token-display.ts";
import type { LogitLensGridData } from "./types.ts";

export interface LensPopoverPosition {
  layer: number;
  position: number;
  /** CSS px relative to the grid wrapper. */
  left: number;
  top: number;
  /** Anchor is the popover's bottom edge (shown above the cell). */
  above: boolean;
}

/** Top-k tokens with probability bars for one (layer, position) cell. */
export function LogitLensPopover({
  id,
  data,
  at,
}: {
  id: string;
  data: LogitLensGridData;
  at: LensPopoverPosition;
}) {
  const cell = data.rows[at.layer]?.[at.position];
  if (!cell) return null;
  return (
    <div
      id={id}
      role="tooltip"
      className="pointer-events-none absolute z-20 w-60 rounded-md border border-zinc-200 bg-white p-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
      style={{ left: at.left, ...(at.above ? { bottom: at.top } : { top: at.top }) }}
    >
      <p className="font-medium text-zinc-900 dark:text-zinc-100">
        {layerName(at.layer, data.layerLabels)} · position {at.position}{" "}
        <span className="font-mono text-zinc-600 dark:text-zinc-400">
          “{displayToken(data.positions[at.position] ?? "")}”
        </span>
      </p>
      <p className="text-zinc-600 dark:text-zinc-400">entropy {formatNats(cell.entropy)}</p>
      <ol className="mt-1 space-y-0.5">
        {cell.tokens.map((token, rank) => {
          const p = cell.probs[rank] ?? 0;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the rank is the identity of a top-k entry.
            <li key={`${rank}-${token}`} className="grid grid-cols-[1.25rem_1fr_2.5rem] items-center gap-1">
              <span className="text-zinc-500">{rank + 1}.</span>
              <span className="relative truncate font-mono">
                <span
                  aria-hidden
                  className="absolute inset-y-0 left-0 rounded-sm bg-emerald-600/20 dark:bg-emerald-400/25"
                  style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }}
                />
                <span className="relative">{displayToken(token)}</span>
              </span>
              <span className="text-right tabular-nums">{formatProbability(p)}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
