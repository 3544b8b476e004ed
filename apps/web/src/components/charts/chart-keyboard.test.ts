import { describe, expect, it } from "vitest";
import { isNavigationKey, nextIndex, zoomAround } from "./chart-keyboard.ts";

const xs = [0, 10, 20, 30, 40, 50];

describe("nextIndex", () => {
  it("starts at the last visible point, or the first on Home", () => {
    expect(nextIndex(xs, 0, 50, null, "ArrowLeft")).toBe(5);
    expect(nextIndex(xs, 0, 50, null, "Home")).toBe(0);
    expect(nextIndex(xs, 5, 35, null, "ArrowRight")).toBe(3);
  });
  it("moves one point and clamps to the visible window", () => {
    expect(nextIndex(xs, 5, 35, 2, "ArrowLeft")).toBe(1);
    expect(nextIndex(xs, 5, 35, 1, "ArrowLeft")).toBe(1);
    expect(nextIndex(xs, 5, 35, 3, "ArrowRight")).toBe(3);
    expect(nextIndex(xs, 5, 35, 2, "End")).toBe(3);
    expect(nextIndex(xs, 5, 35, 2, "Home")).toBe(1);
  });
  it("moves ten points with shift or page keys", () => {
    const many = Array.from({ length: 100 }, (_, i) => i);
    expect(nextIndex(many, 0, 99, 50, "ArrowRight", true)).toBe(60);
    expect(nextIndex(many, 0, 99, 50, "PageDown")).toBe(40);
  });
  it("returns -1 when nothing is visible", () => {
    expect(nextIndex([], 0, 1, null, "End")).toBe(-1);
    expect(nextIndex(xs, 11, 19, null, "End")).toBe(-1);
  });
  it("recognises the navigation keys", () => {
    expect(isNavigationKey("ArrowLeft")).toBe(true);
    expect(isNavigationKey("a")).toBe(false);
  });
});

describe("zoomAround", () => {
  it("halves or doubles the window around the centre, on whole steps", () => {
    expect(zoomAround(50, 0, 100, 0.5)).toEqual({ from: 25, to: 75 });
    expect(zoomAround(50, 25, 75, 2)).toEqual({ from: 0, to: 100 });
  });
  it("never zooms below one step", () => {
    expect(zoomAround(10, 10, 10, 0.5)).toEqual({ from: 9, to: 11 });
  });
});
