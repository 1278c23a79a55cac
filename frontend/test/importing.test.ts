import { describe, expect, it } from "vitest";
import {
  changedGraph, IMPORT_WORKBOOK, refusal, sortedErrors, touchedSheets, uploadForm, type ImportResult,
} from "../src/importing";

describe("importing a workbook", () => {
  it("sends the GraphQL multipart request importWorkbook takes", async () => {
    const form = uploadForm(new Blob(["id;name\n"]), "actors.csv", true);
    const ops = JSON.parse(String(form.get("operations")));
    expect(ops.query).toBe(IMPORT_WORKBOOK.query);
    expect(ops.variables).toEqual({ file: null, dryRun: true });
    expect(JSON.parse(String(form.get("map")))).toEqual({ 0: ["variables.file"] });
    const file = form.get("0") as File;
    expect(file.name).toBe("actors.csv");
    expect(await file.text()).toBe("id;name\n");
    expect([...form.keys()]).toEqual(["operations", "map", "0"]); // files after the map
  });

  it("refuses what the server would refuse anyway, before sending", () => {
    expect(refusal("book.XLSX", 10)).toBeNull();
    expect(refusal("book.zip", 10)).toBeNull();
    expect(refusal("actors.csv", 10)).toBeNull();
    expect(refusal("book.ods", 10)).toBe("type");
    expect(refusal("book.xlsx", 0)).toBe("empty");
    expect(refusal("book.xlsx", 300 << 20)).toBe("size");
  });

  it("lists touched sheets in the workbook's order and errors by file and row", () => {
    const sheets = [
      { sheet: "memberships", created: 3, updated: 0, unchanged: 0 },
      { sheet: "territories", created: 0, updated: 0, unchanged: 0 },
      { sheet: "actors", created: 0, updated: 1, unchanged: 4 },
    ];
    expect(touchedSheets(sheets).map((s) => s.sheet)).toEqual(["actors", "memberships"]);
    const errors = [
      { file: "memberships.csv", row: 3, field: "target", value: "x", message: "is not a known alliance or initiative id" },
      { file: "actors.csv", row: 7, field: "kind", value: "CLUB", message: "must be one of …" },
      { file: "actors.csv", row: null, field: "name", value: null, message: "is required" },
      { file: "actors.csv", row: 2, field: "id", value: "", message: "is required" },
    ];
    expect(sortedErrors(errors).map((e) => `${e.file}:${e.row}`)).toEqual(
      ["actors.csv:null", "actors.csv:2", "actors.csv:7", "memberships.csv:3"]);
  });

  it("reloads the map only after a real import that changed something", () => {
    const summary = (dryRun: boolean, created: number, updated: number): ImportResult => ({
      __typename: "ImportSummary", file: "b.zip", rows: 3, dryRun, created, updated, unchanged: 3 - created - updated,
      sheets: [], notes: [], seconds: 0.1,
    });
    expect(changedGraph(summary(false, 1, 0))).toBe(true);
    expect(changedGraph(summary(false, 0, 2))).toBe(true);
    expect(changedGraph(summary(true, 3, 0))).toBe(false);
    expect(changedGraph(summary(false, 0, 0))).toBe(false);
    expect(changedGraph({ __typename: "InvalidInput", message: "1 error", errors: [] })).toBe(false);
  });
});
