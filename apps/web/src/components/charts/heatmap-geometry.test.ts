import { describe, expect, it } from "vitest";
import {
  columnEdges,
  labelStride,
  layerAtY,
  mapPixelsToColumns,
  rowForLayer,
  toPixel,
} from "./heatmap-geometry.ts";

describe("columnEdges", () => {
  it("puts edges at midpoints and mirrors the outer half-widths", () => {
    expect(columnEdges([0, 10, 30])).toEqual([-5, 5, 20, 40]);
  });
  it("handles zero and one step", () => {
    expect(columnEdges([])).toEqual([]);
    expect(columnEdges([7])).toEqual([6.5, 7.5]);
  });
});

describe("mapPixelsToColumns", () => {
  it("gives wider step spans more pixels", () => {
    // steps 0,10,30 → edges -5,5,20,40 (span 45): column widths 10, 15, 20 step units.
    const map = Array.from(mapPixelsToColumns(columnEdges([0, 10, 30]), 9));
    expect(map).toEqual([0, 0, 1, 1, 1, 2, 2, 2, 2]);
  });
  it("maps more steps than pixels by sampling the centre", () => {
    const steps = Array.from({ length: 2000 }, (_, i) => i);
    const map = mapPixelsToColumns(columnEdges(steps), 500);
    expect(map[0]).toBe(2);
    expect(map[499]).toBe(1998);
    for (let i = 1; i < map.length; i++) expect(map[i]).toBeGreaterThan(map[i - 1] as number);
  });
  it("returns an empty map without steps", () => {
    expect(Array.from(mapPixelsToColumns([], 3))).toEqual([-1, -1, -1]);
  });
});

describe("layer rows", () => {
  it("draws the last layer on top", () => {
    expect(rowForLayer(0, 4)).toBe(3);
    expect(rowForLayer(3, 4)).toBe(0);
    expect(layerAtY(0, 100, 4)).toBe(3);
    expect(layerAtY(99, 100, 4)).toBe(0);
    expect(layerAtY(150, 100, 4)).toBe(0);
  });
});

describe("toPixel / labelStride", () => {
  it("maps linearly and centres a degenerate range", () => {
    expect(toPixel(5, 0, 10, 200)).toBe(100);
    expect(toPixel(1, 1, 1, 200)).toBe(100);
  });
  it("thins labels that would overlap", () => {
    expect(labelStride(10, 200, 14)).toBe(1);
    expect(labelStride(64, 200, 14)).toBe(5);
  });
});
