import { describe, expect, it } from "vitest";
import type { MapEdge, MapGraph, MapNode } from "../src/types";
import { visibleEdges, visibleIds, type Filters } from "../src/visible";

function node(id: string, kind: MapNode["kind"], extra: Partial<MapNode> = {}): MapNode {
  return { id, kind, name: id, actorKind: null, world: null, territories: [], since: null, until: null,
           degree: null, betweenness: null, pagerank: null, bridgeScore: null, emergenceScore: null,
           declaredFacilitator: null, themes: null, allianceType: null, ...extra };
}
const edge = (source: string, target: string, type: MapEdge["type"] = "MEMBER_OF"): MapEdge =>
  ({ source, target, type, role: null, since: null, until: null });

// a1 (ECONOMIC), a2 (PUBLIC) in alliance al (PHILANTHROPY) carrying i1 (AGEING);
// a3 (CIVIL_SOCIETY) contributes to i2 (HEALTH).
const G: MapGraph = {
  truncated: false,
  nodes: [
    node("a1", "ACTOR", { world: "ECONOMIC" }), node("a2", "ACTOR", { world: "PUBLIC" }),
    node("a3", "ACTOR", { world: "CIVIL_SOCIETY" }),
    node("al", "ALLIANCE", { allianceType: "PHILANTHROPY" }),
    node("i1", "INITIATIVE", { themes: ["AGEING"] }), node("i2", "INITIATIVE", { themes: ["HEALTH"] }),
  ],
  edges: [edge("a1", "al"), edge("a2", "al"), edge("al", "i1", "CARRIES"), edge("a3", "i2", "CONTRIBUTES_TO")],
};
const ALL: Filters = { worlds: [], themes: [], allianceTypes: [], showInitiatives: true, showAlliances: true };
const ids = (f: Partial<Filters>) => [...visibleIds(G, { ...ALL, ...f })].sort();

describe("filters", () => {
  it("no filter keeps everything", () => {
    expect(ids({})).toEqual(["a1", "a2", "a3", "al", "i1", "i2"]);
  });
  it("worlds keep their actors and the groups those actors reach", () => {
    expect(ids({ worlds: ["CIVIL_SOCIETY"] })).toEqual(["a3", "i2"]);
    expect(ids({ worlds: ["ECONOMIC"] })).toEqual(["a1", "al", "i1"]);
  });
  it("themes keep the initiatives, their contributors, carriers and carriers' members", () => {
    expect(ids({ themes: ["AGEING"] })).toEqual(["a1", "a2", "al", "i1"]);
    expect(ids({ themes: ["HEALTH"] })).toEqual(["a3", "i2"]);
  });
  it("alliance types hide other alliances only", () => {
    expect(ids({ allianceTypes: ["SOCIETAL_INNOVATION"] })).toEqual(["a1", "a2", "a3", "i1", "i2"]);
  });
  it("kinds can be hidden", () => {
    expect(ids({ showInitiatives: false, showAlliances: false })).toEqual(["a1", "a2", "a3"]);
  });
  it("edges need both ends", () => {
    const keep = visibleIds(G, { ...ALL, worlds: ["CIVIL_SOCIETY"] });
    expect(visibleEdges(G, keep)).toEqual([edge("a3", "i2", "CONTRIBUTES_TO")]);
  });
});
