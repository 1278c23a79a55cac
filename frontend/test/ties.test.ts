import { describe, expect, it } from "vitest";
import { ALL_TIES_RATIO, maxTieLength, SHORT_TIE, tieDrawn } from "../src/ties";

describe("which ties a big scope draws at a zoom", () => {
  it("draws short ties at every zoom, on screen or not", () => {
    for (const ratio of [6, 1, 0.5, 0.1, 0.02]) {
      expect(tieDrawn(SHORT_TIE, ratio, false)).toBe(true);
      expect(tieDrawn(0.01, ratio, true)).toBe(true);
    }
  });
  it("hides long ties at the overview and when zoomed out", () => {
    expect(maxTieLength(1)).toBeCloseTo(SHORT_TIE);
    expect(maxTieLength(6)).toBeCloseTo(SHORT_TIE);
    expect(tieDrawn(SHORT_TIE * 1.01, 1, true)).toBe(false);
    expect(tieDrawn(0.5, 3, true)).toBe(false);
  });
  it("shows longer ties as the camera zooms in, only with an end on screen", () => {
    expect(maxTieLength(0.25)).toBeCloseTo(2 * SHORT_TIE);
    expect(tieDrawn(0.19, 0.25, true)).toBe(true);
    expect(tieDrawn(0.19, 0.25, false)).toBe(false);
    expect(tieDrawn(0.21, 0.25, true)).toBe(false);
    expect(tieDrawn(0.4, 0.0625, true)).toBe(true);
    // The longest tie drawn never shrinks while zooming in.
    let last = 0;
    for (let ratio = 6; ratio >= 0.02; ratio *= 0.9) {
      expect(maxTieLength(ratio)).toBeGreaterThanOrEqual(last);
      last = maxTieLength(ratio);
    }
  });
  it("draws every tie with an end on screen once zoomed in 20 times", () => {
    expect(maxTieLength(ALL_TIES_RATIO)).toBe(Infinity);
    expect(tieDrawn(1.4, ALL_TIES_RATIO, true)).toBe(true);
    expect(tieDrawn(1.4, ALL_TIES_RATIO, false)).toBe(false);
    expect(maxTieLength(ALL_TIES_RATIO * 1.01)).toBeLessThan(0.5);
  });
  it("always draws the ties the map emphasises", () => {
    expect(tieDrawn(0.9, 1, false, true)).toBe(true);
    expect(tieDrawn(0.9, 6, false, true)).toBe(true);
  });
});
