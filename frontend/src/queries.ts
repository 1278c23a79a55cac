// Every GraphQL document the map sends, typed. The panel's documents are
// built from the fields the server has (see `capabilities`), so the map
// keeps working while the analysis API grows.
import { doc } from "./api";
import type {
  BridgeRanking, EmergenceRanking, GraphNodeRef, MapGraph, MapNode, NodeKind, Tie, TerritoryIndicators,
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

/** The map's scope, packed as columns by the server (`mapGraphPacked`):
 * 20,000 nodes cost milliseconds to serialise instead of seconds. */
export interface PackedMapGraph {
  truncated: boolean;
  nodes: { [K in keyof MapNode]: MapNode[K][] };
  edges: { [K in keyof MapGraph["edges"][number]]: MapGraph["edges"][number][K][] };
}

export const MAP_GRAPH = doc<{ mapGraphPacked: PackedMapGraph }, {
  territory: string | null; asOf: string | null; include: NodeKind[];
}>(`query MapGraph($territory: String, $asOf: String, $include: [MapNodeKind!]) {
  mapGraphPacked(territory: $territory, asOf: $asOf, include: $include)
}`);

/** Columns back into the row objects the map and filters work on. */
export function unpackMapGraph(p: PackedMapGraph): MapGraph {
  const rows = <T>(cols: Record<string, unknown[]>): T[] => {
    const columns = Object.entries(cols);
    const n = columns[0]?.[1].length ?? 0;
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const row: Record<string, unknown> = {};
      for (const [k, values] of columns) row[k] = values[i];
      out[i] = row as T;
    }
    return out;
  };
  return {
    truncated: p.truncated,
    nodes: rows<MapNode>(p.nodes as unknown as Record<string, unknown[]>),
    edges: rows<MapGraph["edges"][number]>(p.edges as unknown as Record<string, unknown[]>),
  };
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
