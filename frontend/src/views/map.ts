// The map: a graphology graph drawn by sigma.js (WebGL), laid out by
// ForceAtlas2. Small scopes are laid out synchronously from seeded positions
// (so a shared link shows the same picture). Large ones come laid out by the
// server (`x`/`y` columns) and are drawn as they are; without those (an
// older server), they are laid out in a web worker while the map stays
// interactive. Filters and highlights go through
// sigma's reducers: nothing is re-laid out when only the filters change.
// Large scopes are drawn with sigma's cheapest programs (one point a node,
// one line a tie), and the worker's positions reach the drawn graph once a
// second, not on every iteration: each hand-over re-indexes 100,000 ties.
// Their ties are not drawn while the camera moves, and long ties (between
// communities) only once zoomed in (../ties.ts, ./lines.ts).
import { createNodeBorderProgram } from "@sigma/node-border";
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import Sigma from "sigma";
import { EdgeRectangleProgram } from "sigma/rendering";
import type { NodeDisplayData } from "sigma/types";

import { t } from "../i18n";
import {
  ALLIANCE_BORDER, DIMMED, EDGE_COLOUR, EMERGING_COLOUR, HIDDEN_BRIDGE_BORDER, INITIATIVE_BORDER,
  metricValue, nodeColour, sizeScale,
} from "../scales";
import { seedLayout } from "../seed";
import type { Camera } from "../state";
import type { Data, Store } from "../store";
import type { MapGraph, MapNode, Metric } from "../types";
import { visibleIds } from "../visible";
import { createTieLineProgram, type TieDisplayData } from "./lines";
import { NodePointBorderProgram } from "./points";

export interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  color: string;
  borderColor: string;
  borderSize: number;
  label: string;
  type: string;
  node: MapNode;
}
interface EdgeAttrs { size: number; color: string; type: string }

/** Above this many nodes a scope is big: laid out by the server (or, without
 * its positions, in the worker), drawn with the cheap programs. Keep equal to
 * BIG_SCOPE in graphmap/services/maplayout.py, which sends positions for
 * exactly these scopes (tests/unit/services/test_maplayout.py compares them). */
export const SYNC_LAYOUT_MAX = 2500;
const WORKER_MS_PER_1K = 300;
const LAYOUT_APPLY_MS = 1000;
const CAMERA_IDLE_MS = 400;
/** Big scopes: ties come back once the camera has been still this long, not
 * between the steps of a pan or a zoom (each redraw of the ties blocks the
 * next frame for as long as it takes to draw them). */
const TIES_IDLE_MS = 200;
/** Big scopes draw smaller discs: thousands overlap at the overview anyway,
 * and without a GPU the frame time follows the pixels the discs cover
 * (20k nodes: ~30 fps panned at half size, ~11 at full size). */
const BIG_SIZE_FACTOR = 0.5;
/** Program names: the detailed ones (antialiased quads) and the cheap ones (points, lines). */
const NODE_TYPE = { small: "bordered", big: "point" } as const;
const EDGE_TYPE = { small: "rect", big: "thin" } as const;
const positions = new Map<string, { x: number; y: number }>();

/** A stable pseudo-random number in [0, 1) from a string (seeded layout). */
export function hash01(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 100000) / 100000;
}

export class MapView {
  graph = new Graph<NodeAttrs, EdgeAttrs>({ type: "undirected", multi: false });
  readonly sigma: Sigma<NodeAttrs, EdgeAttrs>;
  private layout: FA2Layout | null = null;
  private layoutTimer = 0;
  private applyTimer = 0;
  private layoutPending = false;
  private big = false;
  private visible = new Set<string>();
  /** Every node passes the filters: ties need no per-end test. */
  private allVisible = true;
  private neighbours = new Set<string>();
  private hovered: string | null = null;
  private cameraTimer = 0;
  private cameraMovedAt = 0;
  /** The last camera change by the person (not by setCamera). */
  private tiesMovedAt = 0;
  private tiesTimer = 0;
  private applyingCamera = false;
  onLayoutDone: () => void = () => {};

  constructor(private container: HTMLElement, private store: Store) {
    const bordered = createNodeBorderProgram<NodeAttrs, EdgeAttrs>({
      borders: [
        { size: { attribute: "borderSize", defaultValue: 0.12 }, color: { attribute: "borderColor" } },
        { size: { fill: true }, color: { attribute: "color" } },
      ],
    });
    this.sigma = new Sigma<NodeAttrs, EdgeAttrs>(this.graph, container, {
      defaultNodeType: NODE_TYPE.small,
      defaultEdgeType: EDGE_TYPE.small,
      nodeProgramClasses: { [NODE_TYPE.small]: bordered, [NODE_TYPE.big]: NodePointBorderProgram },
      edgeProgramClasses: {
        [EDGE_TYPE.small]: EdgeRectangleProgram,
        [EDGE_TYPE.big]: createTieLineProgram<NodeAttrs, EdgeAttrs>(() => this.tiesHidden()),
      },
      renderEdgeLabels: false,
      labelFont: "Inter, 'Segoe UI', system-ui, sans-serif",
      labelSize: 12,
      labelWeight: "500",
      labelColor: { color: "#1f2a33" },
      labelDensity: 0.6,
      labelGridCellSize: 90,
      labelRenderedSizeThreshold: 9,
      zIndex: true,
      minCameraRatio: 0.02,
      maxCameraRatio: 6,
      stagePadding: 40,
      hideEdgesOnMove: false,
      nodeReducer: (id, attrs) => this.reduceNode(id, attrs as NodeAttrs),
      edgeReducer: (id, attrs) => this.reduceEdge(id, attrs as EdgeAttrs),
    });
    this.sigma.on("clickNode", ({ node }) => this.store.set({ selected: node }));
    this.sigma.on("clickStage", () => this.store.set({ selected: null }));
    this.sigma.on("enterNode", ({ node }) => {
      this.hovered = node;
      this.container.style.cursor = "pointer";
    });
    this.sigma.on("leaveNode", () => {
      this.hovered = null;
      this.container.style.cursor = "";
    });
    this.sigma.getCamera().on("updated", (c) => {
      this.cameraMovedAt = performance.now();
      if (this.applyingCamera) return;
      if (this.big) {
        this.tiesMovedAt = this.cameraMovedAt;
        window.clearTimeout(this.tiesTimer);
        this.tiesTimer = window.setTimeout(() => this.showTies(), TIES_IDLE_MS);
      }
      window.clearTimeout(this.cameraTimer);
      this.cameraTimer = window.setTimeout(() => {
        this.store.set({ camera: { x: c.x, y: c.y, ratio: c.ratio } });
      }, 300);
    });
  }

  /** Replace the drawn scope with `g`, keeping known nodes where they were.
   * The new graph is built and laid out detached, then handed to sigma. */
  load(g: MapGraph): void {
    this.stopLayout();
    this.graph.forEachNode((id, a) => positions.set(id, { x: a.x, y: a.y }));
    const graph = new Graph<NodeAttrs, EdgeAttrs>({ type: "undirected", multi: false });
    this.graph = graph;
    this.big = g.nodes.length > SYNC_LAYOUT_MAX;
    // The server's positions (big scopes) are final: nothing to lay out here.
    const laidOut = g.positions ?? null;
    const unplaced = laidOut ? 0 : g.nodes.filter((n) => !positions.has(n.id)).length;
    const fresh = unplaced === g.nodes.length;
    // Else a big new scope starts from the world layout, the rest next to known nodes.
    const seeded = laidOut ?? (this.big && fresh ? seedLayout(g.nodes, g.edges, hash01) : positions);
    for (const n of g.nodes) graph.addNode(n.id, this.attrsOf(n, seeded.get(n.id) ?? { x: NaN, y: NaN }));
    this.addTies(g.edges);
    this.seedPositions();
    this.resize(this.store.state.metric);
    this.refreshFilters(false);
    if (unplaced > 0 && !this.big) this.runLayout(fresh);
    // Big scopes: labels are not drawn while the camera moves (nor ties: tiesHidden).
    if (this.sigma.getSetting("hideLabelsOnMove") !== this.big) this.sigma.setSetting("hideLabelsOnMove", this.big);
    this.sigma.setGraph(graph);
    // Interactive now; a big scope settles in the worker from the next frame on.
    if (unplaced > 0 && this.big) {
      this.layoutPending = true;
      requestAnimationFrame(() => {
        if (this.graph !== graph || !this.layoutPending) return;
        this.layoutPending = false;
        this.runWorkerLayout(fresh);
      });
    }
    this.onLayoutDone();
  }

  /** Big scopes: no ties while the camera moves or until it has been still
   * for TIES_IDLE_MS. (Not sigma's hideEdgesOnMove: it re-indexes the whole
   * graph each time the mouse is released, ~0.2 s at 100,000 ties.) The
   * render that brings them back also brings back the labels and the nodes'
   * picking image (skipped while moving, ./points.ts). */
  private tiesHidden(): boolean {
    if (!this.big || !this.sigma) return false;
    return performance.now() - this.tiesMovedAt < TIES_IDLE_MS || this.sigma.getCamera().isAnimated();
  }

  private showTies(): void {
    if (!this.tiesHidden()) {
      this.sigma.scheduleRender();
      return;
    }
    const wait = Math.max(16, TIES_IDLE_MS - (performance.now() - this.tiesMovedAt));
    this.tiesTimer = window.setTimeout(() => this.showTies(), wait);
  }

  private addTies(edges: { source: string; target: string }[]): void {
    const graph = this.graph;
    const type = this.big ? EDGE_TYPE.big : EDGE_TYPE.small;
    for (const e of edges) {
      if (e.source !== e.target && graph.hasNode(e.source) && graph.hasNode(e.target)) {
        graph.mergeEdge(e.source, e.target, { size: 0.6, color: EDGE_COLOUR, type });
      }
    }
  }

  /** Add nodes that are not in the scope (a neighbourhood, a path) next to their ties. */
  addExtra(nodes: MapNode[], edges: { source: string; target: string }[]): void {
    for (const n of nodes) {
      if (!this.graph.hasNode(n.id)) this.graph.addNode(n.id, this.attrsOf(n, { x: NaN, y: NaN }));
    }
    this.addTies(edges);
    this.seedPositions();
    this.resize(this.store.state.metric);
    this.refreshFilters();
  }

  private attrsOf(n: MapNode, p: { x: number; y: number }): NodeAttrs {
    return {
      x: p.x, y: p.y, size: 4, color: nodeColour(n), label: n.name, node: n,
      type: this.big ? NODE_TYPE.big : NODE_TYPE.small,
      borderColor: n.kind === "INITIATIVE" ? INITIATIVE_BORDER
        : n.kind === "ALLIANCE" ? ALLIANCE_BORDER : "#ffffff",
      borderSize: n.kind === "ACTOR" ? 0.12 : 0.28,
    };
  }

  /** Unplaced nodes: next to a placed neighbour, else on a seeded spiral. */
  private seedPositions(): void {
    const graph = this.graph;
    let i = 0;
    const total = graph.order || 1;
    graph.forEachNode((id, a) => {
      if (Number.isFinite(a.x)) return;
      const placed = graph.neighbors(id).map((m) => graph.getNodeAttributes(m))
        .find((m) => Number.isFinite(m.x));
      const r = hash01(id);
      if (placed) {
        graph.mergeNodeAttributes(id, {
          x: placed.x + Math.cos(r * 2 * Math.PI) * 2, y: placed.y + Math.sin(r * 2 * Math.PI) * 2,
        });
      } else {
        const radius = 10 * Math.sqrt((i + r) / total) * Math.sqrt(total);
        const angle = i * 2.39996 + r;
        graph.mergeNodeAttributes(id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
      }
      i++;
    });
  }

  private layoutSettings(): ReturnType<typeof forceAtlas2.inferSettings> {
    return {
      ...forceAtlas2.inferSettings(this.graph),
      barnesHutOptimize: this.graph.order > 800,
      adjustSizes: false,
      strongGravityMode: true,
      gravity: this.big ? 0.05 : 0.4,
      scalingRatio: this.big ? 2 : 6,
      slowDown: this.big ? 2 : 1,
    };
  }

  private runLayout(fresh: boolean): void {
    forceAtlas2.assign(this.graph, { iterations: fresh ? 400 : 120, settings: this.layoutSettings() });
  }

  /** ForceAtlas2 in a worker, on a copy of the graph. Its positions are
   * drawn at most once a second, and not while the camera moves: each
   * hand-over stalls the page for a re-index, which a pan would feel. */
  private runWorkerLayout(fresh: boolean): void {
    const copy = this.graph.copy();
    this.layout = new FA2Layout(copy, { settings: this.layoutSettings() });
    this.layout.start();
    let appliedAt = performance.now();
    const apply = (): void => {
      appliedAt = performance.now();
      this.graph.updateEachNodeAttributes((id, a) => {
        const p = copy.getNodeAttributes(id);
        a.x = p.x;
        a.y = p.y;
        return a;
      }, { attributes: ["x", "y"] });
    };
    this.applyTimer = window.setInterval(() => {
      const now = performance.now();
      if (now - appliedAt >= LAYOUT_APPLY_MS && now - this.cameraMovedAt >= CAMERA_IDLE_MS) apply();
    }, CAMERA_IDLE_MS / 2);
    const ms = Math.min(12000, Math.max(1500, (this.graph.order / 1000) * WORKER_MS_PER_1K));
    this.layoutTimer = window.setTimeout(() => {
      this.stopLayout();
      apply();
    }, fresh ? ms : ms / 3);
  }

  private stopLayout(): void {
    this.layoutPending = false;
    window.clearTimeout(this.layoutTimer);
    window.clearInterval(this.applyTimer);
    if (this.layout) {
      this.layout.kill();
      this.layout = null;
    }
  }

  get layoutRunning(): boolean {
    return this.layoutPending || this.layout !== null;
  }

  /** Sizes follow the chosen metric (or the ties drawn, before any analysis). */
  resize(metric: Metric): void {
    const values = new Map<string, number>();
    this.graph.forEachNode((id, a) => values.set(id, metricValue(a.node, metric, this.graph.degree(id))));
    const actorScale = sizeScale([...values.entries()]
      .filter(([id]) => this.graph.getNodeAttribute(id, "node").kind === "ACTOR").map(([, v]) => v));
    this.graph.updateEachNodeAttributes((id, a) => {
      const v = values.get(id) ?? 0;
      a.size = a.node.kind === "ACTOR" ? actorScale(v)
        : a.node.kind === "INITIATIVE" ? 4 + Math.min(6, Math.sqrt(this.graph.degree(id)))
          : 3 + Math.min(3, Math.sqrt(this.graph.degree(id)) / 2);
      if (this.big) a.size *= BIG_SIZE_FACTOR;
      return a;
    });
  }

  /** Recompute which nodes pass the filters; redraw. */
  refreshFilters(redraw = true): void {
    const nodes: MapNode[] = [];
    const edges: MapGraph["edges"] = [];
    this.graph.forEachNode((_, a) => nodes.push(a.node));
    this.graph.forEachEdge((_, __, s, tg) => edges.push({ source: s, target: tg, type: "MEMBER_OF",
      role: null, since: null, until: null }));
    this.visible = visibleIds({ nodes, edges, truncated: false }, this.store.state);
    this.allVisible = this.visible.size === this.graph.order;
    this.updateNeighbours();
    if (redraw) this.sigma.refresh();
  }

  updateNeighbours(): void {
    const sel = this.store.state.selected;
    this.neighbours = new Set(sel && this.graph.hasNode(sel) ? [sel, ...this.graph.neighbors(sel)] : []);
  }

  redraw(): void {
    this.updateNeighbours();
    this.sigma.refresh();
  }

  /** Like `reduceEdge`: `a` is sigma's copy, changed in place. */
  private reduceNode(id: string, a: NodeAttrs): Partial<NodeDisplayData> & Partial<NodeAttrs> {
    const out: Partial<NodeDisplayData> & Partial<NodeAttrs> = a;
    if (!this.visible.has(id) && !this.store.data.highlight.has(id)) {
      out.hidden = true;
      return out;
    }
    const data: Data = this.store.data;
    const mark = data.highlight.get(id);
    const focus = this.neighbours.size > 0 || data.highlight.size > 0;
    const lit = mark !== undefined || this.neighbours.has(id) || this.hovered === id;
    if (focus && !lit) {
      out.color = DIMMED;
      out.borderColor = DIMMED;
      out.label = "";
      out.zIndex = 0;
      return out;
    }
    out.zIndex = 1;
    if (mark === "hidden" || mark === "bridge" || mark === "emerging") out.size = Math.max(a.size * 1.5, 7);
    if (mark === "hidden") {
      out.borderColor = HIDDEN_BRIDGE_BORDER;
      out.borderSize = 0.32;
      out.forceLabel = true;
      out.zIndex = 2;
    } else if (mark === "bridge" || mark === "path" || mark === "focus") {
      out.forceLabel = true;
      out.zIndex = 2;
    } else if (mark === "emerging") {
      out.color = EMERGING_COLOUR;
      out.borderColor = "#7a5c00";
      out.forceLabel = true;
      out.zIndex = 2;
    }
    if (id === this.store.state.selected) {
      out.highlighted = true;
      out.forceLabel = true;
      out.zIndex = 3;
    }
    return out;
  }

  /** Called for every tie on each re-index (100,000 at 20k nodes): the
   * common case (no filter, nothing selected) returns at once. `a` is
   * sigma's copy of the attributes, so it is changed in place. */
  private reduceEdge(id: string, a: EdgeAttrs): Partial<TieDisplayData> {
    const out: Partial<TieDisplayData> = a;
    const data = this.store.data;
    if (this.allVisible && !this.neighbours.size && !data.highlight.size) return out;
    const [s, tg] = this.sigma.getGraph().extremities(id);
    if (!(this.visible.has(s) || data.highlight.has(s)) || !(this.visible.has(tg) || data.highlight.has(tg))) {
      out.hidden = true;
      return out;
    }
    if (data.pathEdges.size && (data.pathEdges.has(`${s}|${tg}`) || data.pathEdges.has(`${tg}|${s}`))) {
      out.color = "#1f2a33";
      out.size = 2.5;
      out.type = EDGE_TYPE.small;
      out.zIndex = 2;
      return out;
    }
    if (this.neighbours.size && (this.neighbours.has(s) && this.neighbours.has(tg))
        && (s === this.store.state.selected || tg === this.store.state.selected)) {
      out.color = "#7d8a96";
      out.size = 1.2;
      out.type = EDGE_TYPE.small;
      out.zIndex = 1;
      return out;
    }
    if (this.neighbours.size || data.highlight.size) {
      const both = (data.highlight.has(s) || this.neighbours.has(s)) && (data.highlight.has(tg) || this.neighbours.has(tg));
      out.color = both ? "#aab4bd" : "#eef1f3";
      // Between two emphasised nodes: drawn at every zoom, however long.
      out.keep = both;
      out.zIndex = 0;
    }
    return out;
  }

  /** Centre the camera on a node. */
  flyTo(id: string): void {
    const d = this.sigma.getNodeDisplayData(id);
    if (!d) return;
    void this.sigma.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(this.sigma.getCamera().ratio, 0.35) },
      { duration: 500 });
  }

  setCamera(c: Camera | null): void {
    this.applyingCamera = true;
    if (c) this.sigma.getCamera().setState(c);
    else this.sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    this.applyingCamera = false;
  }

  zoom(factor: number): void {
    const cam = this.sigma.getCamera();
    void cam.animate({ ratio: cam.ratio / factor }, { duration: 200 });
  }

  fit(): void {
    void this.sigma.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 300 });
  }

  /** A PNG of what is on screen: sigma's layers (edges, nodes, labels...) composed on white. */
  toPng(): string {
    this.sigma.refresh();
    const layers = this.sigma.getCanvases();
    const first = Object.values(layers)[0];
    const out = document.createElement("canvas");
    out.width = first?.width ?? 1;
    out.height = first?.height ?? 1;
    const ctx = out.getContext("2d");
    if (!ctx) return "";
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    for (const name of ["edges", "nodes", "edgeLabels", "labels", "hovers", "hoverNodes"]) {
      const c = layers[name];
      if (c) ctx.drawImage(c, 0, 0, out.width, out.height);
    }
    ctx.fillStyle = "#5b6770";
    ctx.font = `${12 * (window.devicePixelRatio || 1)}px system-ui, sans-serif`;
    ctx.fillText(`graphmap · ${t("title")} · ${new Date().toISOString().slice(0, 10)}`, 12, out.height - 12);
    return out.toDataURL("image/png");
  }

  stats(): { nodes: number; edges: number } {
    let nodes = 0;
    this.graph.forEachNode((id) => { if (this.visible.has(id)) nodes++; });
    let edges = 0;
    this.graph.forEachEdge((_, __, s, tg) => { if (this.visible.has(s) && this.visible.has(tg)) edges++; });
    return { nodes, edges };
  }

  kill(): void {
    this.stopLayout();
    window.clearTimeout(this.tiesTimer);
    this.sigma.kill();
  }
}
