"use client";

import {
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from "react";
import { logitLensToCsv } from "./chart-export-data.ts";
import { ChartExportMenu } from "./chart-export-menu.tsx";
import { ChartFrame } from "./chart-frame.tsx";
import { useChartTheme } from "./chart-theme.ts";
import { createColorScale, finiteExtent, gradientStops } from "./color-scale.ts";
import { composeChartPng } from "./file-download.ts";
import { MAX_PNG_POSITIONS, paintLogitLensCanvas } from "./logit-lens-png.ts";
import { type LensPopoverPosition, LogitLensPopover } from "./logit-lens-popover.tsx";
import { cellKey, LogitLensTable } from "./logit-lens-table.tsx";
import { formatValue } from "./tick-format.ts";
import type { LogitLensCell, LogitLensGridData } from "./types.ts";

export interface LogitLensGridProps {
  title: string;
  /** e.g. "rollout 3 at step 1,200". */
  subtitle?: ReactNode;
  data: LogitLensGridData;
  /** Cell background: entropy of the layer's distribution (default) or the top token's probability. */
  colorBy?: "entropy" | "probability";
  /** Fixed entropy colour domain in nats (e.g. [0, ln V]); defaults to the grid's extent. */
  entropyDomain?: [number, number];
  /** Click or Enter on a cell. */
  onCellSelect?: (cell: { layer: number; position: number }) => void;
  loading?: boolean;
  emptyMessage?: string;
}

/**
 * Logit-lens grid: layers × input positions, each cell the top token and its probability, background by
 * entropy. Layer 0 (embeddings) is the bottom row next to the input tokens and the final layer the top row,
 * the same orientation as LayerHeatmap. Scrolls horizontally for long sequences; hover or focus a cell for
 * its top-k list. Arrow keys move between cells (up = deeper layer).
 */
export function LogitLensGrid({
  title,
  subtitle,
  data,
  colorBy = "entropy",
  entropyDomain,
  onCellSelect,
  loading = false,
  emptyMessage,
}: LogitLensGridProps) {
  const theme = useChartTheme();
  const hintId = useId();
  const popoverId = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const layers = data.rows.length;
  const positions = data.positions.length;
  const empty = layers === 0 || positions === 0;
  const [focused, setFocused] = useState({ layer: Math.max(0, layers - 1), position: 0 });
  const [popover, setPopover] = useState<LensPopoverPosition | null>(null);
  const moveFocus = useRef(false);

  const domain = useMemo<[number, number]>(() => {
    if (colorBy === "probability") return [0, 1];
    return entropyDomain ?? finiteExtent(data.rows.flatMap((row) => row.map((c) => c.entropy))) ?? [0, 1];
  }, [colorBy, entropyDomain, data.rows]);
  const colorOf = useMemo(() => {
    const scale = createColorScale(domain);
    return (cell: LogitLensCell) =>
      scale(colorBy === "probability" ? (cell.probs[0] ?? Number.NaN) : cell.entropy);
  }, [domain, colorBy]);

  const showAt = useCallback((target: EventTarget) => {
    const el = (target as HTMLElement).closest?.("td[data-layer]") as HTMLElement | null;
    const wrap = wrapRef.current;
    if (!el || !wrap) return;
    const cell = el.getBoundingClientRect();
    const box = wrap.getBoundingClientRect();
    const above = cell.top - box.top > box.height / 2;
    setPopover({
      layer: Number(el.dataset.layer),
      position: Number(el.dataset.position),
      left: Math.max(0, Math.min(cell.left - box.left, box.width - 240)),
      top: above ? box.bottom - cell.top + 4 : cell.bottom - box.top + 4,
      above,
    });
  }, []);
  const onCellOver = useCallback((e: MouseEvent<HTMLTableElement>) => showAt(e.target), [showAt]);
  const onCellFocus = useCallback(
    (e: FocusEvent<HTMLTableElement>) => {
      const el = e.target as HTMLElement;
      if (el.dataset.layer == null) return;
      setFocused({ layer: Number(el.dataset.layer), position: Number(el.dataset.position) });
      showAt(el);
    },
    [showAt],
  );
  const onLeave = useCallback(() => setPopover(null), []);
  const onBlur = useCallback((e: FocusEvent<HTMLTableElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setPopover(null);
  }, []);
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLTableElement>) => {
      const el = e.target as HTMLElement;
      if (el.dataset.layer == null) return;
      let layer = Number(el.dataset.layer);
      let position = Number(el.dataset.position);
      switch (e.key) {
        case "ArrowUp":
          layer++;
          break;
        case "ArrowDown":
          layer--;
          break;
        case "ArrowLeft":
          position--;
          break;
        case "ArrowRight":
          position++;
          break;
        case "Home":
          position = 0;
          break;
        case "End":
          position = positions - 1;
          break;
        case "PageUp":
          layer = layers - 1;
          break;
        case "PageDown":
          layer = 0;
          break;
        case "Escape":
          setPopover(null);
          return;
        case "Enter":
        case " ":
          onCellSelect?.({ layer, position });
          e.preventDefault();
          return;
        default:
          return;
      }
      e.preventDefault();
      moveFocus.current = true;
      setFocused({
        layer: Math.min(layers - 1, Math.max(0, layer)),
        position: Math.min(positions - 1, Math.max(0, position)),
      });
    },
    [layers, positions, onCellSelect],
  );

  // Move DOM focus after a keyboard move re-rendered the roving tab stop.
  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    const el = wrapRef.current?.querySelector<HTMLElement>(
      `td[data-layer="${focused.layer}"][data-position="${focused.position}"]`,
    );
    el?.focus();
    el?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [focused]);

  const focusKey = cellKey(
    Math.min(focused.layer, Math.max(0, layers - 1)),
    Math.min(focused.position, Math.max(0, positions - 1)),
  );
  const gradient = `linear-gradient(to right, ${gradientStops()
    .map(([t, c]) => `${c} ${t * 100}%`)
    .join(", ")})`;

  return (
    <ChartFrame
      title={title}
      subtitle={subtitle}
      loading={loading}
      empty={empty}
      emptyMessage={emptyMessage}
      minHeight={120}
      toolbar={
        <ChartExportMenu
          title={title}
          disabled={empty}
          getPng={() =>
            composeChartPng({
              source: paintLogitLensCanvas(data, colorOf, theme),
              cssWidth: Math.min(positions, MAX_PNG_POSITIONS) * 64 + 84,
              title,
              subtitle: `top-1 token per layer and position; colour = ${colorBy}${positions > MAX_PNG_POSITIONS ? ` (first ${MAX_PNG_POSITIONS} positions)` : ""}`,
              theme,
            })
          }
          getCsv={() => logitLensToCsv(data)}
          getJson={() => data}
        />
      }
      footer={
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <span className="inline-flex items-center gap-2">
            {colorBy === "entropy" ? "entropy (nats)" : "top-1 probability"}
            <span className="font-mono tabular-nums">{formatValue(domain[0])}</span>
            <span
              aria-hidden
              className="inline-block h-2.5 w-24 rounded-sm"
              style={{ background: gradient }}
            />
            <span className="font-mono tabular-nums">{formatValue(domain[1])}</span>
          </span>
          <span>Final layer on top, layer 0 (embeddings) at the bottom next to the input tokens.</span>
        </div>
      }
    >
      <div ref={wrapRef} className="relative">
        <div className="overflow-x-auto pb-1" onScroll={onLeave}>
          <LogitLensTable
            data={data}
            label={`${title}: top token by layer and position`}
            describedBy={hintId}
            colorOf={colorOf}
            focusKey={focusKey}
            popoverId={popoverId}
            popoverOpen={popover != null}
            onCellOver={onCellOver}
            onCellFocus={onCellFocus}
            onKeyDown={onKeyDown}
            onLeave={onLeave}
            onBlur={onBlur}
          />
        </div>
        {popover ? <LogitLensPopover id={popoverId} data={data} at={popover} /> : null}
      </div>
      <p id={hintId} className="sr-only">
        Arrow keys move between cells: up goes to a deeper layer, down towards the embeddings. The focused
        cell describes its top tokens{onCellSelect ? "; Enter selects it" : ""}.
      </p>
    </ChartFrame>
  );
}
