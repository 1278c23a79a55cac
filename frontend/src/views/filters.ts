// The filters column: territory (autocomplete on `territories(filter:{text})`),
// date slider (the map as of a month), size metric, node kinds, worlds
// (doubling as the colour legend), themes and alliance types.
import { request } from "../api";
import { clear, debounce, h } from "../dom";
import { label, t } from "../i18n";
import { TERRITORIES } from "../queries";
import { WORLD_COLOURS } from "../scales";
import type { Store } from "../store";
import { ALLIANCE_TYPES, METRICS, THEMES, WORLDS, type TerritoryRef } from "../types";

/** Months from `start` (YYYY-MM) to `end` inclusive. */
export function monthsBetween(start: string, end: string): string[] {
  const out: string[] = [];
  let [y, m] = start.split("-").map(Number) as [number, number];
  const [ey, em] = end.split("-").map(Number) as [number, number];
  while (y < ey || (y === ey && m <= em)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  return out;
}

function toggle<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
}

export class FiltersView {
  private firstMonth = "2000-01";
  private months: string[] = [];

  constructor(private root: HTMLElement, private store: Store) {
    store.subscribe((_s, data, changed) => {
      const sliding = document.activeElement?.id === "date-slider";
      if (changed.has("lang") || changed.has("data.territory") || changed.has("territory")
          || (changed.has("asOf") && !sliding)) {
        this.render();
      } else if (changed.has("asOf")) {
        const all = this.root.querySelector<HTMLButtonElement>("#date-all");
        if (all) all.disabled = !this.store.state.asOf;
      }
      if (changed.has("data.graph") && data.graph) {
        this.widenDates(data.graph.earliestSince !== undefined ? [data.graph.earliestSince]
          : data.graph.nodes.map((n) => n.since));
      }
    });
    this.render();
  }

  /** The slider starts at the earliest date seen (sticky, so it does not jump). */
  private widenDates(dates: (string | null)[]): void {
    const earliest = dates.filter((d): d is string => !!d).sort()[0];
    if (earliest && earliest.slice(0, 7) < this.firstMonth) {
      this.firstMonth = earliest.slice(0, 7);
      this.render();
    }
  }

  render(): void {
    const s = this.store.state;
    const today = new Date().toISOString().slice(0, 7);
    this.months = monthsBetween(s.asOf && s.asOf.slice(0, 7) < this.firstMonth ? s.asOf.slice(0, 7)
      : this.firstMonth, today);
    clear(this.root,
      h("h2", { class: "visually-hidden" }, t("title")),
      this.territorySection(),
      this.dateSection(),
      this.metricSection(),
      this.showSection(),
      this.worldSection(),
      this.listSection("themes", "theme", THEMES, s.themes, (v, on) =>
        this.store.set({ themes: toggle(this.store.state.themes, v, on) })),
      this.listSection("allianceTypes", "alliance", ALLIANCE_TYPES, s.allianceTypes, (v, on) =>
        this.store.set({ allianceTypes: toggle(this.store.state.allianceTypes, v, on) })),
    );
  }

  private territorySection(): HTMLElement {
    const current = this.store.data.territory;
    const code = this.store.state.territory;
    const list = h("ul", { class: "suggestions", role: "listbox", id: "territory-list", hidden: true });
    const input = h("input", {
      id: "territory-input", type: "search", autocomplete: "off", role: "combobox",
      "aria-expanded": "false", "aria-controls": "territory-list",
      placeholder: t("territoryPlaceholder"), "aria-label": t("territory"),
    });
    const choose = (tr: TerritoryRef): void => {
      list.hidden = true;
      input.value = "";
      this.store.put({ territory: tr });
      this.store.set({ territory: tr.code, selected: null, expand: null, path: null, camera: null });
    };
    const suggest = debounce(async (text: string) => {
      if (text.trim().length < 2) { list.hidden = true; return; }
      try {
        const data = await request(TERRITORIES, { text: text.trim() });
        const found = data.territories.edges.map((e) => e.node);
        clear(list, found.length ? found.map((tr) => h("li", { role: "option" },
          h("button", { type: "button", class: "suggestion", "data-code": tr.code,
                        onclick: () => choose(tr) },
            h("span", {}, tr.name), h("small", {}, `${tr.level.toLowerCase()} · ${tr.code}`))))
          : h("li", { class: "muted" }, t("noResult")));
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } catch { list.hidden = true; }
    }, 180);
    input.addEventListener("input", () => suggest(input.value));
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown") {
        (list.querySelector("button") as HTMLButtonElement | null)?.focus();
        ev.preventDefault();
      } else if (ev.key === "Enter") {
        (list.querySelector("button") as HTMLButtonElement | null)?.click();
        ev.preventDefault();
      } else if (ev.key === "Escape") {
        list.hidden = true;
      }
    });
    list.addEventListener("keydown", (ev) => {
      const items = [...list.querySelectorAll("button")];
      const i = items.indexOf(document.activeElement as HTMLButtonElement);
      if (ev.key === "ArrowDown" && i >= 0) { items[Math.min(items.length - 1, i + 1)]?.focus(); ev.preventDefault(); }
      if (ev.key === "ArrowUp") { (i <= 0 ? input : items[i - 1])?.focus(); ev.preventDefault(); }
      if (ev.key === "Escape") { list.hidden = true; input.focus(); }
    });
    const chip = code
      ? h("div", { class: "chip", id: "territory-chip" },
          h("span", {}, current?.name ?? code, current ? h("small", {}, ` ${current.level.toLowerCase()}`) : null),
          h("button", { type: "button", class: "chip-x", "aria-label": `${t("clear")} ${current?.name ?? code}`,
                        onclick: () => {
                          this.store.put({ territory: null });
                          this.store.set({ territory: null, selected: null, expand: null, path: null, camera: null });
                        } }, "×"))
      : h("div", { class: "chip muted" }, t("allTerritories"));
    return h("section", { class: "filter" },
      h("label", { for: "territory-input", class: "filter-title" }, t("territory")),
      chip, h("div", { class: "combo" }, input, list));
  }

  private dateSection(): HTMLElement {
    const s = this.store.state;
    const months = this.months;
    const idx = s.asOf ? Math.max(0, months.indexOf(s.asOf.slice(0, 7))) : months.length;
    const out = h("output", { id: "date-value", for: "date-slider" });
    const show = (i: number): void => {
      const m = months[i];
      out.textContent = m ? new Date(`${m}-01T00:00:00`).toLocaleDateString(s.lang, { year: "numeric", month: "long" })
        : t("dateAll");
    };
    const slider = h("input", {
      id: "date-slider", type: "range", min: 0, max: months.length, step: 1, value: idx,
      "aria-describedby": "date-help",
    });
    const commit = debounce((i: number) => {
      const m = months[i];
      this.store.set({ asOf: m ? `${m}-01` : null });
    }, 250);
    slider.addEventListener("input", () => {
      const i = Number(slider.value);
      show(i);
      slider.setAttribute("aria-valuetext", out.textContent ?? "");
      commit(i);
    });
    show(idx);
    slider.setAttribute("aria-valuetext", out.textContent ?? "");
    return h("section", { class: "filter" },
      h("label", { for: "date-slider", class: "filter-title" }, t("date"), " ", out),
      slider,
      h("div", { class: "range-ends" }, h("span", {}, months[0]?.slice(0, 4) ?? ""),
        h("button", { type: "button", class: "link", id: "date-all", onclick: () => this.store.set({ asOf: null }),
                      disabled: !s.asOf }, t("dateAll"))),
      h("small", { id: "date-help", class: "muted" }, t("dateHelp")));
  }

  private metricSection(): HTMLElement {
    const select = h("select", { id: "metric-select" },
      METRICS.map((m) => h("option", { value: m, selected: m === this.store.state.metric }, t(`metric.${m}`))));
    select.addEventListener("change", () => this.store.set({ metric: select.value as typeof METRICS[number] }));
    return h("section", { class: "filter" },
      h("label", { for: "metric-select", class: "filter-title" }, t("sizeBy")), select);
  }

  private showSection(): HTMLElement {
    const s = this.store.state;
    const box = (id: string, text: string, on: boolean, set: (on: boolean) => void, swatch: string) => {
      const input = h("input", { type: "checkbox", id, checked: on });
      input.addEventListener("change", () => set(input.checked));
      return h("label", { class: "check" }, input, h("span", { class: `swatch ${swatch}` }), text);
    };
    return h("fieldset", { class: "filter" }, h("legend", { class: "filter-title" }, t("show")),
      box("show-initiatives", t("showInitiatives"), s.showInitiatives,
        (on) => this.store.set({ showInitiatives: on }), "shape-initiative"),
      box("show-alliances", t("showAlliances"), s.showAlliances,
        (on) => this.store.set({ showAlliances: on }), "shape-alliance"));
  }

  private worldSection(): HTMLElement {
    const s = this.store.state;
    return h("fieldset", { class: "filter", id: "world-filter" },
      h("legend", { class: "filter-title" }, t("worlds")),
      WORLDS.map((w) => {
        const input = h("input", { type: "checkbox", value: w, "data-world": w,
                                   checked: !s.worlds.length || s.worlds.includes(w) });
        input.addEventListener("change", () => {
          const all = [...this.root.querySelectorAll<HTMLInputElement>("#world-filter input")];
          const on = all.filter((i) => i.checked).map((i) => i.value as typeof WORLDS[number]);
          this.store.set({ worlds: on.length === WORLDS.length ? [] : on });
        });
        return h("label", { class: "check" }, input,
          h("span", { class: "swatch", style: `background:${WORLD_COLOURS[w]}` }), label("world", w));
      }));
  }

  private listSection<T extends string>(
    key: "themes" | "allianceTypes", prefix: string, values: readonly T[], chosen: T[],
    set: (v: T, on: boolean) => void,
  ): HTMLElement {
    return h("details", { class: "filter", open: chosen.length > 0, id: `${key}-filter` },
      h("summary", { class: "filter-title" }, t(key), chosen.length ? h("span", { class: "badge" }, chosen.length) : null),
      values.map((v) => {
        const input = h("input", { type: "checkbox", value: v, checked: chosen.includes(v) });
        input.addEventListener("change", () => set(v, input.checked));
        return h("label", { class: "check" }, input, label(prefix, v));
      }));
  }
}
