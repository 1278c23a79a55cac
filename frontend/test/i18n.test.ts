import { describe, expect, it } from "vitest";
import { DICTIONARIES, label, t } from "../src/i18n";
import { ALLIANCE_TYPES, METRICS, MODES, THEMES, WORLDS } from "../src/types";

describe("i18n", () => {
  it("French and English have exactly the same keys, none empty", () => {
    const fr = Object.keys(DICTIONARIES.fr).sort();
    const en = Object.keys(DICTIONARIES.en).sort();
    expect(en).toEqual(fr);
    for (const lang of ["fr", "en"] as const) {
      for (const [k, v] of Object.entries(DICTIONARIES[lang])) expect(v, `${lang}.${k}`).not.toBe("");
    }
  });
  it("every vocabulary value the map shows has a word in both languages", () => {
    const keys = [
      ...WORLDS.map((w) => `world.${w}`), ...THEMES.map((x) => `theme.${x}`),
      ...ALLIANCE_TYPES.map((x) => `alliance.${x}`), ...METRICS.map((x) => `metric.${x}`),
      ...MODES.map((x) => `mode.${x}`),
    ];
    for (const k of keys) {
      expect(DICTIONARIES.fr, k).toHaveProperty([k]);
      expect(DICTIONARIES.en, k).toHaveProperty([k]);
    }
  });
  it("placeholders are the same in both languages and get filled", () => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const k of Object.keys(DICTIONARIES.fr) as (keyof typeof DICTIONARIES.fr)[]) {
      expect(vars(DICTIONARIES.en[k]), k).toBe(vars(DICTIONARIES.fr[k]));
    }
    expect(t("stats", { nodes: 3, edges: 4 }, "fr")).toBe("3 nœuds · 4 liens");
    expect(t("stats", { nodes: 3, edges: 4 }, "en")).toBe("3 nodes · 4 ties");
  });
  it("labels vocabulary values, raw value when unknown", () => {
    expect(label("world", "PUBLIC", "fr")).toBe("Acteurs publics");
    expect(label("world", "PUBLIC", "en")).toBe("Public bodies");
    expect(label("nothing", "SOME_VALUE", "en")).toBe("some value");
  });
});
