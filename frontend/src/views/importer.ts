// The import dialog: choose a workbook (.xlsx, .zip of CSV files, one CSV),
// check it or import it, and read what happened: counts per sheet, or every
// bad cell with its file, row, column, value and reason (nothing written).
import { upload } from "../api";
import { clear, h } from "../dom";
import { getLang, t, type Key } from "../i18n";
import {
  ACCEPTED, changedGraph, IMPORT_WORKBOOK, refusal, sortedErrors, touchedSheets, uploadForm, type ImportResult,
} from "../importing";

export class ImporterView {
  readonly dialog: HTMLDialogElement;
  private readonly file: HTMLInputElement;
  private readonly dry: HTMLInputElement;
  private readonly go: HTMLButtonElement;
  private readonly result: HTMLElement;

  /** `onChanged`: called after an import that wrote something (the map reloads). */
  constructor(private readonly onChanged: () => void) {
    this.file = h("input", { type: "file", id: "import-file", accept: ACCEPTED.join(","), required: true });
    this.dry = h("input", { type: "checkbox", id: "import-dry" });
    this.go = h("button", { type: "submit", class: "btn primary", id: "import-go" });
    this.result = h("div", { id: "import-result", class: "import-result", "aria-live": "polite" });
    this.dialog = h("dialog", { id: "import-dialog", class: "dialog", "aria-labelledby": "import-title" });
    this.render();
  }

  /** Redraw the texts (the language may have changed); keeps the chosen file. */
  render(): void {
    const form = h("form", { method: "dialog", onsubmit: (ev: Event) => { ev.preventDefault(); void this.send(); } },
      h("header", { class: "dialog-head" },
        h("h2", { id: "import-title" }, t("importTitle")),
        h("button", { type: "button", class: "icon-btn", id: "import-close", "aria-label": t("close"),
                      onclick: () => this.dialog.close() }, "×")),
      h("p", {}, t("importHelp")),
      h("p", {}, h("a", { href: "/template.xlsx", download: "", id: "import-template", class: "link" }, t("importTemplate"))),
      h("label", { class: "field", for: "import-file" }, t("importFile")), this.file,
      h("label", { class: "check", for: "import-dry" }, this.dry, t("importDry")),
      h("div", { class: "dialog-actions" }, this.go),
      this.result);
    this.go.textContent = t("importGo");
    clear(this.dialog, form);
  }

  open(): void {
    this.dialog.showModal();
    this.file.focus();
  }

  private say(...children: (Node | string)[]): void {
    clear(this.result, ...children);
  }

  private async send(): Promise<void> {
    const chosen = this.file.files?.[0];
    if (!chosen) { this.say(h("p", { class: "warn" }, t("importNoFile"))); return; }
    const why = refusal(chosen.name, chosen.size);
    if (why) { this.say(h("p", { class: "warn" }, t(`importRefused.${why}` as Key, { name: chosen.name }))); return; }
    const dryRun = this.dry.checked;
    this.go.disabled = true;
    this.say(h("p", { class: "muted", id: "import-progress" },
      t(dryRun ? "importChecking" : "importRunning", { name: chosen.name, size: sizeText(chosen.size) })));
    try {
      const res = await upload(IMPORT_WORKBOOK, uploadForm(chosen, chosen.name, dryRun));
      this.show(res.importWorkbook);
      if (changedGraph(res.importWorkbook)) this.onChanged();
    } catch (err) {
      this.say(h("p", { class: "warn" }, t("error", { message: (err as Error).message })));
    } finally {
      this.go.disabled = false;
    }
  }

  private show(r: ImportResult): void {
    if (r.__typename === "InvalidInput") {
      const errors = sortedErrors(r.errors);
      this.say(
        h("p", { class: "warn", id: "import-invalid" }, t("importInvalid", { count: errors.length })),
        h("div", { class: "table-wrap" }, h("table", { class: "report", id: "import-errors" },
          h("thead", {}, h("tr", {}, (["importColFile", "importColRow", "importColColumn", "importColValue",
                                       "importColReason"] as Key[]).map((k) => h("th", { scope: "col" }, t(k))))),
          h("tbody", {}, errors.map((e) => h("tr", {},
            h("td", {}, e.file ?? ""), h("td", { class: "num" }, e.row ?? ""), h("td", {}, e.field),
            h("td", {}, h("code", {}, e.value ?? "")), h("td", {}, e.message)))))));
      return;
    }
    const sheets = touchedSheets(r.sheets);
    this.say(
      h("p", { id: "import-done", class: r.dryRun ? "" : "ok" },
        t(r.dryRun ? "importDryDone" : "importDone", { name: r.file, rows: r.rows, seconds: r.seconds.toFixed(1) })),
      r.notes.length ? h("ul", { class: "muted" }, r.notes.map((n) => h("li", {}, n))) : "",
      h("table", { class: "report", id: "import-summary" },
        h("thead", {}, h("tr", {}, (["importColSheet", "importCreated", "importUpdated", "importUnchanged"] as Key[])
          .map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, sheets.map((s) => h("tr", { "data-sheet": s.sheet },
          h("td", {}, s.sheet), h("td", { class: "num" }, s.created), h("td", { class: "num" }, s.updated),
          h("td", { class: "num" }, s.unchanged))))),
      r.dryRun ? h("p", { class: "muted" }, t("importDryNote")) : "");
  }
}

function sizeText(bytes: number): string {
  const [b, k, m] = getLang() === "fr" ? ["o", "Kio", "Mio"] : ["B", "KiB", "MiB"];
  if (bytes < 1024) return `${bytes} ${b}`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(0)} ${k}`;
  return `${(bytes / (1 << 20)).toFixed(1)} ${m}`;
}
