// Browser test of the web map in Debian's Chromium (playwright-core, no
// downloaded browser). Usage:
//   node e2e/map.e2e.mjs http://127.0.0.1:8000/ [screenshot dir]
// Prints one JSON line of results; exits 1 on the first failed check.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:8000/";
const shots = process.argv[3] ?? null;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const results = { checks: [], timings: {} };
function check(name, ok, detail = "") {
  results.checks.push({ name, ok: !!ok, detail: String(detail).slice(0, 300) });
  if (!ok) throw new Error(`check failed: ${name} ${detail}`);
}

async function gql(query, variables = {}) {
  const res = await fetch(new URL("/graphql", base), {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()).data;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
const errors = [];
try {
  if (shots) await mkdir(shots, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const shot = async (name) => { if (shots) await page.screenshot({ path: path.join(shots, name) }); };

  const ready = async () => {
    await page.waitForFunction(() => window.graphmap?.ready === true && !window.graphmap.store.data.loading,
      null, { timeout: 20000 });
    await page.waitForTimeout(150);
  };
  const stats = () => page.evaluate(() => window.graphmap.map.stats());
  const state = () => page.evaluate(() => window.graphmap.store.state);
  const overview = async () => {
    await page.mouse.move(5, 5);
    await page.click("#zoom-fit");
    await page.waitForTimeout(500);
  };
  const reload = async (action) => {
    await page.evaluate(() => { window.graphmap.ready = false; });
    await action();
    await ready();
  };

  // 1. The demo at once (after one warm-up query: Neo4j plans a statement on
  // its first run, which is not the page's cost).
  await gql("{ mapGraph { truncated } }");
  const t0 = Date.now();
  await page.goto(base);
  await ready();
  results.timings.interactiveMs = Date.now() - t0;
  const all = await stats();
  check("demo drawn", all.nodes >= 50 && all.edges >= 50, JSON.stringify(all));
  check("interactive quickly", results.timings.interactiveMs < 10000, results.timings.interactiveMs);
  check("legend shown", await page.isVisible("#legend"));
  check("French by default", (await page.textContent(".brand h1")).includes("Carte"));
  await shot("map.png");

  // 2. Filters change what is drawn: a world, then the initiatives.
  await page.click('#world-filter input[data-world="ECONOMIC"]');
  const noEco = await stats();
  check("world filter hides nodes", noEco.nodes < all.nodes, `${noEco.nodes} < ${all.nodes}`);
  check("world filter in URL", page.url().includes("w="), page.url());
  await page.click('#world-filter input[data-world="ECONOMIC"]');
  check("world filter restored", (await stats()).nodes === all.nodes);
  await reload(() => page.click("#show-initiatives"));
  const noInit = await stats();
  check("initiatives hidden (asked from the API)", noInit.nodes < all.nodes, JSON.stringify(noInit));
  await reload(() => page.click("#show-initiatives"));

  // 3. Metric choice changes sizes.
  const sizes = () => page.evaluate(() => window.graphmap.map.graph.mapNodes((_, a) => a.size).join(","));
  const before = await sizes();
  await page.selectOption("#metric-select", "betweenness");
  await page.waitForTimeout(100);
  check("metric in URL", page.url().includes("m=betweenness"), page.url());
  check("metric changes sizes", (await sizes()) !== before);
  await page.selectOption("#metric-select", "degree");

  // 4. Territory autocomplete, sub-territories included.
  await page.fill("#territory-input", "Rhô");
  await page.waitForSelector('#territory-list button[data-code="69"]', { timeout: 5000 });
  await reload(() => page.click('#territory-list button[data-code="69"]'));
  const rhone = await stats();
  check("territory narrows the map", rhone.nodes > 0 && rhone.nodes < all.nodes, JSON.stringify(rhone));
  check("territory in URL", page.url().includes("t=69"), page.url());
  const lyonActor = await page.evaluate(() => window.graphmap.map.graph.hasNode("actor:universite-catholique-de-lyon"));
  check("a Lyon actor is in the Rhône", lyonActor);
  await reload(() => page.click("#territory-chip .chip-x"));
  check("territory cleared", (await stats()).nodes === all.nodes);

  // 5. Time slider: the map as of an early date.
  await reload(async () => {
    await page.focus("#date-slider");
    await page.keyboard.press("Home");
  });
  const early = await stats();
  const st = await state();
  check("time slider sets a date", !!st.asOf, JSON.stringify(st.asOf));
  check("time slider changes the graph", early.nodes < all.nodes, `${early.nodes} < ${all.nodes}`);
  await reload(() => page.click("#date-all"));
  check("all dates again", (await stats()).nodes === all.nodes);

  // 6. Search by name, then a click on a node opens the panel with its data.
  await page.fill("#search-input", "RAMEAU");
  await page.waitForSelector('#search-list button[data-id="actor:le-rameau"]', { timeout: 5000 });
  await page.click('#search-list button[data-id="actor:le-rameau"]');
  await page.waitForSelector("#panel:not([hidden]) #panel-title", { timeout: 5000 });
  check("search selects", (await page.textContent("#panel-title")).includes("RAMEAU"));
  await page.keyboard.press("Escape");
  await page.waitForSelector("#panel[hidden]", { state: "attached", timeout: 3000 });
  check("Escape closes the panel", true);
  await overview();
  const target = "actor:caisse-des-depots";
  const pos = await page.evaluate((id) => {
    const m = window.graphmap.map;
    const d = m.sigma.getNodeDisplayData(id);
    const p = m.sigma.framedGraphToViewport(d);
    const r = document.getElementById("map").getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, target);
  await page.mouse.click(pos.x, pos.y);
  await page.waitForSelector("#panel:not([hidden]) #panel-title", { timeout: 5000 });
  const expectName = (await gql(`{ actor(id: "${target}") { name } }`)).actor.name;
  check("click opens the panel of that node", (await page.textContent("#panel-title")) === expectName,
    await page.textContent("#panel-title"));
  check("panel shows provenance", await page.isVisible("#panel-provenance"));
  check("selection in URL", page.url().includes("sel="), page.url());
  await page.click("#expand-1");
  await page.waitForFunction(() => window.graphmap.store.data.highlight.size > 1, null, { timeout: 5000 });
  check("neighbourhood highlighted", true);
  await page.fill("#path-input", "Labo des part");
  await page.waitForSelector("#path-list button", { timeout: 5000 });
  await page.click("#path-list button");
  await page.waitForSelector("#path-result", { timeout: 5000 });
  await page.waitForFunction(() => window.graphmap.store.data.pathInfo !== null, null, { timeout: 5000 });
  check("introduction path shown", (await page.textContent("#path-result")).length > 5, await page.textContent("#path-result"));
  await shot("panel.png");
  await page.click("#panel-close");

  // 7. Bridges and emerging: the lists are what the API returns.
  await page.click("#mode-bridges");
  await page.waitForSelector("#bridge-list, #mode-unavailable", { timeout: 8000 });
  if (await page.$("#bridge-list")) {
    const api = await gql("{ facilitatorBridges(limit: 20) { actor { id } } hiddenBridges(limit: 20) { actor { id } } }");
    const shown = await page.$$eval("#bridge-list .rank-item", (els) => els.map((e) => e.dataset.id));
    check("bridges list = API", JSON.stringify(shown) === JSON.stringify(api.facilitatorBridges.map((b) => b.actor.id)),
      JSON.stringify(shown.slice(0, 5)));
    const hiddenShown = await page.$$eval("#hidden-list .rank-item", (els) => els.map((e) => e.dataset.id));
    check("hidden bridges list = API", JSON.stringify(hiddenShown) === JSON.stringify(api.hiddenBridges.map((b) => b.actor.id)));
    results.bridges = shown.length;
    await overview();
    await shot("bridges.png");
    if (shown.length) {
      await page.click("#bridge-list .rank-item >> nth=0");
      await page.waitForSelector("#panel:not([hidden]) #panel-title", { timeout: 5000 });
      check("list click selects", (await state()).selected === shown[0]);
      await page.waitForTimeout(700);
    }
  } else {
    results.bridges = "unavailable";
    await shot("bridges.png");
  }
  await page.keyboard.press("Escape");

  await page.click("#mode-emerging");
  await page.waitForSelector("#emerging-list, #mode-unavailable, #side .muted", { timeout: 8000 });
  await page.waitForFunction(() => !document.querySelector("#side")?.textContent?.includes("Chargement"), null, { timeout: 8000 });
  if (await page.$("#emerging-list")) {
    const api = await gql("{ emergingInitiatives(limit: 20) { initiative { id } } }");
    const shown = await page.$$eval("#emerging-list .rank-item", (els) => els.map((e) => e.dataset.id));
    check("emerging list = API", JSON.stringify(shown) === JSON.stringify(api.emergingInitiatives.map((e) => e.initiative.id)),
      JSON.stringify(shown.slice(0, 5)));
    results.emerging = shown.length;
  } else {
    results.emerging = "unavailable";
  }
  await overview();
  await shot("emerging.png");

  // 8. Territory view: indicators and the world-by-world heat map.
  await page.click("#mode-territory");
  await page.fill("#territory-input", "Fran");
  await page.waitForSelector('#territory-list button[data-code="FR"]', { timeout: 5000 });
  await reload(() => page.click('#territory-list button[data-code="FR"]'));
  await page.waitForSelector("#world-matrix, #mode-unavailable, #side .muted", { timeout: 8000 });
  await page.waitForTimeout(300);
  results.territory = (await page.$("#world-matrix")) ? "matrix" : "unavailable";
  await shot("territory.png");

  // 9. Share: the URL reproduces the view.
  const url = page.url();
  const sent = await state();
  const sentStats = await stats();
  const other = await context.newPage();
  other.on("pageerror", (e) => errors.push(String(e)));
  await other.goto(url);
  await other.waitForFunction(() => window.graphmap?.ready === true && !window.graphmap.store.data.loading, null, { timeout: 20000 });
  const got = await other.evaluate(() => window.graphmap.store.state);
  const gotStats = await other.evaluate(() => window.graphmap.map.stats());
  check("shared link: same state", JSON.stringify({ ...got, camera: null }) === JSON.stringify({ ...sent, camera: null }),
    JSON.stringify(got));
  check("shared link: same drawing", JSON.stringify(gotStats) === JSON.stringify(sentStats), JSON.stringify(gotStats));
  await other.close();

  // 10. Export: PNG of the map; links to the scope's exports.
  const png = await page.evaluate(() => window.graphmap.map.toPng());
  check("PNG export", png.startsWith("data:image/png") && png.length > 20000, png.length);
  const href = await page.getAttribute("#export-gexf", "href");
  check("export link carries the scope", href.startsWith("/export/gexf?") && href.includes("territory=FR"), href);

  const download = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, head: (await r.text()).slice(0, 300) };
  }, href);
  check("export link downloads GEXF", download.status === 200 && download.head.includes("<gexf"), JSON.stringify(download));

  // 10b. Import from the page: a broken workbook lists every bad cell and
  // writes nothing; a good one is checked (nothing written), then imported,
  // and the map shows it.
  const newId = "actor:e2e-import";
  const exists = async () => (await gql("query($id: ID!) { actor(id: $id) { id } }", { id: newId })).actor !== null;
  const beforeImport = await stats();
  await page.click("#import-open");
  check("import dialog opens", await page.isVisible("#import-dialog"));
  const template = await page.evaluate(async () => {
    const r = await fetch(document.querySelector("#import-template").getAttribute("href"));
    return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
  });
  check("template downloads", template.status === 200 && template.bytes > 3000, JSON.stringify(template));
  const csv = (rows) => ({ name: "actors.csv", mimeType: "text/csv", buffer: Buffer.from(`id;name;kind;territory\n${rows}`) });
  await page.setInputFiles("#import-file", csv(`${newId};Atelier e2e;ASSOCIATION;69123\nbad id;;CLUB;69123\n`));
  await page.click("#import-go");
  await page.waitForSelector("#import-errors", { timeout: 20000 });
  const bad = await page.$$eval("#import-errors tbody tr", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  const at = (col) => bad.some((r) => r[0] === "actors.csv" && r[1] === "3" && r[2] === col);
  check("every bad cell reported with file, row, column", at("id") && at("name") && at("kind"), JSON.stringify(bad));
  check("a bad workbook writes nothing", !(await exists()));
  await page.setInputFiles("#import-file", csv(`${newId};Atelier e2e;ASSOCIATION;69123\n`));
  await page.check("#import-dry");
  await page.click("#import-go");
  await page.waitForSelector("#import-summary", { timeout: 20000 });
  const dryRow = await page.$$eval('#import-summary tr[data-sheet="actors"] td', (tds) => tds.map((td) => td.textContent));
  check("dry run counts the new actor", JSON.stringify(dryRow) === JSON.stringify(["actors", "1", "0", "0"]), JSON.stringify(dryRow));
  check("dry run writes nothing", !(await exists()));
  await page.uncheck("#import-dry");
  await reload(async () => {
    await page.click("#import-go");
    await page.waitForSelector("#import-done.ok", { timeout: 30000 });
  });
  check("import writes", await exists());
  const after = await stats();
  check("the map shows the imported actor", after.nodes === beforeImport.nodes + 1
    && (await page.evaluate((id) => window.graphmap.map.graph.hasNode(id), newId)), `${beforeImport.nodes} -> ${after.nodes}`);
  await shot("import.png");
  await page.click("#import-close");
  check("import dialog closes", !(await page.isVisible("#import-dialog")));

  // 11. English, keyboard.
  await page.click("#lang");
  check("English available", (await page.textContent(".brand h1")) === "Alliance map");
  check("lang in URL", page.url().includes("lang=en"));
  await page.click("#lang");
  await page.focus("#search-input");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.id || document.activeElement?.className);
  check("tab moves focus", !!focused, focused);

  check("no console errors", errors.length === 0, errors.join(" | "));
  results.ok = true;
} catch (err) {
  results.ok = false;
  results.error = String(err?.message ?? err);
  results.consoleErrors = errors;
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
process.exit(results.ok ? 0 : 1);
