"use client";

import { type FocusEvent, type KeyboardEvent, type MouseEvent, memo } from "react";
import { type Rgb, readableTextColor, rgbToCss } from "./color-scale.ts";
import { formatProbability } from "./tick-format.ts";
import { clipToken, displayToken } from "./token-display.ts";
import type { LogitLensCell, LogitLensGridData } from "./types.ts";

export interface LogitLensTableProps {
  data: LogitLensGridData;
  label: string;
  describedBy: string;
  colorOf: (cell: LogitLensCell) => Rgb | null;
  /** Roving tab stop: the one focusable cell, "layer:position". */
  focusKey: string;
  /** id of the popover, referenced by the focused cell. */
  popoverId: string;
  popoverOpen: boolean;
  onCellOver: (event: MouseEvent<HTMLTableElement>) => void;
  onCellFocus: (event: FocusEvent<HTMLTableElement>) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTableElement>) => void;
  onLeave: () => void;
  onBlur: (event: FocusEvent<HTMLTableElement>) => void;
}

export const cellKey = (layer: number, position: number) => `${layer}:${position}`;

/**
 * The lens grid as a table (role=grid): one row per layer, last layer at the top and layer 0 at the bottom
 * next to the input tokens, matching LayerHeatmap. Memoised so hover only re-renders the popover.
 */
export const LogitLensTable = memo(function LogitLensTable({
  data,
  label,
  describedBy,
  colorOf,
  focusKey,
  popoverId,
  popoverOpen,
  onCellOver,
  onCellFocus,
  onKeyDown,
  onLeave,
  onBlur,
}: LogitLensTableProps) {
  const layers = data.rows.map((_, layer) => layer).reverse();
  return (
    <table
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: APG data-grid pattern (table role=grid, arrow keys).
      role="grid"
      aria-label={label}
      aria-describedby={describedBy}
      onMouseOver={onCellOver}
      onFocus={onCellFocus}
      onKeyDown={onKeyDown}
      onMouseLeave={onLeave}
      onBlur={onBlur}
      className="border-separate border-spacing-px text-xs"
    >
      <tbody>
        {layers.map((layer) => (
          <tr key={layer}>
            <th
              scope="row"
              className="sticky left-0 z-10 bg-white pr-2 text-right font-normal whitespace-nowrap text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
            >
              {data.layerLabels[layer] ?? layer}
            </th>
            {data.positions.map((_, position) => {
              const cell = data.rows[layer]?.[position];
              const rgb = cell ? colorOf(cell) : null;
              const key = cellKey(layer, position);
              const focused = key === focusKey;
              return (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: positions are the stable identity of columns.
                  key={position}
                  // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: cells of the APG data grid.
                  role="gridcell"
                  tabIndex={focused ? 0 : -1}
                  data-layer={layer}
                  data-position={position}
                  aria-describedby={focused && popoverOpen ? popoverId : undefined}
                  className="h-9 w-16 min-w-16 max-w-16 cursor-default rounded-sm px-0.5 text-center leading-tight outline-none focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-emerald-500 bg-zinc-100 dark:bg-zinc-800"
                  style={rgb ? { background: rgbToCss(rgb), color: readableTextColor(rgb) } : undefined}
                >
                  {cell && cell.tokens.length > 0 ? (
                    <>
                      <span className="block truncate font-mono">
                        {clipToken(displayToken(cell.tokens[0] ?? ""), 8)}
                      </span>
                      <span className="block text-[10px] opacity-80">
                        {formatProbability(cell.probs[0] ?? Number.NaN)}
                      </span>
                    </>
                  ) : (
                    <span className="text-zinc-500">–</span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th
            scope="col"
            className="sticky left-0 z-10 bg-white pr-2 text-right text-[10px] font-normal text-zinc-500 dark:bg-zinc-900"
          >
            input →
          </th>
          {data.positions.map((token, position) => (
            <th
              // biome-ignore lint/suspicious/noArrayIndexKey: positions are the stable identity of columns.
              key={position}
              scope="col"
              title={`position ${position}`}
              className="max-w-16 truncate pt-1 font-mono font-normal text-zinc-700 dark:text-zinc-300"
            >
              {clipToken(displayToken(token), 8)}
            </th>
          ))}
        </tr>
      </tfoot>
    </table>
  );
});
