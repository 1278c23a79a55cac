// Which of the loaded nodes the filters keep (pure, unit-tested). The API
// already cut the scope (territory, date, node kinds); worlds, themes and
// alliance types are refinements drawn from the same response.
import type { ViewState } from "./state";
import type { MapGraph, MapNode } from "./types";

export type Filters = Pick<ViewState, "worlds" | "themes" | "allianceTypes" | "showInitiatives"
  | "showAlliances">;

/**
 * The ids of the nodes to draw.
 * - worlds: actors of those worlds; groups stay when one of their kept actors takes part;
 * - themes: initiatives with one of the themes, and the actors and alliances tied to them;
 * - alliance types: alliances of those types (actors stay).
 */
export function visibleIds(graph: MapGraph, f: Filters): Set<string> {
  const byId = new Map<string, MapNode>(graph.nodes.map((n) => [n.id, n]));
  const keep = new Set<string>();
  for (const n of graph.nodes) {
    if (n.kind === "ACTOR") {
      if (!f.worlds.length || (n.world !== null && f.worlds.includes(n.world))) keep.add(n.id);
    } else if (n.kind === "INITIATIVE") {
      if (!f.showInitiatives) continue;
      if (!f.themes.length || (n.themes ?? []).some((t) => f.themes.includes(t))) keep.add(n.id);
    } else {
      if (!f.showAlliances) continue;
      if (!f.allianceTypes.length || (n.allianceType !== null && f.allianceTypes.includes(n.allianceType))) {
        keep.add(n.id);
      }
    }
  }
  if (f.themes.length) {
    // Keep only what touches a kept initiative: its contributors and carriers,
    // and those carriers' members.
    const near = new Set<string>();
    for (const e of graph.edges) {
      if (keep.has(e.target) && byId.get(e.target)?.kind === "INITIATIVE") near.add(e.source);
    }
    for (const e of graph.edges) {
      if (near.has(e.target) && byId.get(e.target)?.kind === "ALLIANCE") near.add(e.source);
    }
    for (const id of [...keep]) {
      const n = byId.get(id);
      if (n && n.kind !== "INITIATIVE" && !near.has(id)) keep.delete(id);
    }
  }
  if (f.worlds.length) {
    // Groups with no kept actor would float alone: drop them.
    const touched = new Set<string>();
    for (const e of graph.edges) {
      if (keep.has(e.source) && byId.get(e.source)?.kind === "ACTOR") touched.add(e.target);
    }
    for (const e of graph.edges) if (touched.has(e.source)) touched.add(e.target);
    for (const id of [...keep]) {
      if (byId.get(id)?.kind !== "ACTOR" && !touched.has(id)) keep.delete(id);
    }
  }
  return keep;
}

/** Ties drawn: both ends kept. */
export function visibleEdges(graph: MapGraph, keep: Set<string>): MapGraph["edges"] {
  return graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
}
