/**
 * Geometry of the layer × step heatmap. Columns sit in step space (uneven step spacing stays honest): column
 * i spans from the midpoint with its left neighbour to the midpoint with its right one. Drawing maps every
 * pixel column to the step column under its centre once — O(width + steps) — instead of per-cell rects.
 */

/** n + 1 column edges in step units for n ascending steps (a lone step spans step ± 0.5). */
export function columnEdges(steps: readonly number[]): number[] {
  const n = steps.length;
  if (n === 0) return [];
  if (n === 1) return [(steps[0] as number) - 0.5, (steps[0] as number) + 0.5];
  const edges = new Array<number>(n + 1);
  for (let i = 1; i < n; i++) edges[i] = ((steps[i - 1] as number) + (steps[i] as number)) / 2;
  edges[0] = (steps[0] as number) - ((edges[1] as number) - (steps[0] as number));
  edges[n] = (steps[n - 1] as number) + ((steps[n - 1] as number) - (edges[n - 1] as number));
  return edges;
}

/** For each of `width` pixel columns, the step column under its centre (edges from columnEdges). */
export function mapPixelsToColumns(edges: readonly number[], width: number): Int32Array {
  const px = Math.max(0, Math.floor(width));
  const out = new Int32Array(px).fill(-1);
  const columns = edges.length - 1;
  if (columns < 1 || px === 0) return out;
  const lo = edges[0] as number;
  const span = (edges[columns] as number) - lo;
  let col = 0;
  for (let x = 0; x < px; x++) {
    const value = lo + ((x + 0.5) / px) * span;
    while (col < columns - 1 && (edges[col + 1] as number) <= value) col++;
    out[x] = col;
  }
  return out;
}

/** Linear map of `value` in [min, max] onto [0, length] pixels. */
export function toPixel(value: number, min: number, max: number, length: number): number {
  return max === min ? length / 2 : ((value - min) / (max - min)) * length;
}

/** Row (0 = top) at which `layer` is drawn when the last layer is on top. */
export function rowForLayer(layer: number, layerCount: number): number {
  return layerCount - 1 - layer;
}

/** Layer under a y offset (0 = top edge) in a plot of `height` pixels showing `layerCount` layers. */
export function layerAtY(y: number, height: number, layerCount: number): number {
  if (layerCount < 1 || height <= 0) return -1;
  const row = Math.min(layerCount - 1, Math.max(0, Math.floor((y / height) * layerCount)));
  return rowForLayer(row, layerCount);
}

/** Every k-th label index so labels at least `minGap` px apart fit in `length` px. */
export function labelStride(count: number, length: number, minGap: number): number {
  if (count <= 0 || length <= 0) return 1;
  return Math.max(1, Math.ceil((count * minGap) / length));
}
