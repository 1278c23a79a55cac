// Every GraphQL document the map sends, typed. The panel's documents are
// built from the fields the server has (see `capabilities`), so the map
// keeps working while the analysis API grows.
import { doc } from "./api";
import type {
  BridgeRanking, EmergenceRanking, GraphNodeRef, MapGraph, NodeKind, Tie, TerritoryIndicators,
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

export const MAP_GRAPH = doc<{ mapGraph: MapGraph }, {
  territory: string | null; asOf: string | null; include: NodeKind[];
}>(`query MapGraph($territory: String, $asOf: String, $include: [MapNodeKind!]) {
  mapGraph(territory: $territory, asOf: $asOf, include: $include) {
    truncated
    nodes { id kind name actorKind world territories since until degree betweenness pagerank
            bridgeScore emergenceScore declaredFacilitator themes allianceType }
    edges { source target type role since until }
  }
}`);

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
