/**
 * Chart components for the run, compare and share pages (client components; each file is "use client").
 * Data shapes are in ./types.ts. Orientation convention: on every layer chart, layer 0 (embeddings) is at
 * the bottom and the final layer at the top.
 */
export { ChartExportMenu, type ChartExportMenuProps } from "./chart-export-menu.tsx";
export { DeltaBarChart, type DeltaBarChartProps } from "./delta-bar-chart.tsx";
export { LayerHeatmap, type LayerHeatmapProps } from "./layer-heatmap.tsx";
export { LayerProfileChart, type LayerProfileChartProps } from "./layer-profile-chart.tsx";
export { LogitLensGrid, type LogitLensGridProps } from "./logit-lens-grid.tsx";
export { MetricChart, type MetricChartProps } from "./metric-chart.tsx";
export { SERIES_PALETTE, seriesColor, withAlpha } from "./series-palette.ts";
export { SmoothingControl, type SmoothingControlProps } from "./smoothing-control.tsx";
export { StepScrubber, type StepScrubberProps } from "./step-scrubber.tsx";
export type * from "./types.ts";
