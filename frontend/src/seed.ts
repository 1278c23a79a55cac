// A cheap first picture for big scopes (pure, unit-tested). ForceAtlas2
// costs ~0.2 s an iteration at 20,000 nodes and 100,000 ties: the seconds
// the worker gets are a few dozen iterations, far from converged when
// started from a random spiral. So the worker starts from this instead:
// each world on its own disc around a circle, each group (initiative,
// alliance) at the centre of its members, each actor pulled halfway to its
// groups, so actors that bridge worlds already sit between them. Linear in
// nodes + ties; deterministic (the jitter comes from the ids).
import { WORLDS, type MapNode } from "./types";

export interface Point { x: number; y: number }

const GOLDEN_ANGLE = 2.39996;

export function seedLayout(
  nodes: Pick<MapNode, "id" | "kind" | "world">[],
  edges: { source: string; target: string }[],
  jitter: (id: string) => number,
): Map<string, Point> {
  const sectors = WORLDS.length + 1; // the worlds, then actors without one
  const sectorOf = (n: Pick<MapNode, "world">): number =>
    n.world === null ? WORLDS.length : WORLDS.indexOf(n.world);
  const actors = nodes.filter((n) => n.kind === "ACTOR");
  const counts = new Array<number>(sectors).fill(0);
  for (const a of actors) counts[sectorOf(a)]! += 1;
  const radius = 10 * Math.sqrt(Math.max(1, nodes.length));
  const seen = new Array<number>(sectors).fill(0);
  const pos = new Map<string, Point>();
  for (const a of actors) {
    const s = sectorOf(a);
    const i = seen[s]!++;
    const angle = (2 * Math.PI * s) / sectors;
    // A sunflower disc whose area follows the world's share of the actors.
    const r = radius * 0.5 * Math.sqrt((i + jitter(a.id)) / Math.max(1, actors.length));
    pos.set(a.id, {
      x: radius * Math.cos(angle) + r * Math.cos(i * GOLDEN_ANGLE),
      y: radius * Math.sin(angle) + r * Math.sin(i * GOLDEN_ANGLE),
    });
  }
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string): void => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const e of edges) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const centre = (id: string, from: Map<string, Point>): Point | null => {
    let x = 0;
    let y = 0;
    let n = 0;
    for (const m of neighbours.get(id) ?? []) {
      const p = from.get(m);
      if (p) { x += p.x; y += p.y; n++; }
    }
    return n ? { x: x / n, y: y / n } : null;
  };
  // Groups at their members' centre (alliances before the initiatives they carry).
  const groups = nodes.filter((n) => n.kind !== "ACTOR")
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "ALLIANCE" ? -1 : 1));
  for (const g of groups) {
    const c = centre(g.id, pos);
    const r = jitter(g.id);
    pos.set(g.id, {
      x: (c?.x ?? 0) + Math.cos(r * 2 * Math.PI) * 2,
      y: (c?.y ?? 0) + Math.sin(r * 2 * Math.PI) * 2,
    });
  }
  // Actors halfway to their groups.
  const groupPos = new Map(groups.map((g) => [g.id, pos.get(g.id)!]));
  for (const a of actors) {
    const c = centre(a.id, groupPos);
    const p = pos.get(a.id)!;
    if (c) pos.set(a.id, { x: (p.x + c.x) / 2, y: (p.y + c.y) / 2 });
  }
  return pos;
}
