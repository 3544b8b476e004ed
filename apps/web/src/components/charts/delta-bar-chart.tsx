"use client";

import { type KeyboardEvent, type MouseEvent, type ReactNode, useId, useMemo, useRef, useState } from "react";
import { layerDeltaToCsv } from "./chart-export-data.ts";
import { ChartExportMenu } from "./chart-export-menu.tsx";
import { ChartFrame } from "./chart-frame.tsx";
import { useChartTheme } from "./chart-theme.ts";
import { barSlot, deltaDirection, deltaDomain, layerAtX } from "./delta-bar-layout.ts";
import { layerName } from "./depth-normalization.ts";
import { composeChartPng, svgToCanvas } from "./file-download.ts";
import { labelStride, toPixel } from "./heatmap-geometry.ts";
import { seriesColor } from "./series-palette.ts";
import { formatNats, formatValue, niceTicks } from "./tick-format.ts";
import type { LayerDeltaData, LayerMarker } from "./types.ts";
import { useElementWidth } from "./use-element-width.ts";

export interface DeltaBarChartProps {
  title: string;
  /** What the bars cover, e.g. "step 1,200" or "pooled over steps 0–3,000". */
  subtitle?: ReactNode;
  data: LayerDeltaData;
  colors?: { attention: string; ffn: string };
  /** Dashed vertical lines at layers, e.g. BuPO's internal layer k. */
  layerMarkers?: LayerMarker[];
  loading?: boolean;
  emptyMessage?: string;
  height?: number;
}

const MARGIN = { left: 52, right: 12, top: 16, bottom: 36 };
const NO_MARKERS: LayerMarker[] = [];

/**
 * Entropy change by layer of the attention and FFN sub-blocks as grouped bars around a zero line:
 * above zero the block expands entropy, below it converges. SVG (few dozen layers), with explicit colours
 * so the PNG export matches the screen.
 */
export function DeltaBarChart({
  title,
  subtitle,
  data,
  colors = { attention: seriesColor(0), ffn: seriesColor(1) },
  layerMarkers = NO_MARKERS,
  loading = false,
  emptyMessage,
  height = 240,
}: DeltaBarChartProps) {
  const theme = useChartTheme();
  const hintId = useId();
  const [hostRef, width] = useElementWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const [active, setActive] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const count = Math.max(data.attention.length, data.ffn.length);
  const empty = count === 0;
  const [min, max] = useMemo(() => deltaDomain(data.attention, data.ffn), [data.attention, data.ffn]);

  const plotWidth = Math.max(10, width - MARGIN.left - MARGIN.right);
  const plotHeight = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const y = (v: number) => MARGIN.top + plotHeight - toPixel(v, min, max, plotHeight);
  const zeroY = y(0);
  const band = plotWidth / Math.max(1, count);
  const stride = labelStride(count, plotWidth, 28);
  const describe = (i: number) =>
    `${layerName(i, data.layerLabels)}: attention ${signed(data.attention[i])} (${deltaDirection(data.attention[i] ?? Number.NaN)}), FFN ${signed(data.ffn[i])} (${deltaDirection(data.ffn[i] ?? Number.NaN)})`;

  const onMouseMove = (event: MouseEvent<SVGSVGElement>) => {
    const x = event.clientX - event.currentTarget.getBoundingClientRect().left - MARGIN.left;
    setActive(x < 0 || x > plotWidth ? null : layerAtX(x, count, plotWidth));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (empty) return;
    const current = active ?? -1;
    const next =
      event.key === "ArrowRight"
        ? current + 1
        : event.key === "ArrowLeft"
          ? current < 0
            ? count - 1
            : current - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? count - 1
              : null;
    if (next == null) return;
    event.preventDefault();
    const clamped = Math.min(count - 1, Math.max(0, next));
    setActive(clamped);
    setAnnouncement(describe(clamped));
  };

  const bar = (i: number, which: 0 | 1, value: number | undefined, color: string) => {
    if (value == null || !Number.isFinite(value)) return null;
    const slot = barSlot(i, count, plotWidth, which);
    const top = Math.min(y(value), zeroY);
    return (
      <rect
        key={`${which}-${i}`}
        x={MARGIN.left + slot.x}
        y={top}
        width={slot.width}
        height={Math.max(value === 0 ? 0 : 1, Math.abs(y(value) - zeroY))}
        fill={color}
      />
    );
  };
  const activeLeft = active == null ? 0 : MARGIN.left + active * band;
  const flipTooltip = activeLeft > width - 220;

  return (
    <ChartFrame
      title={title}
      subtitle={subtitle}
      loading={loading}
      empty={empty}
      emptyMessage={emptyMessage}
      minHeight={height}
      toolbar={
        <ChartExportMenu
          title={title}
          disabled={empty}
          getPng={async () => {
            if (!svgRef.current) return null;
            const canvas = await svgToCanvas(svgRef.current, width, height);
            return composeChartPng({
              source: canvas,
              cssWidth: width,
              title,
              subtitle: typeof subtitle === "string" ? subtitle : "ΔH by layer",
              legend: [
                { label: "attention ΔH", color: colors.attention },
                { label: "FFN ΔH", color: colors.ffn },
              ],
              theme,
            });
          }}
          getCsv={() => layerDeltaToCsv(data)}
          getJson={() => data}
        />
      }
      footer="ΔH = entropy after the block − before it. Above zero the block expands entropy, below it converges. Layers are 0-based."
    >
      <div
        ref={hostRef}
        role="application"
        aria-roledescription="chart"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard-operated chart (arrow keys move a cursor, values go to a live region).
        tabIndex={0}
        aria-label={`${title}: attention and FFN entropy change for ${count} layers`}
        aria-describedby={hintId}
        onKeyDown={onKeyDown}
        onBlur={() => setActive(null)}
        className="relative w-full rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
        style={{ height }}
      >
        {width > 0 ? (
          <svg
            ref={svgRef}
            width={width}
            height={height}
            aria-hidden
            onMouseMove={onMouseMove}
            onMouseLeave={() => setActive(null)}
            fontFamily={theme.font}
            fontSize={11}
          >
            {active != null ? (
              <rect
                x={activeLeft}
                y={MARGIN.top}
                width={band}
                height={plotHeight}
                fill={theme.grid}
                opacity={0.6}
              />
            ) : null}
            {niceTicks(min, max, 5).map((t) => (
              <g key={t}>
                <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(t)} y2={y(t)} stroke={theme.grid} />
                <text
                  x={MARGIN.left - 6}
                  y={y(t)}
                  textAnchor="end"
                  dominantBaseline="middle"
                  fill={theme.text}
                >
                  {formatValue(t)}
                </text>
              </g>
            ))}
            {Array.from({ length: count }, (_, i) => [
              bar(i, 0, data.attention[i], colors.attention),
              bar(i, 1, data.ffn[i], colors.ffn),
            ])}
            <line
              x1={MARGIN.left}
              x2={MARGIN.left + plotWidth}
              y1={zeroY}
              y2={zeroY}
              stroke={theme.zeroLine}
              strokeWidth={1.25}
            />
            {max > 0 ? (
              <text x={MARGIN.left + 4} y={MARGIN.top + 10} fill={theme.mutedText}>
                ↑ expands
              </text>
            ) : null}
            {min < 0 ? (
              <text x={MARGIN.left + 4} y={MARGIN.top + plotHeight - 4} fill={theme.mutedText}>
                ↓ converges
              </text>
            ) : null}
            {layerMarkers.map((m) => {
              const x = MARGIN.left + (m.layer + 0.5) * band;
              return (
                <g key={`${m.layer}-${m.label}`}>
                  <line
                    x1={x}
                    x2={x}
                    y1={MARGIN.top}
                    y2={MARGIN.top + plotHeight}
                    stroke={theme.marker}
                    strokeWidth={1.5}
                    strokeDasharray="5 4"
                  />
                  <text x={x + 4} y={MARGIN.top - 4} fill={theme.marker}>
                    {m.label}
                  </text>
                </g>
              );
            })}
            {Array.from({ length: count }, (_, i) =>
              i % stride === 0 ? (
                <text
                  // biome-ignore lint/suspicious/noArrayIndexKey: the layer index is the identity of a tick.
                  key={i}
                  x={MARGIN.left + (i + 0.5) * band}
                  y={MARGIN.top + plotHeight + 14}
                  textAnchor="middle"
                  fill={theme.text}
                >
                  {data.layerLabels[i] ?? i}
                </text>
              ) : null,
            )}
            <text x={MARGIN.left + plotWidth / 2} y={height - 4} textAnchor="middle" fill={theme.text}>
              layer
            </text>
            <text
              transform={`translate(12 ${MARGIN.top + plotHeight / 2}) rotate(-90)`}
              textAnchor="middle"
              fill={theme.text}
            >
              ΔH (nats)
            </text>
          </svg>
        ) : null}
        {active != null ? (
          <div
            aria-hidden
            className="pointer-events-none absolute z-10 whitespace-nowrap rounded-md border border-zinc-200 bg-white px-2 py-1 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900"
            style={{
              top: MARGIN.top + 4,
              ...(flipTooltip ? { right: width - activeLeft + 6 } : { left: activeLeft + band + 6 }),
            }}
          >
            <div className="font-medium">{layerName(active, data.layerLabels)}</div>
            <div>
              <span style={{ color: colors.attention }}>■</span> attention{" "}
              {formatNats(data.attention[active])}{" "}
              <span className="text-zinc-500 dark:text-zinc-400">
                {deltaDirection(data.attention[active] ?? Number.NaN)}
              </span>
            </div>
            <div>
              <span style={{ color: colors.ffn }}>■</span> FFN {formatNats(data.ffn[active])}{" "}
              <span className="text-zinc-500 dark:text-zinc-400">
                {deltaDirection(data.ffn[active] ?? Number.NaN)}
              </span>
            </div>
          </div>
        ) : null}
      </div>
      <ul className="mt-2 flex gap-4 text-xs" aria-label="Legend">
        <li className="inline-flex items-center gap-1.5">
          <span aria-hidden className="h-2.5 w-2.5 rounded-sm" style={{ background: colors.attention }} />{" "}
          attention ΔH
        </li>
        <li className="inline-flex items-center gap-1.5">
          <span aria-hidden className="h-2.5 w-2.5 rounded-sm" style={{ background: colors.ffn }} /> FFN ΔH
        </li>
      </ul>
      <p id={hintId} className="sr-only">
        Left and right arrows step through layers and read both values.
      </p>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </ChartFrame>
  );
}

function signed(v: number | undefined): string {
  if (v == null || !Number.isFinite(v)) return "not measured";
  return `${v > 0 ? "+" : ""}${formatNats(v)}`;
}
