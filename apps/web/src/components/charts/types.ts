/**
 * Data shapes the chart components draw. Series come from the server already downsampled with min/max per
 * bucket (so no spike disappears); a chart asks for a new range on zoom via `onRangeChange`.
 */

/** One downsampled series: per bucket the step span, min, max and mean of the metric. */
export interface SeriesBuckets {
  key: string;
  /** Representative step of each bucket (its last step). */
  step: number[];
  min: number[];
  max: number[];
  mean: number[];
}

export interface ChartSeries {
  /** Legend label, e.g. the run name when comparing. */
  label: string;
  color: string;
  data: SeriesBuckets;
}

export interface StepRange {
  from: number;
  to: number;
}

/** A vertical marker, e.g. the BuPO phase switch at step S. */
export interface StepMarker {
  step: number;
  label: string;
}

/** Layer × step matrix (rows = layers, 0 = embeddings/first layer), values in nats. */
export interface LayerHeatmapData {
  steps: number[];
  /** values[layer][i] for steps[i]; NaN where not measured. */
  values: number[][];
  layerLabels: string[];
}

/** One logit-lens cell: top tokens and probabilities at (layer, position). */
export interface LogitLensCell {
  tokens: string[];
  probs: number[];
  entropy: number;
}

export interface LogitLensGridData {
  /** Input tokens along the positions axis. */
  positions: string[];
  /** rows[layer][position]; layer 0 = embeddings, last = final layer. */
  rows: LogitLensCell[][];
  layerLabels: string[];
}

/** One curve of a layer profile (entropy along depth), e.g. one run or one step. */
export interface LayerProfileSeries {
  label: string;
  color: string;
  /** values[i] for profile point i (0 = embeddings/first layer, last = final layer); NaN where not measured. */
  values: number[];
  /** Drawn dashed (e.g. a second module of the same run). */
  dashed?: boolean;
}

/** A vertical marker on a layer axis, e.g. BuPO's internal layer k. In layer-index units (0-based). */
export interface LayerMarker {
  layer: number;
  label: string;
}

/** Entropy change (nats) by layer of the attention and FFN sub-blocks, for one step or pooled over steps. */
export interface LayerDeltaData {
  layerLabels: string[];
  /** ΔH of attention per layer; positive = the block expands entropy, negative = it converges. NaN = missing. */
  attention: number[];
  /** ΔH of the FFN per layer, same sign convention. */
  ffn: number[];
}
