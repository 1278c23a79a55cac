// One store for the whole page: the view state (mirrored in the URL) plus
// what was loaded. Views subscribe and redraw what concerns them.
import { DEFAULT_STATE, fromQuery, toQuery, type ViewState } from "./state";
import type { MapGraph, TerritoryRef } from "./types";

export interface Capabilities {
  bridges: boolean;
  emerging: boolean;
  indicators: boolean;
  actorMetrics: boolean;
  initiativeMetrics: boolean;
}

export interface Data {
  graph: MapGraph | null;
  loading: boolean;
  error: string | null;
  territory: TerritoryRef | null;
  caps: Capabilities;
  /** Nodes to emphasise (bridges, emerging, neighbourhood, path), by id. */
  highlight: Map<string, "bridge" | "hidden" | "emerging" | "focus" | "path">;
  pathEdges: Set<string>;
  /** The introduction path found (names in order), "none", or null when not asked. */
  pathInfo: { names: string[]; length: number } | "none" | null;
  /** Reasons from the rankings, by node id (shown in the panel). */
  reasons: Map<string, string[]>;
}

type Listener = (state: ViewState, data: Data, changed: Set<string>) => void;

export class Store {
  state: ViewState;
  data: Data;
  private listeners: Listener[] = [];

  constructor(initial: ViewState = DEFAULT_STATE) {
    this.state = initial;
    this.data = {
      graph: null, loading: false, error: null, territory: null,
      caps: { bridges: false, emerging: false, indicators: false, actorMetrics: false,
              initiativeMetrics: false },
      highlight: new Map(), pathEdges: new Set(), pathInfo: null, reasons: new Map(),
    };
  }

  static fromLocation(): Store {
    return new Store(fromQuery(window.location.search));
  }

  subscribe(fn: Listener): void {
    this.listeners.push(fn);
  }

  /** Change the view state; the URL follows (replaceState: no history spam). */
  set(patch: Partial<ViewState>): void {
    const changed = new Set<string>();
    for (const [k, v] of Object.entries(patch)) {
      if (JSON.stringify((this.state as unknown as Record<string, unknown>)[k]) !== JSON.stringify(v)) {
        changed.add(k);
      }
    }
    if (!changed.size) return;
    this.state = { ...this.state, ...patch };
    if (typeof window !== "undefined") {
      const q = toQuery(this.state);
      window.history.replaceState(null, "", q ? `?${q}` : window.location.pathname);
    }
    this.emit(changed);
  }

  /** Change loaded data (not in the URL). */
  put(patch: Partial<Data>): void {
    this.data = { ...this.data, ...patch };
    this.emit(new Set(Object.keys(patch).map((k) => `data.${k}`)));
  }

  private emit(changed: Set<string>): void {
    for (const fn of this.listeners) fn(this.state, this.data, changed);
  }
}
