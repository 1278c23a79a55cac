// Importing a workbook from the page: the GraphQL multipart request
// (graphql-multipart-request-spec, as `importWorkbook` takes it) and the
// report shown afterwards. Pure: the dialog in views/importer.ts draws it.
import type { Doc } from "./api";

export const SHEET_ORDER = ["territories", "actors", "initiatives", "alliances", "memberships"] as const;

export interface SheetCount { sheet: string; created: number; updated: number; unchanged: number }
export interface InputError { file: string | null; row: number | null; field: string; value: string | null; message: string }

export type ImportResult =
  | { __typename: "ImportSummary"; file: string; rows: number; dryRun: boolean; created: number; updated: number;
      unchanged: number; sheets: SheetCount[]; notes: string[]; seconds: number }
  | { __typename: "InvalidInput"; message: string; errors: InputError[] };

export const IMPORT_WORKBOOK: Doc<{ importWorkbook: ImportResult }, { file: null; dryRun: boolean }> = {
  query: `mutation ImportWorkbook($file: Upload!, $dryRun: Boolean) {
  importWorkbook(file: $file, dryRun: $dryRun) {
    __typename
    ... on ImportSummary { file rows dryRun created updated unchanged seconds notes
                           sheets { sheet created updated unchanged } }
    ... on InvalidInput { message errors { file row field value message } }
  }
}`,
};

/** The multipart body: `operations` (the query, its file variable null),
 * `map` (which part fills it), then the file itself as part "0". */
export function uploadForm(file: Blob, name: string, dryRun: boolean): FormData {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: IMPORT_WORKBOOK.query, variables: { file: null, dryRun } }));
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", file, name);
  return form;
}

export const ACCEPTED = [".xlsx", ".zip", ".csv"];

/** Why a chosen file cannot be sent, or null: the server says the rest. */
export function refusal(name: string, size: number, maxBytes = 256 << 20): "type" | "size" | "empty" | null {
  if (!ACCEPTED.some((ext) => name.toLowerCase().endsWith(ext))) return "type";
  if (size === 0) return "empty";
  if (size > maxBytes) return "size";
  return null;
}

/** The sheets an import touched, in the workbook's order. */
export function touchedSheets(sheets: SheetCount[]): SheetCount[] {
  const rank = (s: string): number => {
    const i = (SHEET_ORDER as readonly string[]).indexOf(s);
    return i < 0 ? SHEET_ORDER.length : i;
  };
  return sheets.filter((s) => s.created || s.updated || s.unchanged).sort((a, b) => rank(a.sheet) - rank(b.sheet));
}

/** Every bad cell, by file then row (a row-less problem, e.g. a missing
 * column, first in its file), as the report table shows them. */
export function sortedErrors(errors: InputError[]): InputError[] {
  return [...errors].sort((a, b) =>
    (a.file ?? "").localeCompare(b.file ?? "") || (a.row ?? 0) - (b.row ?? 0) || a.field.localeCompare(b.field));
}

/** Did the import write anything the map should show? */
export function changedGraph(result: ImportResult): boolean {
  return result.__typename === "ImportSummary" && !result.dryRun && result.created + result.updated > 0;
}
