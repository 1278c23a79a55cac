import { describe, expect, it } from "vitest";
import { DEFAULT_STATE, fromQuery, scopeKey, toQuery, type ViewState } from "../src/state";

describe("state <-> URL", () => {
  it("the default view has an empty query", () => {
    expect(toQuery(DEFAULT_STATE)).toBe("");
    expect(fromQuery("")).toEqual(DEFAULT_STATE);
  });

  it("round-trips every field", () => {
    const s: ViewState = {
      lang: "en", territory: "69", asOf: "2015-06-01", worlds: ["ECONOMIC", "PUBLIC"],
      themes: ["AGEING"], allianceTypes: ["PHILANTHROPY", "SOCIETAL_INNOVATION"],
      showInitiatives: false, showAlliances: false, metric: "bridgeScore", mode: "bridges",
      selected: "actor:le-rameau", expand: { id: "actor:le-rameau", depth: 2 },
      path: { from: "actor:a>b", to: "actor:c" }, camera: { x: 0.25, y: 0.75, ratio: 0.5 },
    };
    expect(fromQuery(toQuery(s))).toEqual({ ...s, path: { from: "actor:a", to: "b>actor:c" } });
    const simple = { ...s, path: { from: "actor:a", to: "actor:c" } };
    expect(fromQuery(`?${toQuery(simple)}`)).toEqual(simple);
  });

  it("drops unknown or malformed values", () => {
    const s = fromQuery("w=ECONOMIC,NOPE&m=size&mode=x&d=2015&cam=1,2&x=9:a&lang=de");
    expect(s.worlds).toEqual(["ECONOMIC"]);
    expect(s.metric).toBe("degree");
    expect(s.mode).toBe("explore");
    expect(s.asOf).toBeNull();
    expect(s.camera).toBeNull();
    expect(s.expand).toBeNull();
    expect(s.lang).toBe("fr");
  });

  it("ids with reserved characters survive", () => {
    const s = { ...DEFAULT_STATE, selected: "init:a&b=c d/é" };
    expect(fromQuery(toQuery(s)).selected).toBe("init:a&b=c d/é");
  });

  it("the scope key changes only with what the API is asked", () => {
    const a = scopeKey(DEFAULT_STATE);
    expect(scopeKey({ ...DEFAULT_STATE, worlds: ["ECONOMIC"], metric: "pagerank", selected: "x" })).toBe(a);
    expect(scopeKey({ ...DEFAULT_STATE, asOf: "2015-01-01" })).not.toBe(a);
    expect(scopeKey({ ...DEFAULT_STATE, territory: "69" })).not.toBe(a);
    expect(scopeKey({ ...DEFAULT_STATE, showAlliances: false })).not.toBe(a);
  });
});
