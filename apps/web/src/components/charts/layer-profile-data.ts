/** Column layout for LayerProfileChart: one shared layer/depth axis, one column per profile. */
import { layerPositions } from "./depth-normalization.ts";
import { alignToAxis, type PlotValue, unionSorted } from "./step-alignment.ts";
import type { LayerMarker, LayerProfileSeries } from "./types.ts";

export type LayerProfileColumns = [positions: number[], ...values: PlotValue[][]];

/**
 * Aligns profiles of possibly different depth on one x axis (layer index, or depth 0…1 when normalising).
 * A deeper model simply has more points; nothing is interpolated.
 */
export function buildLayerProfileColumns(
  series: readonly LayerProfileSeries[],
  normalizeDepth: boolean,
): LayerProfileColumns {
  const xsPerSeries = series.map((s) => layerPositions(s.values.length, normalizeDepth));
  const axis = unionSorted(xsPerSeries);
  const columns: LayerProfileColumns = [axis];
  series.forEach((s, i) => {
    columns.push(alignToAxis(xsPerSeries[i] as number[], s.values, axis));
  });
  return columns;
}

/**
 * x position of layer markers: the layer index, or layer / L of the deepest profile when normalising
 * (markers such as BuPO's internal layer k refer to the model being shown).
 */
export function layerMarkerPositions(
  markers: readonly LayerMarker[],
  series: readonly LayerProfileSeries[],
  normalizeDepth: boolean,
): { x: number; label: string }[] {
  const count = Math.max(0, ...series.map((s) => s.values.length));
  return markers.map((m) => ({
    x: normalizeDepth ? (count > 1 ? m.layer / (count - 1) : 0) : m.layer,
    label: m.label,
  }));
}
