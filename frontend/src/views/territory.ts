// The territory view: its indicators and the world-by-world matrix as a
// heat map, with the pairs of worlds that do not talk to each other.
import { request } from "../api";
import { clear, fmt, h } from "../dom";
import { label, t } from "../i18n";
import { TERRITORY_INDICATORS } from "../queries";
import { heatColour, textOn, WORLD_COLOURS } from "../scales";
import type { Store } from "../store";
import type { TerritoryIndicators } from "../types";

export class TerritoryView {
  private token = 0;

  constructor(private root: HTMLElement, private store: Store) {}

  async render(): Promise<void> {
    const token = ++this.token;
    const code = this.store.state.territory;
    if (!this.store.data.caps.indicators) {
      clear(this.root, h("h2", {}, t("indicators")), h("p", { class: "note", id: "mode-unavailable" }, t("unavailable")));
      return;
    }
    if (!code) {
      clear(this.root, h("h2", {}, t("indicators")), h("p", { class: "note" }, t("pickTerritory")));
      return;
    }
    clear(this.root, h("h2", {}, t("indicators")), h("p", { class: "muted" }, t("loading")));
    try {
      const res = await request(TERRITORY_INDICATORS, { code });
      if (token !== this.token) return;
      const terr = res.territory;
      if (!terr?.indicators) {
        clear(this.root, h("h2", {}, t("indicators")), h("p", { class: "muted" }, t("emptyList")));
        return;
      }
      this.draw(terr.name, terr.indicators);
    } catch (err) {
      if (token !== this.token) return;
      clear(this.root, h("h2", {}, t("indicators")), h("p", { class: "error" }, t("error", { message: (err as Error).message })));
    }
  }

  private draw(name: string, ind: TerritoryIndicators): void {
    const lang = this.store.state.lang;
    const m = ind.worldMatrix;
    let max = 0;
    m.counts.forEach((row, i) => row.forEach((c, j) => { if (i !== j && c > max) max = c; }));
    const cards = h("div", { class: "kpis" },
      kpi(t("indActors"), String(ind.actors)),
      ind.ties !== undefined ? kpi(t("indTies"), String(ind.ties)) : null,
      kpi(t("indCross"), ind.crossWorldShare === null ? "–" : `${fmt(ind.crossWorldShare * 100, lang)} %`),
      kpi(t("indBridges"), String(ind.bridges)));
    const short = (w: string): string => label("world", w);
    const table = h("table", { class: "heat", id: "world-matrix" },
      h("caption", {}, t("matrix")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""), m.worlds.map((w) =>
        h("th", { scope: "col", title: short(w) }, h("span", { class: "dot", style: `background:${WORLD_COLOURS[w]}` }),
          h("span", { class: "vert" }, short(w)))))),
      h("tbody", {}, m.worlds.map((w, i) => h("tr", {},
        h("th", { scope: "row" }, h("span", { class: "dot", style: `background:${WORLD_COLOURS[w]}` }), short(w),
          m.actors ? h("small", { class: "muted" }, ` (${m.actors[i] ?? 0})`) : null),
        (m.counts[i] ?? []).map((c, j) => {
          const bg = i === j ? "#f4f6f8" : heatColour(c, max);
          return h("td", { style: `background:${bg};color:${i === j ? "#5b6770" : textOn(bg)}`,
                           title: `${short(w)} × ${short(m.worlds[j] ?? "")} : ${c}`,
                           class: i !== j && c === 0 ? "zero" : "" }, String(c));
        })))));
    const pairs = m.missingPairs.length
      ? h("ul", { class: "pairs", id: "missing-pairs" }, m.missingPairs.map((p) =>
        h("li", {}, h("span", { class: "dot", style: `background:${WORLD_COLOURS[p[0]!]}` }), short(p[0]!), " ⟷ ",
          h("span", { class: "dot", style: `background:${WORLD_COLOURS[p[1]!]}` }), short(p[1]!))))
      : h("p", { class: "muted" }, t("nonePairs"));
    clear(this.root, h("h2", {}, t("indicators")), h("p", { class: "terr-name" }, name), cards,
      h("div", { class: "heat-wrap" }, table), h("h3", {}, t("missingPairs")), pairs);
  }
}

function kpi(title: string, value: string): HTMLElement {
  return h("div", { class: "kpi" }, h("span", { class: "kpi-v" }, value), h("span", { class: "kpi-l" }, title));
}
