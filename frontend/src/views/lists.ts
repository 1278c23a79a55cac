// Ranked lists beside the map: facilitator bridges (declared vs detected,
// hidden ones marked) and discreet emerging initiatives. A click selects.
import { reason } from "../reasons";
import { clear, fmt, h } from "../dom";
import { label, t } from "../i18n";
import { WORLD_COLOURS } from "../scales";
import type { Store } from "../store";
import type { BridgeRanking, EmergenceRanking } from "../types";

export interface Rankings {
  bridges: BridgeRanking[] | null;
  hidden: BridgeRanking[] | null;
  emerging: EmergenceRanking[] | null;
  error: string | null;
}

export class ListsView {
  rankings: Rankings = { bridges: null, hidden: null, emerging: null, error: null };

  constructor(private root: HTMLElement, private store: Store) {
    store.subscribe((_s, _d, changed) => {
      if (changed.has("selected") || changed.has("lang")) this.render();
    });
  }

  set(r: Rankings): void {
    this.rankings = r;
    this.render();
  }

  render(): void {
    const mode = this.store.state.mode;
    const r = this.rankings;
    if (mode === "bridges") {
      if (!this.store.data.caps.bridges) return this.unavailable(t("bridges"));
      const hiddenIds = new Set((r.hidden ?? []).map((b) => b.actor.id));
      clear(this.root,
        h("h2", {}, t("bridges")),
        r.error ? h("p", { class: "error" }, r.error) : null,
        this.bridgeList(r.bridges, hiddenIds, "bridge-list"),
        h("h2", {}, t("hiddenBridges")),
        this.bridgeList(r.hidden, hiddenIds, "hidden-list"));
    } else if (mode === "emerging") {
      if (!this.store.data.caps.emerging) return this.unavailable(t("emerging"));
      clear(this.root, h("h2", {}, t("emerging")),
        r.error ? h("p", { class: "error" }, r.error) : null,
        r.emerging === null ? h("p", { class: "muted" }, t("loading"))
          : !r.emerging.length ? h("p", { class: "muted" }, t("emptyList"))
            : h("ol", { class: "ranking", id: "emerging-list" }, r.emerging.map((e) => this.item(
              e.initiative.id, e.rank, e.initiative.name, e.score, e.reasons,
              h("span", { class: "tag emerging" }, label("stage", e.initiative.stage) || "—"), null))));
    }
  }

  private unavailable(title: string): void {
    clear(this.root, h("h2", {}, title), h("p", { class: "note", id: "mode-unavailable" }, t("unavailable")));
  }

  private bridgeList(list: BridgeRanking[] | null, hiddenIds: Set<string>, id: string): HTMLElement {
    if (list === null) return h("p", { class: "muted" }, t("loading"));
    if (!list.length) return h("p", { class: "muted" }, t("emptyList"));
    return h("ol", { class: "ranking", id }, list.map((b) => this.item(b.actor.id, b.rank, b.actor.name, b.score, b.reasons,
      h("span", { class: "tags" },
        b.declared ? h("span", { class: "tag declared" }, t("declared")) : null,
        b.detected ? h("span", { class: "tag detected" }, t("detected")) : null,
        hiddenIds.has(b.actor.id) ? h("span", { class: "tag hidden" }, t("hidden")) : null),
      WORLD_COLOURS[b.actor.world])));
  }

  private item(id: string, rank: number, name: string, score: number, reasons: string[], tags: HTMLElement,
               colour: string | null): HTMLElement {
    const selected = this.store.state.selected === id;
    return h("li", { class: selected ? "selected" : "" },
      h("button", { type: "button", class: "rank-item", "data-id": id, "aria-current": selected ? "true" : null,
                    onclick: () => this.store.set({ selected: id }) },
        h("span", { class: "rank" }, rank),
        h("span", { class: "rank-body" },
          h("span", { class: "rank-name" }, colour ? h("span", { class: "dot", style: `background:${colour}` }) : null, name),
          h("span", { class: "rank-meta" }, tags, h("span", { class: "score" }, `${t("score")} ${fmt(score, this.store.state.lang)}`)),
          reasons.length ? h("span", { class: "rank-reason" }, reason(reasons[0]!)) : null)));
  }
}
