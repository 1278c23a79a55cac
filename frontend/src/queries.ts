// Every GraphQL document the map sends, typed. The panel's documents are
// built from the fields the server has (see `capabilities`), so the map
// keeps working while the analysis API grows.
import { doc } from "./api";
import type {
  BridgeRanking, EmergenceRanking, GraphNodeRef, MapEdge, MapGraph, MapNode, NodeKind, Tie, TerritoryIndicators,
  TerritoryRef,
} from "./types";

export const CAPABILITIES = doc<{
  q: { fields: { name: string }[] } | null;
  a: { fields: { name: string }[] } | null;
  i: { fields: { name: string }[] } | null;
  t: { fields: { name: string }[] } | null;
}>(`query Capabilities {
  q: __type(name: "Query") { fields { name } }
  a: __type(name: "Actor") { fields { name } }
  i: __type(name: "Initiative") { fields { name } }
  t: __type(name: "Territory") { fields { name } }
}`);

/** Node columns that are not MapNode fields: the server's positions, sent
 * only for big scopes (more than its BIG_SCOPE nodes, the map's SYNC_LAYOUT_MAX). */
export type PositionColumn = "x" | "y";

/** The map's scope, packed as columns by the server (`mapGraphPacked`):
 * 20,000 nodes cost milliseconds to serialise instead of seconds. Nodes carry
 * `id` and the columns asked for; tie ends are indices into `nodes.id`; dates
 * are day numbers since 1970-01-01. */
export interface PackedMapGraph {
  truncated: boolean;
  earliestSince?: string | null;
  nodes: { id: string[] } & Partial<Record<keyof MapNode | PositionColumn, unknown[]>>;
  edges: { source: number[]; target: number[] } & Partial<Record<keyof MapEdge, unknown[]>>;
}

/** The node columns the map reads: drawing (kind, name, world colour),
 * sizing (metrics) and the client-side filters (world, themes, alliance type),
 * and the positions of a big scope (sent only for those).
 * Ties: only their ends. Territory, date and node kinds are cut by the server;
 * the panel fetches a node's details when it is opened. */
export const MAP_NODE_COLUMNS: (keyof MapNode | PositionColumn)[] = [
  "kind", "name", "world", "degree", "betweenness", "pagerank", "bridgeScore", "themes", "allianceType", "x", "y",
];
export const MAP_EDGE_COLUMNS: (keyof MapEdge)[] = [];

export const MAP_GRAPH = doc<{ mapGraphPacked: PackedMapGraph }, {
  territory: string | null; asOf: string | null; include: NodeKind[];
  nodeColumns: string[]; edgeColumns: string[];
}>(`query MapGraph($territory: String, $asOf: String, $include: [MapNodeKind!],
  $nodeColumns: [String!], $edgeColumns: [String!]) {
  mapGraphPacked(territory: $territory, asOf: $asOf, include: $include,
    nodeColumns: $nodeColumns, edgeColumns: $edgeColumns)
}`);

const DAY_MS = 86_400_000;
const DATE_COLUMNS = new Set(["since", "until"]);

/** A day number since 1970-01-01 as an ISO date; ISO text passes through. */
export function dayToIso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return new Date(v * DAY_MS).toISOString().slice(0, 10);
  return String(v);
}

const POSITION_COLUMNS = new Set(["x", "y"]);

/** Columns back into the row objects the map and filters work on; the
 * columns not sent read as null (territories: empty; name: the id; kind: ACTOR).
 * The `x`/`y` columns, when both came, become `positions` (not node fields). */
export function unpackMapGraph(p: PackedMapGraph): MapGraph {
  const ids = p.nodes.id;
  const nodeCols = Object.entries(p.nodes).filter(([k]) => k !== "id" && !POSITION_COLUMNS.has(k)) as
    [string, unknown[]][];
  const nodes: MapNode[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const row: Record<string, unknown> = {
      id: ids[i], kind: "ACTOR", name: ids[i], actorKind: null, world: null, territories: [], since: null,
      until: null, degree: null, betweenness: null, pagerank: null, bridgeScore: null, emergenceScore: null,
      declaredFacilitator: null, themes: null, allianceType: null,
    };
    for (const [k, values] of nodeCols) row[k] = DATE_COLUMNS.has(k) ? dayToIso(values[i]) : values[i];
    nodes[i] = row as unknown as MapNode;
  }
  const { source, target } = p.edges;
  const edgeCols = Object.entries(p.edges).filter(([k]) => k !== "source" && k !== "target") as
    [string, unknown[]][];
  const edges: MapEdge[] = new Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const row: Record<string, unknown> = {
      source: ids[source[i]!], target: ids[target[i]!], type: "MEMBER_OF", role: null, since: null, until: null,
    };
    for (const [k, values] of edgeCols) row[k] = DATE_COLUMNS.has(k) ? dayToIso(values[i]) : values[i];
    edges[i] = row as unknown as MapEdge;
  }
  return { truncated: p.truncated, earliestSince: p.earliestSince ?? null, nodes, edges, positions: positionsOf(p) };
}

/** The server's positions by node id; null unless both columns came, with a number for every node. */
export function positionsOf(p: PackedMapGraph): Map<string, { x: number; y: number }> | null {
  const { id: ids, x: xs, y: ys } = p.nodes;
  if (!xs || !ys || xs.length !== ids.length || ys.length !== ids.length) return null;
  const out = new Map<string, { x: number; y: number }>();
  for (let i = 0; i < ids.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    out.set(ids[i]!, { x, y });
  }
  return out;
}

export const TERRITORIES = doc<{ territories: { edges: { node: TerritoryRef }[] } }, { text: string }>(
  `query Territories($text: String!) {
  territories(filter: { text: $text }, first: 12) { edges { node { code name level } } }
}`);

export const TERRITORY = doc<{ territory: TerritoryRef | null }, { code: string }>(
  `query Territory($code: ID!) { territory(code: $code) { code name level } }`);

export const TERRITORY_INDICATORS = doc<{
  territory: (TerritoryRef & { indicators: TerritoryIndicators | null }) | null;
}, { code: string }>(`query TerritoryIndicators($code: ID!) {
  territory(code: $code) {
    code name level
    indicators { actors ties crossWorldShare bridges
                 worldMatrix { worlds counts actors missingPairs } }
  }
}`);

const NODE_REF = `__typename
  ... on Actor { id name world kind }
  ... on Initiative { id name }
  ... on Alliance { id name }
  ... on Territory { code name level }`;

export const SEARCH = doc<{ search: GraphNodeRef[] }, { text: string }>(
  `query Search($text: String!) { search(text: $text, first: 12) { ${NODE_REF} } }`);

export const NEIGHBOURHOOD = doc<{
  neighbourhood: { nodes: GraphNodeRef[]; edges: Tie[]; truncated: boolean };
}, { id: string; depth: number }>(`query Neighbourhood($id: ID!, $depth: Int!) {
  neighbourhood(id: $id, depth: $depth) { truncated nodes { ${NODE_REF} } edges { source target type role } }
}`);

export const PATH = doc<{
  path: { length: number; nodes: GraphNodeRef[]; edges: Tie[] } | null;
}, { from: string; to: string }>(`query Path($from: ID!, $to: ID!) {
  path(from: $from, to: $to) { length nodes { ${NODE_REF} } edges { source target type role } }
}`);

export const BRIDGES = doc<{ facilitatorBridges: BridgeRanking[]; hiddenBridges: BridgeRanking[] }, {
  territory: string | null; asOf: string | null;
}>(`query Bridges($territory: String, $asOf: String) {
  facilitatorBridges(territory: $territory, asOf: $asOf, limit: 20) {
    rank score reasons declared detected actor { id name world }
  }
  hiddenBridges(territory: $territory, asOf: $asOf, limit: 20) {
    rank score reasons declared detected actor { id name world }
  }
}`);

export const EMERGING = doc<{ emergingInitiatives: EmergenceRanking[] }, {
  territory: string | null; asOf: string | null;
}>(`query Emerging($territory: String, $asOf: String) {
  emergingInitiatives(territory: $territory, asOf: $asOf, limit: 20) {
    rank score reasons initiative { id name stage startedOn }
  }
}`);

const PROVENANCE = "provenance { source createdBy createdAt updatedAt }";
const TERRS = "territories { code name level }";

/** The panel's document for one node kind, with the analysis fields the server has. */
export function detailsQuery(kind: NodeKind, caps: { actorMetrics: boolean; initiativeMetrics: boolean }): string {
  if (kind === "ACTOR") {
    const analysis = caps.actorMetrics
      ? "metrics { degree weightedDegree betweenness pagerank eigenvector harmonic constraint effectiveSize community bridgeScore } bridgeReasons"
      : "";
    return `query Actor($id: ID!) { node: actor(id: $id) {
      id name kind world size siren siret rna declaredRoles description website ${TERRS} ${PROVENANCE}
      memberships { role since until alliance { id name } initiative { id name } }
      ${analysis} } }`;
  }
  if (kind === "INITIATIVE") {
    const analysis = caps.initiativeMetrics
      ? "metrics { degree pagerank emergenceScore } emergenceReasons" : "";
    return `query Initiative($id: ID!) { node: initiative(id: $id) {
      id name form stage themes startedOn description website ${TERRS} ${PROVENANCE}
      contributors { role since until actor { id name world } }
      alliances { id name } ${analysis} } }`;
  }
  return `query Alliance($id: ID!) { node: alliance(id: $id) {
    id name type horizon since until evaluated description ${TERRS} ${PROVENANCE}
    members { role since until actor { id name world } }
    initiatives { id name } } }`;
}
