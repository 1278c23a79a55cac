import { describe, expect, it } from "vitest";
import { seedLayout } from "../src/seed";
import type { MapNode } from "../src/types";

type N = Pick<MapNode, "id" | "kind" | "world">;
const actor = (id: string, world: MapNode["world"]): N => ({ id, kind: "ACTOR", world });
const jitter = (id: string): number => (id.length % 10) / 10;
const dist = (a: { x: number; y: number }, b: { x: number; y: number }): number => Math.hypot(a.x - b.x, a.y - b.y);

// Two worlds of 50 actors; "bridge" (ECONOMIC) also joins a public alliance.
const nodes: N[] = [
  ...Array.from({ length: 50 }, (_, i) => actor(`e${i}`, "ECONOMIC")),
  ...Array.from({ length: 50 }, (_, i) => actor(`p${i}`, "PUBLIC")),
  actor("bridge", "ECONOMIC"), actor("alone", null),
  { id: "ae", kind: "ALLIANCE", world: null }, { id: "ap", kind: "ALLIANCE", world: null },
  { id: "ini", kind: "INITIATIVE", world: null },
];
const edges = [
  ...Array.from({ length: 50 }, (_, i) => ({ source: `e${i}`, target: "ae" })),
  ...Array.from({ length: 50 }, (_, i) => ({ source: `p${i}`, target: "ap" })),
  { source: "bridge", target: "ae" }, { source: "bridge", target: "ap" }, { source: "ap", target: "ini" },
];

describe("seedLayout", () => {
  const pos = seedLayout(nodes, edges, jitter);
  const mean = (prefix: string) => {
    const ps = nodes.filter((n) => n.id.startsWith(prefix) && /\d$/.test(n.id)).map((n) => pos.get(n.id)!);
    return { x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length };
  };

  it("places every node at a finite position, the same each time", () => {
    expect(pos.size).toBe(nodes.length);
    for (const p of pos.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    expect(seedLayout(nodes, edges, jitter)).toEqual(pos);
  });

  it("keeps each world together, apart from the other", () => {
    const e = mean("e");
    const p = mean("p");
    expect(dist(pos.get("e0")!, e)).toBeLessThan(dist(pos.get("e0")!, p));
    expect(dist(pos.get("p0")!, p)).toBeLessThan(dist(pos.get("p0")!, e));
  });

  it("puts groups among their members and a bridging actor between the worlds", () => {
    expect(dist(pos.get("ae")!, mean("e"))).toBeLessThan(dist(pos.get("ae")!, mean("p")));
    expect(dist(pos.get("ini")!, pos.get("ap")!)).toBeLessThan(3);
    const b = pos.get("bridge")!;
    const e = mean("e");
    const p = mean("p");
    expect(dist(b, e)).toBeLessThan(dist(e, p));
    expect(dist(b, p)).toBeLessThan(dist(e, p));
  });
});
