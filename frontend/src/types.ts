// The API's shapes the map reads (schema.graphql is the source of truth;
// these mirror the fields the documents in queries.ts select).

export const WORLDS = [
  "CIVIL_SOCIETY", "ECONOMIC", "SOCIAL_ECONOMY", "PUBLIC", "ACADEMIC", "FUNDING", "INTERMEDIARY",
] as const;
export type World = (typeof WORLDS)[number];

export const THEMES = [
  "EMPLOYMENT", "ECONOMIC_DEVELOPMENT", "AGEING", "SOCIAL_COHESION", "YOUTH_EDUCATION", "HEALTH",
  "MOBILITY", "HOUSING", "ENVIRONMENT_ENERGY", "AGRICULTURE_FOOD", "DIGITAL_INCLUSION", "CULTURE",
] as const;
export type Theme = (typeof THEMES)[number];

export const ALLIANCE_TYPES = [
  "PHILANTHROPY", "RESPONSIBLE_PRACTICES", "ECONOMIC_COOPERATION", "SOCIETAL_INNOVATION",
] as const;
export type AllianceType = (typeof ALLIANCE_TYPES)[number];

export const METRICS = ["degree", "betweenness", "pagerank", "bridgeScore"] as const;
export type Metric = (typeof METRICS)[number];

export const MODES = ["explore", "bridges", "emerging", "territory"] as const;
export type Mode = (typeof MODES)[number];

export type NodeKind = "ACTOR" | "INITIATIVE" | "ALLIANCE";

export interface MapNode {
  id: string;
  kind: NodeKind;
  name: string;
  actorKind: string | null;
  world: World | null;
  territories: string[];
  since: string | null;
  until: string | null;
  degree: number | null;
  betweenness: number | null;
  pagerank: number | null;
  bridgeScore: number | null;
  emergenceScore: number | null;
  declaredFacilitator: boolean | null;
  themes: Theme[] | null;
  allianceType: AllianceType | null;
}

export interface MapEdge {
  source: string;
  target: string;
  type: "MEMBER_OF" | "CONTRIBUTES_TO" | "CARRIES";
  role: string | null;
  since: string | null;
  until: string | null;
}

export interface MapGraph {
  nodes: MapNode[];
  edges: MapEdge[];
  truncated: boolean;
  /** The earliest node start (ISO date) when the server says so (the date slider's range). */
  earliestSince?: string | null;
  /** Positions laid out by the server (big scopes only): the map draws them as they are. */
  positions?: Map<string, { x: number; y: number }> | null;
}

export interface Tie { source: string; target: string; type: string; role: string | null }

/** A node as returned in search, neighbourhood and path (GraphNode union). */
export interface GraphNodeRef {
  __typename: "Actor" | "Initiative" | "Alliance" | "Territory";
  id?: string;
  code?: string;
  name: string;
  world?: World;
  kind?: string;
  level?: string;
}

export interface TerritoryRef { code: string; name: string; level: string }

export interface BridgeRanking {
  rank: number;
  score: number;
  reasons: string[];
  declared: boolean;
  detected: boolean;
  actor: { id: string; name: string; world: World };
}

export interface EmergenceRanking {
  rank: number;
  score: number;
  reasons: string[];
  initiative: { id: string; name: string; stage: string | null; startedOn: string | null };
}

export interface WorldMatrix {
  worlds: World[];
  counts: number[][];
  actors?: number[];
  missingPairs: World[][];
}

export interface TerritoryIndicators {
  actors: number;
  ties?: number;
  crossWorldShare: number | null;
  bridges: number;
  worldMatrix: WorldMatrix;
}
