// The web map's speed in Chromium (playwright-core, Debian's chromium):
//   node bench/bench_map.mjs URL [label] [seconds]
// Loads URL and measures what a person gets:
// - time to interactive: from navigation until the map is drawn, the page
//   says it is ready, and the next animation frame has run (the main thread
//   answers); split into the map query (request sent → last byte, from
//   Resource Timing) and the page's own work after it (parse, graph, draw);
// - frames while the layout runs, then frames after it has settled, each
//   during `seconds` (default 6) of scripted pan (mouse drags) and zoom
//   (wheel): median and 95th-percentile frame time, frames per second,
//   worst frame, frames over 100 ms;
// - then the same pan/zoom zoomed in twice, with a half-second pause after
//   each gesture (what a person does: look, then move on): the map draws its
//   ties and labels in each pause, and the next gesture's first frame waits
//   for that drawing (its worst frame is the cost of bringing them back);
// - bytes on the wire (gzipped, headers included): the page's assets and the
//   API's answers, counted separately.
// Prints one JSON line.
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

// In the page before its scripts: every animation frame's time, the first
// frame after the map says it is ready, and the first frame after its layout
// has stopped (page times, so a busy page cannot blur them).
function recorder() {
  const rec = { frames: [], readyMs: null, interactiveMs: null, settledMs: null };
  window.__bench = rec;
  const tick = (now) => {
    rec.frames.push(now);
    const map = window.graphmap;
    if (rec.readyMs === null && map?.ready === true && !map.store.data.loading) {
      rec.readyMs = now;
      requestAnimationFrame((next) => { rec.interactiveMs = next; });
    }
    if (rec.interactiveMs !== null && rec.settledMs === null && !map.map.layoutRunning) rec.settledMs = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Frame statistics between two page times (ms). */
function frameStats(frames, from, to) {
  const gaps = [];
  // Every gap between consecutive frames that overlaps the window (a frame
  // that blocks across its start or end counts too).
  for (let i = 1; i < frames.length; i++) if (frames[i] > from && frames[i - 1] < to) gaps.push(frames[i] - frames[i - 1]);
  if (!gaps.length) return { seconds: Math.round(to - from) / 1000, frames: 0, medianMs: null, p95Ms: null, fps: 0, worstMs: Math.round(to - from), slowFrames: 1, slowMs: Math.round(to - from) };
  const sorted = [...gaps].sort((a, b) => a - b);
  const span = gaps.reduce((a, b) => a + b, 0);
  return {
    seconds: Math.round(to - from) / 1000,
    frames: gaps.length,
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10,
    p95Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]),
    fps: Math.round((gaps.length / (span / 1000)) * 10) / 10,
    worstMs: Math.round(sorted[sorted.length - 1]),
    // Frames slower than 100 ms (a visible hitch) and the time they took together.
    slowFrames: gaps.filter((g) => g > 100).length,
    slowMs: Math.round(gaps.filter((g) => g > 100).reduce((a, b) => a + b, 0)),
  };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  await page.addInitScript(recorder);
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
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.interactiveMs !== null, null, { timeout: 180000, polling: 50 });
  const load = await page.evaluate(() => {
    const rec = window.__bench;
    // The map query is the API answer with the most bytes.
    const api = performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/graphql"))
      .sort((a, b) => b.transferSize - a.transferSize)[0];
    return {
      interactiveMs: Math.round(rec.interactiveMs),
      mapQueryMs: api ? Math.round(api.responseEnd - api.requestStart) : null,
      afterQueryMs: api ? Math.round(rec.interactiveMs - api.responseEnd) : null,
      ...window.graphmap.map.stats(),
    };
  });

  const box = await page.locator("#map").boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let step = 0;
  /** Pan and zoom with the mouse, as a person would, until `until()` or `ms`
   * ran out, pausing `pause` ms after each gesture. */
  const gesture = async (ms, until = () => false, pause = 0) => {
    const start = Date.now();
    while (Date.now() - start < ms && !(await until())) {
      const a = step * 0.35;
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++) await page.mouse.move(cx + Math.cos(a) * 18 * i, cy + Math.sin(a) * 18 * i);
      await page.mouse.up();
      await page.mouse.wheel(0, step % 2 ? 240 : -240);
      step++;
      if (pause) await page.waitForTimeout(pause);
    }
  };
  const now = () => page.evaluate(() => performance.now());
  const settled = () => page.evaluate(() => window.__bench.settledMs !== null);

  // While the layout runs (if it does): pan and zoom until it stops.
  await gesture(seconds * 1000, settled);
  await page.waitForFunction(() => window.__bench.settledMs !== null, null, { timeout: 120000, polling: 100 });
  const { settledMs } = await page.evaluate(() => window.__bench);
  await page.waitForTimeout(300);
  // After the layout has settled.
  const settleFrom = await now();
  await gesture(seconds * 1000);
  const settleTo = await now();
  // Zoomed in twice (two wheel steps on the centre), with pauses.
  for (let i = 0; i < 2; i++) {
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, -240);
    await page.waitForTimeout(400);
  }
  const pausedFrom = await now();
  await gesture(seconds * 1000, () => false, 500);
  const pausedTo = await now();
  const frames = await page.evaluate(() => window.__bench.frames);
  console.log(JSON.stringify({
    label, ...load, settledMs: Math.round(settledMs),
    // From the first interactive frame until the layout stopped (the first
    // pan/zoom gesture starts a few milliseconds after that frame).
    duringLayout: settledMs > load.interactiveMs + 100 ? frameStats(frames, load.interactiveMs, settledMs) : null,
    afterLayout: frameStats(frames, settleFrom, settleTo),
    withPauses: frameStats(frames, pausedFrom, pausedTo),
    bytes, errors,
  }));
} finally {
  await browser.close();
}
