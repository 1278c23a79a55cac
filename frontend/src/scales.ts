// Colours (by world) and sizes (by the chosen metric): pure functions.
import type { MapNode, Metric, World } from "./types";

/** Tableau-10 hues, distinct for common colour blindness, readable on white. */
export const WORLD_COLOURS: Record<World, string> = {
  CIVIL_SOCIETY: "#e15759",
  ECONOMIC: "#4e79a7",
  SOCIAL_ECONOMY: "#59a14f",
  PUBLIC: "#b07aa1",
  ACADEMIC: "#f28e2b",
  FUNDING: "#9c755f",
  INTERMEDIARY: "#3f9c96",
};
export const INITIATIVE_COLOUR = "#ffffff";
export const INITIATIVE_BORDER = "#37474f";
export const ALLIANCE_COLOUR = "#cfd8dc";
export const ALLIANCE_BORDER = "#78909c";
export const EMERGING_COLOUR = "#f5b700";
export const HIDDEN_BRIDGE_BORDER = "#111111";
export const DIMMED = "#e6e9ec";
export const EDGE_COLOUR = "#c5ccd3";

export function nodeColour(n: Pick<MapNode, "kind" | "world">): string {
  if (n.kind === "INITIATIVE") return INITIATIVE_COLOUR;
  if (n.kind === "ALLIANCE") return ALLIANCE_COLOUR;
  return n.world ? WORLD_COLOURS[n.world] : "#999999";
}

export const MIN_SIZE = 3;
export const MAX_SIZE = 18;

/** The metric's value for a node; `fallbackDegree` (ties drawn) when the run has none. */
export function metricValue(n: MapNode, metric: Metric, fallbackDegree: number): number {
  const v = n[metric];
  if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  return metric === "degree" || !hasAnyMetric(n) ? fallbackDegree : 0;
}

function hasAnyMetric(n: MapNode): boolean {
  return n.degree !== null || n.pagerank !== null || n.betweenness !== null;
}

/** Area-proportional (square root) size between MIN_SIZE and MAX_SIZE. */
export function sizeScale(values: number[]): (v: number) => number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max <= 0) return () => (MIN_SIZE + MAX_SIZE) / 4;
  return (v: number) => MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(Math.max(0, v) / max);
}

/** Heat map colour for a count: white to deep blue; 0 (no tie) stays a warning tint. */
export function heatColour(count: number, max: number): string {
  if (count <= 0) return "#fbe9e7";
  const t = max > 0 ? Math.sqrt(count / max) : 0;
  const from = [222, 235, 247];
  const to = [8, 69, 148];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Black or white text, whichever reads better on `rgb(...)` / `#rrggbb`. */
export function textOn(colour: string): string {
  let rgb: number[];
  if (colour.startsWith("#")) {
    rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  } else {
    rgb = (colour.match(/\d+/g) ?? ["0", "0", "0"]).map(Number);
  }
  const [r, g, b] = rgb.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.179 ? "#111111" : "#ffffff";
}
