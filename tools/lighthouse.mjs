// Lighthouse (pinned in package.json) on the release build in dist/, served
// by a gzip-serving static server under a sub-path, as a course platform
// would host it. Prints, per page and preset, the median of two runs of the
// performance and accessibility scores and of LCP, TBT and CLS.
//
//   node tools/lighthouse.mjs DIST_DIR [runs]
//
// CHROME names the browser (default /usr/bin/chromium); LIGHTHOUSE_PAGES and
// LIGHTHOUSE_SAVE are described where they are read.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";

const dist = path.resolve(process.argv[2] ?? "dist");
const runs = Number(process.argv[3] ?? 2);
const SUB_PATH = "/courses/aws/dockyard/";

// The pages the issue names: a notes page, the sandbox and a lesson; and
// the instructors' pages.
// LIGHTHOUSE_HASH_ROUTES=1 measures a build from before the pages existed
// (its routes were `#/notes/...`).
const hashRoutes = process.env.LIGHTHOUSE_HASH_ROUTES === "1";
const PAGES = [
  ["notes", "notes/ecs-core-concepts/"],
  ["sandbox", "sandbox/a-thousand-tasks/"],
  ["lesson", "lesson/a-task-role-for-the-app/"],
  // The instructors' pages (issue 21).
  ["packs", "packs/"],
  ["class", "class/"],
]
  .map(([name, address]) => [name, hashRoutes ? "#/" + address.replace(/\/$/, "") : address])
  // LIGHTHOUSE_PAGES=notes,lesson measures only those.
  .filter(([name]) => !process.env.LIGHTHOUSE_PAGES || process.env.LIGHTHOUSE_PAGES.split(",").includes(name));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};

// Serves files as a static host does: a directory's index.html, the
// precompressed .gz beside a file when there is one (else gzip on the fly),
// and 404 for everything else.
function serve(request, response) {
  const url = new URL(request.url, "http://localhost");
  if (!url.pathname.startsWith(SUB_PATH)) {
    response.writeHead(404).end("not found");
    return;
  }
  let relative = decodeURIComponent(url.pathname.slice(SUB_PATH.length));
  if (relative === "" || relative.endsWith("/")) relative += "index.html";
  const file = path.join(dist, relative);
  if (!file.startsWith(dist + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    response.writeHead(404).end("not found");
    return;
  }
  const headers = { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", Vary: "Accept-Encoding" };
  const gzipOk = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
  let body = fs.readFileSync(file);
  if (gzipOk) {
    headers["Content-Encoding"] = "gzip";
    body = fs.existsSync(file + ".gz") ? fs.readFileSync(file + ".gz") : zlib.gzipSync(body, { level: 9 });
  }
  response.writeHead(200, headers).end(body);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const server = http.createServer(serve);
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}${SUB_PATH}`;
// A new Chromium for every run, so that no run inherits another's state.
const launch = () =>
  chromeLauncher.launch({
    chromePath: process.env.CHROME ?? "/usr/bin/chromium",
    chromeFlags: [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });

const rows = [];
try {
  for (const [name, address] of PAGES) {
    for (const preset of ["mobile", "desktop"]) {
      const samples = [];
      for (let run = 0; run < runs; run++) {
        const chrome = await launch();
        const result = await lighthouse(
          base + address,
          { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] },
          preset === "desktop" ? desktopConfig : undefined,
        ).finally(() => chrome.kill());
        const { audits, categories } = result.lhr;
        if (result.lhr.runtimeError) throw new Error(`${name} ${preset}: ${result.lhr.runtimeError.message}`);
        // LIGHTHOUSE_SAVE=DIR keeps every report, to see why a figure is what it is.
        if (process.env.LIGHTHOUSE_SAVE) {
          fs.mkdirSync(process.env.LIGHTHOUSE_SAVE, { recursive: true });
          fs.writeFileSync(path.join(process.env.LIGHTHOUSE_SAVE, `${name}-${preset}-${run}.json`), JSON.stringify(result.lhr));
        }
        samples.push({
          performance: categories.performance.score * 100,
          accessibility: categories.accessibility.score * 100,
          lcp: audits["largest-contentful-paint"].numericValue,
          tbt: audits["total-blocking-time"].numericValue,
          cls: audits["cumulative-layout-shift"].numericValue,
          lcpElement: audits["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node?.selector ?? "(no longer in the page)",
          failing: Object.values(audits)
            .filter((audit) => categories.accessibility.auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0))
            .filter((audit) => audit.score !== null && audit.score < 1)
            .map((audit) => audit.id),
        });
      }
      const pick = (key) => median(samples.map((sample) => sample[key]));
      rows.push({ name, preset, address, ...Object.fromEntries(["performance", "accessibility", "lcp", "tbt", "cls"].map((k) => [k, pick(k)])),
        failing: [...new Set(samples.flatMap((sample) => sample.failing))],
        lcpElements: [...new Set(samples.map((sample) => sample.lcpElement))] });
    }
  }
} finally {
  server.close();
}

console.log(`Lighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version}, medians of ${runs} runs, gzip-serving static server under ${SUB_PATH}`);
console.log("page     preset   perf  a11y   LCP ms   TBT ms    CLS");
for (const row of rows) {
  console.log(
    `${row.name.padEnd(8)} ${row.preset.padEnd(8)} ${String(Math.round(row.performance)).padStart(4)} ${String(Math.round(row.accessibility)).padStart(5)} ` +
      `${String(Math.round(row.lcp)).padStart(8)} ${String(Math.round(row.tbt)).padStart(8)} ${row.cls.toFixed(3).padStart(6)}` +
      `  LCP element: ${row.lcpElements.join(" | ")}` +
      (row.failing.length ? `  accessibility audits failing: ${row.failing.join(", ")}` : ""),
  );
}
