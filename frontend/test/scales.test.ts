import { describe, expect, it } from "vitest";
import {
  heatColour, MAX_SIZE, metricValue, MIN_SIZE, nodeColour, sizeScale, textOn, WORLD_COLOURS,
} from "../src/scales";
import { WORLDS, type MapNode } from "../src/types";
import { monthsBetween } from "../src/views/filters";

const actor = (extra: Partial<MapNode>): MapNode => ({
  id: "a", kind: "ACTOR", name: "a", actorKind: null, world: "ECONOMIC", territories: [], since: null,
  until: null, degree: null, betweenness: null, pagerank: null, bridgeScore: null, emergenceScore: null,
  declaredFacilitator: null, themes: null, allianceType: null, ...extra });

describe("colour scale", () => {
  it("gives every world its own colour", () => {
    const colours = WORLDS.map((w) => WORLD_COLOURS[w]);
    expect(new Set(colours).size).toBe(WORLDS.length);
    expect(nodeColour({ kind: "ACTOR", world: "PUBLIC" })).toBe(WORLD_COLOURS.PUBLIC);
    expect(nodeColour({ kind: "INITIATIVE", world: null })).not.toBe(nodeColour({ kind: "ALLIANCE", world: null }));
  });
  it("heat map: more ties, darker; none flagged", () => {
    expect(heatColour(0, 10)).toBe("#fbe9e7");
    const lum = (c: string) => (c.match(/\d+/g) ?? []).map(Number).reduce((a, b) => a + b, 0);
    expect(lum(heatColour(10, 10))).toBeLessThan(lum(heatColour(1, 10)));
    expect(textOn(heatColour(10, 10))).toBe("#ffffff");
    expect(textOn(heatColour(1, 100))).toBe("#111111");
    expect(textOn("#ffffff")).toBe("#111111");
  });
});

describe("size scale", () => {
  it("maps 0..max onto MIN..MAX by area", () => {
    const s = sizeScale([0, 4, 16]);
    expect(s(0)).toBe(MIN_SIZE);
    expect(s(16)).toBe(MAX_SIZE);
    expect(s(4)).toBeCloseTo(MIN_SIZE + (MAX_SIZE - MIN_SIZE) / 2);
  });
  it("is flat when every value is zero", () => {
    const s = sizeScale([0, 0]);
    expect(s(0)).toBe(s(5));
  });
  it("reads the chosen metric, falls back to the drawn ties before any analysis", () => {
    expect(metricValue(actor({ pagerank: 0.3, degree: 2 }), "pagerank", 9)).toBe(0.3);
    expect(metricValue(actor({}), "pagerank", 9)).toBe(9);
    expect(metricValue(actor({ degree: 2 }), "bridgeScore", 9)).toBe(0);
    expect(metricValue(actor({}), "degree", 4)).toBe(4);
  });
});

describe("time slider months", () => {
  it("lists months inclusively across years", () => {
    expect(monthsBetween("2015-11", "2016-02")).toEqual(["2015-11", "2015-12", "2016-01", "2016-02"]);
    expect(monthsBetween("2016-02", "2016-01")).toEqual([]);
  });
});
