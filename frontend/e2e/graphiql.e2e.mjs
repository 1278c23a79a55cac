// GraphiQL served from the app's own files, with the network cut: every
// request that is not to 127.0.0.1 is aborted and counted (there must be
// none), the playground renders, its saved example query runs.
// Usage: node e2e/graphiql.e2e.mjs http://127.0.0.1:8000/ [screenshot.png]
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:8000/";
const shot = process.argv[3] ?? null;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"];

const out = { ok: false, outside: [], consoleErrors: [] };
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    out.outside.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("console", (m) => {
    // the bundle's trailing sourceMappingURL names a .map file we do not ship
    if (m.type() === "error" && !/\.map\b/.test(m.text())) out.consoleErrors.push(m.text());
  });
  await page.goto(new URL("/graphql", base).href, { waitUntil: "networkidle" });
  await page.waitForSelector(".graphiql-container", { timeout: 30000 });
  out.title = await page.title();
  // the docs explorer loaded the schema by introspection
  await page.waitForSelector("text=Query", { timeout: 30000 });
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    () => document.querySelector(".result-window")?.textContent?.includes("totalCount"),
    null, { timeout: 30000 });
  out.result = (await page.textContent(".result-window")).slice(0, 200);
  if (shot) await page.screenshot({ path: shot });
  out.ok = out.outside.length === 0;
} catch (e) {
  out.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
process.exit(out.ok ? 0 : 1);
