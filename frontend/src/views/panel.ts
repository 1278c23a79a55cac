// The side panel of the selected node: its properties, provenance, metrics
// and the analysis's reasons; its neighbourhood; the introduction path from
// it to another actor.
import { reason } from "../reasons";
import { request } from "../api";
import { clear, debounce, fmt, h } from "../dom";
import { label, t, type Key } from "../i18n";
import { detailsQuery, SEARCH } from "../queries";
import { nodeColour } from "../scales";
import type { Store } from "../store";
import type { MapNode, NodeKind } from "../types";

type Props = Record<string, unknown>;
const KIND_BY_TYPENAME: Record<string, NodeKind> = { Actor: "ACTOR", Initiative: "INITIATIVE", Alliance: "ALLIANCE" };

export class PanelView {
  private token = 0;
  private details: Props | null = null;
  private kind: NodeKind | null = null;

  constructor(private root: HTMLElement, private store: Store, private lookup: (id: string) => MapNode | null) {
    store.subscribe((s, _d, changed) => {
      if (changed.has("selected") || changed.has("lang") || changed.has("data.caps")) void this.load(s.selected);
      else if (changed.has("data.pathInfo") || changed.has("data.reasons") || changed.has("data.graph")) this.render();
    });
    void this.load(store.state.selected);
  }

  private async load(id: string | null): Promise<void> {
    const token = ++this.token;
    this.details = null;
    if (!id) {
      this.root.hidden = true;
      clear(this.root);
      return;
    }
    this.root.hidden = false;
    clear(this.root, h("p", { class: "muted pad" }, t("loading")));
    const known = this.lookup(id);
    const kinds: NodeKind[] = known ? [known.kind] : ["ACTOR", "INITIATIVE", "ALLIANCE"];
    for (const kind of kinds) {
      try {
        const res = await request<{ node: Props | null }, { id: string }>(
          { query: detailsQuery(kind, this.store.data.caps) }, { id });
        if (token !== this.token) return;
        if (res.node) {
          this.details = res.node;
          this.kind = kind;
          break;
        }
      } catch (err) {
        if (token !== this.token) return;
        clear(this.root, h("p", { class: "error pad" }, t("error", { message: String((err as Error).message) })));
        return;
      }
    }
    this.render();
  }

  render(): void {
    const id = this.store.state.selected;
    const d = this.details;
    if (!id || !d || !this.kind) return;
    const kind = this.kind;
    const mapNode = this.lookup(id);
    const colour = nodeColour({ kind, world: (d.world as MapNode["world"]) ?? null });
    const close = h("button", { type: "button", class: "icon-btn", id: "panel-close", "aria-label": t("close"),
                                onclick: () => this.store.set({ selected: null, expand: null, path: null }) }, "×");
    clear(this.root,
      h("header", { class: "panel-head" },
        h("div", {},
          h("div", { class: "eyebrow" }, h("span", { class: "dot", style: `background:${colour}` }),
            t(`kind.${kind}` as Key), d.world ? ` · ${label("world", d.world as string)}` : ""),
          h("h2", { id: "panel-title", tabindex: -1 }, String(d.name ?? id))),
        close),
      this.reasonsSection(id, d),
      this.metricsSection(kind, d, mapNode),
      this.propsSection(kind, d),
      this.linksSection(kind, d),
      this.actionsSection(kind, id),
      this.provenanceSection(d),
    );
  }

  private reasonsSection(id: string, d: Props): HTMLElement | null {
    const reasons = [...((d.bridgeReasons as string[] | undefined) ?? []), ...((d.emergenceReasons as string[] | undefined) ?? [])];
    const fromLists = this.store.data.reasons.get(id) ?? [];
    const all = [...new Set([...reasons, ...fromLists])];
    if (!all.length) return null;
    return h("section", { class: "panel-sec reasons", id: "panel-reasons" },
      h("h3", {}, t("reasons")), h("ul", {}, all.map((r) => h("li", {}, reason(r)))));
  }

  private metricsSection(kind: NodeKind, d: Props, n: MapNode | null): HTMLElement | null {
    const m = (d.metrics as Record<string, number | null> | null | undefined) ?? null;
    const rows: [string, number | null | undefined][] = [];
    if (m) {
      for (const [k, v] of Object.entries(m)) rows.push([k, v]);
    } else if (n) {
      for (const k of ["degree", "betweenness", "pagerank", kind === "ACTOR" ? "bridgeScore" : "emergenceScore"] as const) {
        if (n[k] !== null) rows.push([k, n[k]]);
      }
    }
    if (!rows.length) return kind === "ALLIANCE" ? null
      : h("section", { class: "panel-sec" }, h("h3", {}, t("metrics")), h("p", { class: "muted" }, t("noAnalysis")));
    return h("section", { class: "panel-sec", id: "panel-metrics" }, h("h3", {}, t("metrics")),
      h("dl", { class: "metrics" }, rows.flatMap(([k, v]) => [
        h("dt", {}, (["degree", "betweenness", "pagerank", "bridgeScore"] as string[]).includes(k) ? t(`metric.${k}` as Key) : k),
        h("dd", {}, fmt(v, this.store.state.lang))])));
  }

  private propsSection(kind: NodeKind, d: Props): HTMLElement {
    const rows: [Key, string | HTMLElement | null][] = [];
    const terr = ((d.territories as { name: string; code: string }[] | undefined) ?? []).map((x) => x.name).join(", ");
    if (kind === "ACTOR") {
      rows.push(["kind", label("actorKind", d.kind as string)]);
      rows.push(["world", label("world", d.world as string)]);
    } else if (kind === "INITIATIVE") {
      rows.push(["form", label("form", d.form as string)]);
      rows.push(["stage", label("stage", d.stage as string)]);
      rows.push(["themes", ((d.themes as string[]) ?? []).map((x) => label("theme", x)).join(", ")]);
      rows.push(["since", (d.startedOn as string) ?? null]);
    } else {
      rows.push(["type", label("alliance", d.type as string)]);
      rows.push(["horizon", label("horizon", d.horizon as string)]);
      rows.push(["since", (d.since as string) ?? null]);
      rows.push(["until", (d.until as string) ?? null]);
    }
    rows.push(["territoriesLabel", terr || null]);
    if (d.description) rows.push(["description", String(d.description)]);
    if (d.website) rows.push(["website", h("a", { href: String(d.website), target: "_blank", rel: "noopener" }, String(d.website))]);
    return h("section", { class: "panel-sec", id: "panel-props" }, h("h3", {}, t("properties")),
      h("dl", { class: "props" }, rows.filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, t(k)), h("dd", {}, v)])));
  }

  private linksSection(kind: NodeKind, d: Props): HTMLElement | null {
    type Link = { id: string; name: string; role?: string | null; world?: string | null };
    const links: Link[] = [];
    if (kind === "ACTOR") {
      for (const m of (d.memberships as Props[] | undefined) ?? []) {
        const g = (m.alliance ?? m.initiative) as { id: string; name: string } | null;
        if (g) links.push({ id: g.id, name: g.name, role: m.role as string | null });
      }
    } else {
      const key = kind === "INITIATIVE" ? "contributors" : "members";
      for (const m of (d[key] as Props[] | undefined) ?? []) {
        const a = m.actor as { id: string; name: string; world: string };
        links.push({ id: a.id, name: a.name, role: m.role as string | null, world: a.world });
      }
      for (const g of ((kind === "INITIATIVE" ? d.alliances : d.initiatives) as { id: string; name: string }[] | undefined) ?? []) {
        links.push({ id: g.id, name: g.name });
      }
    }
    if (!links.length) return null;
    return h("section", { class: "panel-sec" }, h("h3", {}, t(kind === "ACTOR" ? "memberships" : "members"), " ",
      h("span", { class: "badge" }, links.length)),
      h("ul", { class: "links" }, links.map((l) => h("li", {},
        h("button", { type: "button", class: "link", onclick: () => this.store.set({ selected: l.id }) },
          l.world ? h("span", { class: "dot", style: `background:${nodeColour({ kind: "ACTOR", world: l.world as MapNode["world"] })}` }) : null,
          l.name),
        l.role ? h("small", { class: "muted" }, ` ${label("role", l.role)}`) : null))));
  }

  private actionsSection(kind: NodeKind, id: string): HTMLElement {
    const s = this.store.state;
    const expand = h("div", { class: "row" }, [1, 2].map((depth) =>
      h("button", { type: "button", class: `btn ${s.expand?.id === id && s.expand.depth === depth ? "on" : ""}`,
                    "data-depth": depth, id: `expand-${depth}`,
                    "aria-pressed": String(s.expand?.id === id && s.expand.depth === depth),
                    onclick: () => this.store.set({ expand: s.expand?.id === id && s.expand.depth === depth ? null : { id, depth } }) },
        t("expandDepth", { depth }))));
    const sec = h("section", { class: "panel-sec" }, h("h3", {}, t("expand")), expand);
    if (kind !== "ACTOR") return sec;
    const list = h("ul", { class: "suggestions", role: "listbox", hidden: true, id: "path-list" });
    const input = h("input", { type: "search", id: "path-input", autocomplete: "off", placeholder: t("search"),
                               "aria-label": t("pathTo"), role: "combobox", "aria-controls": "path-list" });
    const suggest = debounce(async (text: string) => {
      if (text.trim().length < 2) { list.hidden = true; return; }
      const res = await request(SEARCH, { text }).catch(() => ({ search: [] }));
      const actors = res.search.filter((n) => n.__typename === "Actor" && n.id !== id);
      clear(list, actors.length ? actors.map((a) => h("li", { role: "option" }, h("button", {
        type: "button", class: "suggestion", onclick: () => {
          list.hidden = true;
          this.store.set({ path: { from: id, to: a.id! } });
        } }, a.name))) : h("li", { class: "muted" }, t("noResult")));
      list.hidden = false;
    }, 200);
    input.addEventListener("input", () => suggest(input.value));
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") { (list.querySelector("button") as HTMLButtonElement | null)?.click(); ev.preventDefault(); }
      if (ev.key === "ArrowDown") { (list.querySelector("button") as HTMLButtonElement | null)?.focus(); ev.preventDefault(); }
    });
    const info = this.store.data.pathInfo;
    const result = s.path && s.path.from === id
      ? h("div", { class: "path-result", id: "path-result", role: "status" },
          info === "none" ? t("pathNone") : info ? t("pathResult", { n: info.length, chain: info.names.join(" → ") }) : t("loading"),
          h("button", { type: "button", class: "link", onclick: () => this.store.set({ path: null }) }, t("pathClear")))
      : null;
    sec.append(h("h3", {}, t("pathTo")), h("div", { class: "combo" }, input, list));
    if (result) sec.append(result);
    return sec;
  }

  private provenanceSection(d: Props): HTMLElement | null {
    const p = d.provenance as Record<string, string | null> | undefined;
    if (!p) return null;
    const rows: [Key, string | null][] = [["source", p.source ?? null], ["createdBy", p.createdBy ?? null],
      ["createdAt", p.createdAt?.slice(0, 10) ?? null], ["updatedAt", p.updatedAt?.slice(0, 10) ?? null]];
    return h("section", { class: "panel-sec", id: "panel-provenance" }, h("h3", {}, t("provenance")),
      h("dl", { class: "props" }, rows.filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, t(k)), h("dd", { class: "mono" }, v)])));
  }
}

export { KIND_BY_TYPENAME };
