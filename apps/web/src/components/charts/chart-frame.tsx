"use client";

import { type ReactNode, useId } from "react";

export interface ChartFrameProps {
  title: string;
  /** Short line under the title, e.g. "step 1,200" or "pooled over steps 0–3k". */
  subtitle?: ReactNode;
  /** Buttons and inputs shown right of the title (ChartToolbar, ChartExportMenu). */
  toolbar?: ReactNode;
  /** Text under the plot (axis notes, keyboard hints). */
  footer?: ReactNode;
  loading?: boolean;
  empty?: boolean;
  emptyMessage?: string;
  /** Minimum plot-area height so empty/loading states keep the layout stable. */
  minHeight: number;
  children: ReactNode;
}

/**
 * Card-styled <figure> every chart sits in: title as the figure's caption (its accessible name), a toolbar,
 * and loading / empty overlays. The plot stays mounted under the overlays so canvases survive refetches.
 */
export function ChartFrame({
  title,
  subtitle,
  toolbar,
  footer,
  loading = false,
  empty = false,
  emptyMessage = "No data yet",
  minHeight,
  children,
}: ChartFrameProps) {
  const titleId = useId();
  return (
    <figure
      aria-labelledby={titleId}
      aria-busy={loading || undefined}
      className="min-w-0 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <figcaption id={titleId} className="min-w-0">
          <span className="block text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</span>
          {subtitle ? (
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">{subtitle}</span>
          ) : null}
        </figcaption>
        {toolbar ? <div className="flex flex-wrap items-center gap-2">{toolbar}</div> : null}
      </div>
      <div className="relative mt-3" style={{ minHeight }}>
        <div className={empty && !loading ? "invisible" : loading ? "opacity-50" : undefined}>{children}</div>
        {loading ? (
          <div role="status" className="absolute inset-0 flex items-center justify-center">
            <span className="rounded-md bg-white/90 px-3 py-1 text-sm text-zinc-700 shadow-sm dark:bg-zinc-900/90 dark:text-zinc-300">
              Loading…
            </span>
          </div>
        ) : empty ? (
          <div className="absolute inset-0 flex items-center justify-center rounded-md border border-dashed border-zinc-300 dark:border-zinc-700">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{emptyMessage}</p>
          </div>
        ) : null}
      </div>
      {footer ? <div className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">{footer}</div> : null}
    </figure>
  );
}
