// The view's whole state, and its round trip through the URL: a link holds
// the scope, filters, date, mode, selection, metric and camera, so whoever
// opens it sees what the sender saw. Pure functions (unit-tested).
import {
  ALLIANCE_TYPES, type AllianceType, METRICS, type Metric, MODES, type Mode, THEMES, type Theme,
  WORLDS, type World,
} from "./types";

export type Lang = "fr" | "en";

export interface Camera { x: number; y: number; ratio: number }

export interface ViewState {
  lang: Lang;
  territory: string | null;
  asOf: string | null;
  worlds: World[];
  themes: Theme[];
  allianceTypes: AllianceType[];
  showInitiatives: boolean;
  showAlliances: boolean;
  metric: Metric;
  mode: Mode;
  selected: string | null;
  expand: { id: string; depth: number } | null;
  path: { from: string; to: string } | null;
  camera: Camera | null;
}

export const DEFAULT_STATE: ViewState = {
  lang: "fr",
  territory: null,
  asOf: null,
  worlds: [],
  themes: [],
  allianceTypes: [],
  showInitiatives: true,
  showAlliances: true,
  metric: "degree",
  mode: "explore",
  selected: null,
  expand: null,
  path: null,
  camera: null,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function pick<T extends string>(allowed: readonly T[], raw: string | null): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(","));
  return allowed.filter((v) => wanted.has(v));
}

function one<T extends string>(allowed: readonly T[], raw: string | null, fallback: T): T {
  return raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;
}

function round(n: number): string {
  return String(Math.round(n * 10000) / 10000);
}

/** The state as URL query parameters; defaults are left out, so links stay short. */
export function toQuery(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.lang !== DEFAULT_STATE.lang) p.set("lang", s.lang);
  if (s.territory) p.set("t", s.territory);
  if (s.asOf) p.set("d", s.asOf);
  if (s.worlds.length) p.set("w", s.worlds.join(","));
  if (s.themes.length) p.set("th", s.themes.join(","));
  if (s.allianceTypes.length) p.set("at", s.allianceTypes.join(","));
  if (!s.showInitiatives) p.set("ini", "0");
  if (!s.showAlliances) p.set("all", "0");
  if (s.metric !== DEFAULT_STATE.metric) p.set("m", s.metric);
  if (s.mode !== DEFAULT_STATE.mode) p.set("mode", s.mode);
  if (s.selected) p.set("sel", s.selected);
  if (s.expand) p.set("x", `${s.expand.depth}:${s.expand.id}`);
  if (s.path) p.set("path", `${s.path.from}>${s.path.to}`);
  if (s.camera) p.set("cam", [s.camera.x, s.camera.y, s.camera.ratio].map(round).join(","));
  return p.toString();
}

/** The state a query string describes; anything unknown or malformed falls back to the default. */
export function fromQuery(query: string): ViewState {
  const p = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const s: ViewState = { ...DEFAULT_STATE };
  s.lang = one<Lang>(["fr", "en"], p.get("lang"), DEFAULT_STATE.lang);
  s.territory = p.get("t") || null;
  const d = p.get("d");
  s.asOf = d && DATE.test(d) ? d : null;
  s.worlds = pick(WORLDS, p.get("w"));
  s.themes = pick(THEMES, p.get("th"));
  s.allianceTypes = pick(ALLIANCE_TYPES, p.get("at"));
  s.showInitiatives = p.get("ini") !== "0";
  s.showAlliances = p.get("all") !== "0";
  s.metric = one<Metric>(METRICS, p.get("m"), DEFAULT_STATE.metric);
  s.mode = one<Mode>(MODES, p.get("mode"), DEFAULT_STATE.mode);
  s.selected = p.get("sel") || null;
  const x = p.get("x");
  const xm = x ? /^([1-4]):(.+)$/.exec(x) : null;
  s.expand = xm && xm[1] && xm[2] ? { depth: Number(xm[1]), id: xm[2] } : null;
  const path = p.get("path");
  const pm = path ? /^(.+?)>(.+)$/.exec(path) : null;
  s.path = pm && pm[1] && pm[2] ? { from: pm[1], to: pm[2] } : null;
  const cam = (p.get("cam") ?? "").split(",").map(Number);
  s.camera = cam.length === 3 && cam.every((n) => Number.isFinite(n)) && (cam[2] ?? 0) > 0
    ? { x: cam[0]!, y: cam[1]!, ratio: cam[2]! } : null;
  return s;
}

/** Which state changes need a new request to the API (the scope), not just a redraw. */
export function scopeKey(s: ViewState): string {
  return [s.territory ?? "*", s.asOf ?? "*", s.showInitiatives, s.showAlliances].join("|");
}
