// The page: header (search, views, export, share, language), filters on
// the left, the map in the middle with its legend, the ranked lists or the
// territory view on the right, the node panel over the map's right edge.
// This module wires the store to the API; views only draw.
import "./style.css";

import { request, traffic } from "./api";
import { clear, debounce, h } from "./dom";
import { label, setLang, t, type Key } from "./i18n";
import {
  BRIDGES, CAPABILITIES, EMERGING, MAP_EDGE_COLUMNS, MAP_GRAPH, MAP_NODE_COLUMNS, NEIGHBOURHOOD, PATH, SEARCH,
  TERRITORY, unpackMapGraph,
} from "./queries";
import { ALLIANCE_COLOUR, EMERGING_COLOUR, INITIATIVE_COLOUR, WORLD_COLOURS } from "./scales";
import { scopeKey, type ViewState } from "./state";
import { Store, type Data } from "./store";
import { MODES, WORLDS, type GraphNodeRef, type MapNode, type NodeKind, type Tie } from "./types";
import { FiltersView } from "./views/filters";
import { ListsView } from "./views/lists";
import { MapView, SYNC_LAYOUT_MAX } from "./views/map";
import { PanelView } from "./views/panel";
import { ImporterView } from "./views/importer";
import { TerritoryView } from "./views/territory";

declare global {
  interface Window { graphmap?: { store: Store; map: MapView; traffic: typeof traffic; ready: boolean } }
}

const store = Store.fromLocation();
setLang(store.state.lang);

const app = document.getElementById("app")!;
const filtersEl = h("aside", { id: "filters", class: "filters", "aria-label": t("title") });
const mapEl = h("div", { id: "map", class: "map", role: "img", "aria-label": t("title") });
const panelEl = h("aside", { id: "panel", class: "panel", hidden: true, "aria-labelledby": "panel-title" });
const sideEl = h("aside", { id: "side", class: "side", hidden: true, "aria-live": "polite" });
const statusEl = h("div", { class: "map-status", id: "map-status", role: "status" });
const legendEl = h("div", { class: "legend", id: "legend" });
const header = h("header", { class: "top" });
const main = h("main", { class: "body" }, filtersEl,
  h("section", { class: "stage", "aria-label": t("title") }, mapEl, statusEl, legendEl,
    h("div", { class: "zoom" },
      h("button", { type: "button", class: "icon-btn", id: "zoom-in", onclick: () => map.zoom(1.5) }, "+"),
      h("button", { type: "button", class: "icon-btn", id: "zoom-out", onclick: () => map.zoom(1 / 1.5) }, "−"),
      h("button", { type: "button", class: "icon-btn", id: "zoom-fit", onclick: () => map.fit() }, "⤢")),
    panelEl),
  sideEl);
app.append(header, main);

const map = new MapView(mapEl, store);
const nodeOf = (id: string): MapNode | null => (map.graph.hasNode(id) ? map.graph.getNodeAttribute(id, "node") : null);
new FiltersView(filtersEl, store);
new PanelView(panelEl, store, nodeOf);
const lists = new ListsView(sideEl, store);
const territoryView = new TerritoryView(sideEl, store);
// After an import that wrote something: the scope again (new revision, so
// the server lays a big scope out anew) and the rankings.
const importer = new ImporterView(() => { void loadScope(); });
document.body.append(importer.dialog);
window.graphmap = { store, map, traffic, ready: false };

// ---------------------------------------------------------------- header
function renderHeader(): void {
  const s = store.state;
  const results = h("ul", { class: "suggestions", id: "search-list", role: "listbox", hidden: true });
  const input = h("input", { type: "search", id: "search-input", placeholder: t("search"), autocomplete: "off",
                             "aria-label": t("searchLabel"), role: "combobox", "aria-controls": "search-list" });
  const pick = (n: GraphNodeRef): void => {
    results.hidden = true;
    input.value = n.name;
    if (n.__typename === "Territory" && n.code) {
      store.put({ territory: { code: n.code, name: n.name, level: n.level ?? "" } });
      store.set({ territory: n.code, selected: null, camera: null });
      return;
    }
    if (!n.id) return;
    if (!map.graph.hasNode(n.id)) {
      // Outside the scope: bring it in with its neighbourhood.
      store.set({ selected: n.id, expand: { id: n.id, depth: 1 } });
    } else {
      store.set({ selected: n.id });
      map.flyTo(n.id);
    }
  };
  const search = debounce(async (text: string) => {
    if (text.trim().length < 2) { results.hidden = true; return; }
    try {
      const res = await request(SEARCH, { text: text.trim() });
      clear(results, res.search.length ? res.search.map((n) => h("li", { role: "option" },
        h("button", { type: "button", class: "suggestion", "data-id": n.id ?? n.code ?? "", onclick: () => pick(n) },
          n.world ? h("span", { class: "dot", style: `background:${WORLD_COLOURS[n.world]}` }) : null,
          h("span", {}, n.name), h("small", {}, label("kind", n.__typename.toUpperCase())))))
        : h("li", { class: "muted" }, t("noResult")));
      results.hidden = false;
    } catch { results.hidden = true; }
  }, 160);
  input.addEventListener("input", () => search(input.value));
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { (results.querySelector("button") as HTMLButtonElement | null)?.click(); ev.preventDefault(); }
    if (ev.key === "ArrowDown") { (results.querySelector("button") as HTMLButtonElement | null)?.focus(); ev.preventDefault(); }
    if (ev.key === "Escape") results.hidden = true;
  });
  results.addEventListener("keydown", (ev) => {
    const items = [...results.querySelectorAll("button")];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (ev.key === "ArrowDown") { items[Math.min(items.length - 1, i + 1)]?.focus(); ev.preventDefault(); }
    if (ev.key === "ArrowUp") { (i <= 0 ? input : items[i - 1])?.focus(); ev.preventDefault(); }
    if (ev.key === "Escape") { results.hidden = true; input.focus(); }
  });

  const tabs = h("nav", { class: "modes", "aria-label": t("mode") }, MODES.map((m) =>
    h("button", { type: "button", class: `mode ${s.mode === m ? "on" : ""}`, id: `mode-${m}`,
                  "aria-pressed": String(s.mode === m), onclick: () => store.set({ mode: m }) }, t(`mode.${m}` as Key))));

  const exportQuery = (): string => {
    const p = new URLSearchParams();
    p.set("territory", s.territory ?? "");
    p.set("asOf", s.asOf ?? "");
    p.set("projection", "full"); // what the map draws: actors, initiatives, alliances
    return p.toString();
  };
  const exp = h("details", { class: "menu", id: "export-menu" },
    h("summary", { class: "btn" }, t("export")),
    h("div", { class: "menu-items" },
      h("button", { type: "button", class: "link", id: "export-png", onclick: () => downloadPng() }, t("exportPng")),
      (["csv", "graphml", "gexf"] as const).map((f) =>
        h("a", { class: "link", id: `export-${f}`, href: `/export/${f}?${exportQuery()}`, download: "" }, f.toUpperCase()))));
  const imp = h("button", { type: "button", class: "btn", id: "import-open", "aria-haspopup": "dialog",
                            onclick: () => importer.open() }, t("import"));
  const share = h("button", { type: "button", class: "btn", id: "share", onclick: async () => {
    try { await navigator.clipboard.writeText(window.location.href); } catch { /* no clipboard: the URL bar has it */ }
    share.textContent = t("copied");
    window.setTimeout(() => { share.textContent = t("share"); }, 1500);
  } }, t("share"));
  const lang = h("button", { type: "button", class: "btn ghost", id: "lang", lang: t("langCode"),
                             onclick: () => store.set({ lang: s.lang === "fr" ? "en" : "fr" }) }, t("language"));
  clear(header,
    h("div", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }),
      h("div", {}, h("h1", {}, t("title")), h("p", {}, t("subtitle")))),
    h("div", { class: "search combo" }, input, results),
    tabs,
    h("div", { class: "actions" }, imp, exp, share, lang));
}

function downloadPng(): void {
  const url = map.toPng();
  const a = h("a", { href: url, download: `graphmap-${store.state.territory ?? "all"}.png` });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------- legend & status
function renderLegend(): void {
  const s = store.state;
  const anyMetric = store.data.graph?.nodes.some((n) => n.pagerank !== null) ?? false;
  const extra: HTMLElement[] = [];
  if (s.mode === "bridges") {
    extra.push(h("li", {}, h("span", { class: "swatch ring" }), t("legendHidden")));
  }
  if (s.mode === "emerging") {
    extra.push(h("li", {}, h("span", { class: "swatch", style: `background:${EMERGING_COLOUR}` }), t("legendEmerging")));
  }
  clear(legendEl,
    h("details", { open: true },
      h("summary", {}, t("legend")),
      h("ul", {},
        WORLDS.map((w) => h("li", {}, h("span", { class: "swatch", style: `background:${WORLD_COLOURS[w]}` }), label("world", w))),
        s.showInitiatives ? h("li", {}, h("span", { class: "swatch shape-initiative", style: `background:${INITIATIVE_COLOUR}` }), t("legendInitiative")) : null,
        s.showAlliances ? h("li", {}, h("span", { class: "swatch shape-alliance", style: `background:${ALLIANCE_COLOUR}` }), t("legendAlliance")) : null,
        extra),
      h("p", { class: "legend-size" }, t("legendSize", { metric: t(`metric.${s.metric}` as Key) })),
      (store.data.graph?.nodes.length ?? 0) > SYNC_LAYOUT_MAX
        ? h("p", { class: "muted small", id: "legend-long-ties" }, t("legendLongTies")) : null,
      anyMetric ? null : h("p", { class: "muted small" }, t("noAnalysis"))));
}

function renderStatus(): void {
  const d = store.data;
  if (d.error) {
    clear(statusEl, h("span", { class: "error" }, t("error", { message: d.error })));
  } else if (d.loading && !d.graph) {
    clear(statusEl, h("span", { class: "spinner", "aria-hidden": "true" }), t("loading"));
  } else {
    const st = map.stats();
    clear(statusEl, d.loading ? h("span", { class: "spinner", "aria-hidden": "true" }) : null,
      h("span", { id: "map-stats", "data-nodes": st.nodes, "data-edges": st.edges }, t("stats", st)),
      d.graph?.truncated ? h("span", { class: "warn" }, ` · ${t("truncated")}`) : null);
  }
}

// ---------------------------------------------------------------- data
let scopeAbort: AbortController | null = null;
let loadedScope = "";
let firstLoad = true;

async function loadScope(): Promise<void> {
  const s = store.state;
  loadedScope = scopeKey(s);
  scopeAbort?.abort();
  const abort = new AbortController();
  scopeAbort = abort;
  store.put({ loading: true, error: null });
  const include: NodeKind[] = ["ACTOR"];
  if (s.showInitiatives) include.push("INITIATIVE");
  if (s.showAlliances) include.push("ALLIANCE");
  try {
    const res = await request(MAP_GRAPH, {
      territory: s.territory, asOf: s.asOf, include, nodeColumns: MAP_NODE_COLUMNS, edgeColumns: MAP_EDGE_COLUMNS,
    }, abort.signal);
    if (abort.signal.aborted) return;
    map.onLayoutDone = () => {
      if (firstLoad && store.state.camera) map.setCamera(store.state.camera);
      else if (!firstLoad) map.setCamera(null);
      firstLoad = false;
      if (store.state.selected && !store.state.camera) map.flyTo(store.state.selected);
      if (window.graphmap) window.graphmap.ready = true;
      document.body.dataset.ready = "true";
      renderStatus();
    };
    const graph = unpackMapGraph(res.mapGraphPacked);
    store.put({ graph, loading: false });
    map.load(graph);
    await capsReady;
    await Promise.all([loadOverlays(), loadRankings()]);
  } catch (err) {
    if ((err as Error).name === "AbortError") return;
    store.put({ loading: false, error: (err as Error).message });
  }
}

function toMapNode(n: GraphNodeRef): MapNode | null {
  if (!n.id || n.__typename === "Territory") return null;
  return {
    id: n.id, kind: n.__typename.toUpperCase() as NodeKind, name: n.name, actorKind: n.kind ?? null,
    world: n.world ?? null, territories: [], since: null, until: null, degree: null, betweenness: null,
    pagerank: null, bridgeScore: null, emergenceScore: null, declaredFacilitator: null, themes: null,
    allianceType: null,
  };
}

/** Neighbourhood and path: fetched, added to the map when outside the scope, highlighted. */
async function loadOverlays(): Promise<void> {
  const s = store.state;
  const highlight: Data["highlight"] = new Map();
  const pathEdges = new Set<string>();
  let pathInfo: Data["pathInfo"] = null;
  const add = (nodes: GraphNodeRef[], edges: Tie[]): void => {
    map.addExtra(nodes.map(toMapNode).filter((n): n is MapNode => n !== null), edges);
  };
  try {
    if (s.expand) {
      const res = await request(NEIGHBOURHOOD, { id: s.expand.id, depth: s.expand.depth });
      add(res.neighbourhood.nodes, res.neighbourhood.edges);
      for (const n of res.neighbourhood.nodes) if (n.id) highlight.set(n.id, "focus");
    }
    if (s.path) {
      const res = await request(PATH, { from: s.path.from, to: s.path.to });
      if (res.path) {
        add(res.path.nodes, res.path.edges);
        for (const n of res.path.nodes) if (n.id) highlight.set(n.id, "path");
        for (const e of res.path.edges) pathEdges.add(`${e.source}|${e.target}`);
        pathInfo = { length: res.path.length, names: res.path.nodes.map((n) => n.name) };
      } else {
        pathInfo = "none";
      }
    }
  } catch (err) {
    store.put({ error: (err as Error).message });
  }
  overlay = { highlight, pathEdges };
  store.put({ pathInfo });
  applyHighlights();
}

let overlay: Pick<Data, "highlight" | "pathEdges"> = { highlight: new Map(), pathEdges: new Set() };
let rankingHighlight: Data["highlight"] = new Map();

async function loadRankings(): Promise<void> {
  const s = store.state;
  const caps = store.data.caps;
  rankingHighlight = new Map();
  const reasons = new Map<string, string[]>();
  try {
    if (s.mode === "bridges" && caps.bridges) {
      lists.set({ bridges: null, hidden: null, emerging: null, error: null });
      const res = await request(BRIDGES, { territory: s.territory, asOf: s.asOf });
      for (const b of res.facilitatorBridges) {
        rankingHighlight.set(b.actor.id, "bridge");
        reasons.set(b.actor.id, b.reasons);
      }
      for (const b of res.hiddenBridges) {
        rankingHighlight.set(b.actor.id, "hidden");
        reasons.set(b.actor.id, b.reasons);
      }
      lists.set({ bridges: res.facilitatorBridges, hidden: res.hiddenBridges, emerging: null, error: null });
    } else if (s.mode === "emerging" && caps.emerging) {
      lists.set({ bridges: null, hidden: null, emerging: null, error: null });
      const res = await request(EMERGING, { territory: s.territory, asOf: s.asOf });
      for (const e of res.emergingInitiatives) {
        rankingHighlight.set(e.initiative.id, "emerging");
        reasons.set(e.initiative.id, e.reasons);
      }
      lists.set({ bridges: null, hidden: null, emerging: res.emergingInitiatives, error: null });
    } else if (s.mode === "territory") {
      void territoryView.render();
    } else {
      lists.render();
    }
  } catch (err) {
    lists.set({ bridges: [], hidden: [], emerging: [], error: t("error", { message: (err as Error).message }) });
  }
  store.put({ reasons });
  applyHighlights();
}

function applyHighlights(): void {
  const highlight = new Map(rankingHighlight);
  for (const [k, v] of overlay.highlight) highlight.set(k, v);
  store.put({ highlight, pathEdges: overlay.pathEdges });
  map.redraw();
  renderStatus();
}

function layoutSide(s: ViewState): void {
  const on = s.mode !== "explore";
  sideEl.hidden = !on;
  document.body.dataset.mode = s.mode;
}

// ---------------------------------------------------------------- reactions
store.subscribe((s, d, changed) => {
  if (changed.has("lang")) {
    setLang(s.lang);
    renderHeader();
    importer.render();
    renderLegend();
    renderStatus();
    void loadRankings();
  }
  if (changed.has("mode")) {
    renderHeader();
    layoutSide(s);
    renderLegend();
    void loadRankings();
  }
  if (["territory", "asOf", "showInitiatives", "showAlliances"].some((k) => changed.has(k))
      && scopeKey(s) !== loadedScope) {
    void loadScope();
    renderHeader();
    renderLegend();
  }
  if (["worlds", "themes", "allianceTypes"].some((k) => changed.has(k))) {
    map.refreshFilters();
    renderStatus();
  }
  if (changed.has("metric")) {
    map.resize(s.metric);
    map.redraw();
    renderLegend();
  }
  if (changed.has("selected")) {
    document.body.dataset.panel = s.selected ? "open" : "";
    map.redraw();
    if (s.selected && map.graph.hasNode(s.selected)) map.flyTo(s.selected);
  }
  if ((changed.has("expand") || changed.has("path")) && d.graph) void loadOverlays();
  if (changed.has("data.graph")) renderLegend();
  if (changed.has("data.loading") || changed.has("data.error")) renderStatus();
});

document.addEventListener("keydown", (ev) => {
  if (ev.key !== "Escape") return;
  const open = document.querySelector<HTMLElement>(".suggestions:not([hidden])");
  if (open) { open.hidden = true; return; }
  if (store.state.selected) {
    store.set({ selected: null, expand: null, path: null });
    (document.getElementById("search-input") as HTMLInputElement | null)?.focus();
  }
});

// ---------------------------------------------------------------- start
let capsReady: Promise<void> = Promise.resolve();

async function start(): Promise<void> {
  document.body.dataset.panel = store.state.selected ? "open" : "";
  renderHeader();
  renderLegend();
  layoutSide(store.state);
  renderStatus();
  capsReady = request(CAPABILITIES, {}).then((c) => {
    const has = (x: { fields: { name: string }[] } | null, f: string): boolean => !!x?.fields.some((y) => y.name === f);
    store.put({ caps: {
      bridges: has(c.q, "facilitatorBridges") && has(c.q, "hiddenBridges"),
      emerging: has(c.q, "emergingInitiatives"),
      indicators: has(c.t, "indicators"),
      actorMetrics: has(c.a, "metrics") && has(c.a, "bridgeReasons"),
      initiativeMetrics: has(c.i, "metrics") && has(c.i, "emergenceReasons"),
    } });
  }).catch(() => undefined);
  if (store.state.territory) {
    void request(TERRITORY, { code: store.state.territory })
      .then((r) => store.put({ territory: r.territory })).catch(() => undefined);
  }
  await loadScope();
}

void start();
