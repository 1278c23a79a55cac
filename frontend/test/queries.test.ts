import { describe, expect, it } from "vitest";
import {
  dayToIso, MAP_EDGE_COLUMNS, MAP_NODE_COLUMNS, positionsOf, unpackMapGraph, type PackedMapGraph,
} from "../src/queries";

describe("unpackMapGraph", () => {
  const packed: PackedMapGraph = {
    truncated: true,
    earliestSince: "2011-03-01",
    nodes: {
      id: ["actor:a", "actor:b", "alliance:x"],
      kind: ["ACTOR", "ACTOR", "ALLIANCE"],
      name: ["A", "B", "X"],
      world: ["ECONOMIC", null, null],
      pagerank: [0.1234, null, null],
      since: [15034, null, 0],
      allianceType: [null, null, "PHILANTHROPY"],
    },
    edges: { source: [0, 1], target: [2, 2], role: ["PARTNER", null], since: [15034, null] },
  };

  it("rebuilds rows; tie ends are indices into the node ids", () => {
    const g = unpackMapGraph(packed);
    expect(g.truncated).toBe(true);
    expect(g.earliestSince).toBe("2011-03-01");
    expect(g.nodes.map((n) => n.id)).toEqual(["actor:a", "actor:b", "alliance:x"]);
    expect(g.edges.map((e) => [e.source, e.target])).toEqual([["actor:a", "alliance:x"], ["actor:b", "alliance:x"]]);
    expect(g.nodes[0]).toMatchObject({ kind: "ACTOR", name: "A", world: "ECONOMIC", pagerank: 0.1234 });
    expect(g.nodes[2]!.allianceType).toBe("PHILANTHROPY");
  });

  it("decodes day numbers as ISO dates", () => {
    const g = unpackMapGraph(packed);
    expect(g.nodes.map((n) => n.since)).toEqual(["2011-03-01", null, "1970-01-01"]);
    expect(g.edges.map((e) => e.since)).toEqual(["2011-03-01", null]);
    expect(g.edges[0]!.role).toBe("PARTNER");
    expect(dayToIso(-1)).toBe("1969-12-31");
    expect(dayToIso("2020-02-29")).toBe("2020-02-29");
  });

  it("columns not sent read as null (territories as empty)", () => {
    const g = unpackMapGraph({ truncated: false, nodes: { id: ["n"] }, edges: { source: [0], target: [0] } });
    expect(g.earliestSince).toBeNull();
    expect(g.nodes[0]).toMatchObject({ id: "n", name: "n", territories: [], degree: null, themes: null,
                                       allianceType: null, since: null });
    expect(g.edges[0]).toMatchObject({ source: "n", target: "n", role: null, since: null, until: null });
  });

  it("x and y become positions by id, not node fields", () => {
    const g = unpackMapGraph({ ...packed, nodes: { ...packed.nodes, x: [1.5, -20, 0], y: [3, 4.25, -1e3] } });
    expect(g.positions).toEqual(new Map([["actor:a", { x: 1.5, y: 3 }], ["actor:b", { x: -20, y: 4.25 }],
                                         ["alliance:x", { x: 0, y: -1000 }]]));
    expect(g.nodes[0]).not.toHaveProperty("x");
    expect(g.nodes[0]).not.toHaveProperty("y");
    expect(g.nodes[0]).toMatchObject({ kind: "ACTOR", name: "A", world: "ECONOMIC" });
  });

  it("no positions unless both columns came, complete and numeric", () => {
    expect(unpackMapGraph(packed).positions).toBeNull();
    const ids = packed.nodes.id;
    expect(positionsOf({ ...packed, nodes: { id: ids, x: [1, 2, 3] } })).toBeNull();
    expect(positionsOf({ ...packed, nodes: { id: ids, x: [1, 2, 3], y: [1, 2] } })).toBeNull();
    expect(positionsOf({ ...packed, nodes: { id: ids, x: [1, 2, 3], y: [1, null, 3] } })).toBeNull();
    expect(positionsOf({ ...packed, nodes: { id: [], x: [], y: [] } })).toEqual(new Map());
  });

  it("the map asks only for what it draws and filters by", () => {
    expect(MAP_NODE_COLUMNS).toEqual(expect.arrayContaining(["kind", "name", "world", "themes", "allianceType"]));
    expect(MAP_NODE_COLUMNS).toEqual(expect.arrayContaining(["x", "y"]));
    for (const unused of ["territories", "actorKind", "since", "until", "declaredFacilitator", "emergenceScore"]) {
      expect(MAP_NODE_COLUMNS).not.toContain(unused);
    }
    expect(MAP_EDGE_COLUMNS).toEqual([]);
  });
});
