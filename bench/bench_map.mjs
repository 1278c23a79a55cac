// The web map's speed in Chromium (playwright-core, Debian's chromium):
//   node bench/bench_map.mjs URL [label] [seconds]
// Loads URL, waits until the map is interactive (drawn, answering input),
// then lets the layout settle and pans (mouse drags) and zooms (wheel) for
// `seconds` (default 6) while a requestAnimationFrame counter runs. Prints one JSON line: time to interactive, frames per
// second, and the bytes transferred (the page's assets and the API's
// answers, counted separately).
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "frontend", "package.json"));
const { chromium } = require("playwright-core");

const url = process.argv[2] ?? "http://127.0.0.1:8000/";
const label = process.argv[3] ?? url;
const seconds = Number(process.argv[4] ?? 6);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const bytes = { assets: 0, api: 0, requests: 0, apiRequests: 0 };
  const urls = new Map();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    const u = urls.get(e.requestId) ?? "";
    bytes.requests++;
    if (u.includes("/graphql")) { bytes.api += e.encodedDataLength; bytes.apiRequests++; } else bytes.assets += e.encodedDataLength;
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.graphmap?.ready === true && !window.graphmap.store.data.loading,
    null, { timeout: 180000, polling: 100 });
  const interactiveMs = Date.now() - t0;
  const drawn = await page.evaluate(() => window.graphmap.map.stats());
  // Wait for the worker layout to settle, then pan (drag) and zoom (wheel)
  // with the mouse, as a person would, while counting animation frames.
  await page.waitForFunction(() => !window.graphmap.map.layoutRunning, null, { timeout: 60000, polling: 200 });
  await page.evaluate(() => {
    window.__frames = { n: 0, worst: 0, last: performance.now(), on: true };
    const tick = (now) => {
      const f = window.__frames;
      f.n++; f.worst = Math.max(f.worst, now - f.last); f.last = now;
      if (f.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const box = await page.locator("#map").boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const start = Date.now();
  let step = 0;
  while (Date.now() - start < seconds * 1000) {
    const a = step * 0.35;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(cx + Math.cos(a) * 18 * i, cy + Math.sin(a) * 18 * i);
    await page.mouse.up();
    await page.mouse.wheel(0, step % 2 ? 240 : -240);
    step++;
  }
  const fps = await page.evaluate(() => {
    const f = window.__frames;
    f.on = false;
    return { frames: f.n, worstFrameMs: Math.round(f.worst) };
  });
  fps.fps = Math.round((fps.frames / ((Date.now() - start) / 1000)) * 10) / 10;
  console.log(JSON.stringify({ label, interactiveMs, ...drawn, ...fps, bytes, errors }));
} finally {
  await browser.close();
}
