// Finishes a release build in DIST (after trunk and dockyard-site):
//  1. sw.js, the service worker: the version is a hash of every file, so a
//     new deployment is a new worker with its own cache, and the old cache
//     goes when it takes over (no page of one build with the wasm of another);
//  2. DIST/x.gz and DIST/x.br beside every text or wasm file, for hosts that
//     serve precompressed files (nginx gzip_static / brotli_static, Caddy's
//     precompressed), written only where they are smaller.
//
//   node tools/finish-dist.mjs DIST
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const dist = path.resolve(process.argv[2] ?? "dist");
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".svg", ".json", ".webmanifest", ".txt"]);

function walk(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const relative = (file) => path.relative(dist, file).split(path.sep).join("/");
const files = walk(dist)
  .filter((file) => !/\.(gz|br)$/.test(file) && relative(file) !== "sw.js")
  .sort();
if (!files.some((file) => relative(file) === "index.html")) {
  console.error(`finish-dist: no index.html in ${dist}: build the site first`);
  process.exit(1);
}

// 1. The service worker.
const version = crypto.createHash("sha256");
for (const file of files) version.update(relative(file)).update("\0").update(fs.readFileSync(file)).update("\0");
// What a first visit caches: the app (hashed files, manifest, icon) and the
// root page, whose copy serves any address the learner reached inside the
// app and never loaded (see sw-template.js). Other pages are cached as they
// are visited.
const precache = files
  .map(relative)
  .filter((name) => !name.includes("/") && name !== "index.html")
  .concat(["./"]);
const template = fs.readFileSync(new URL("./sw-template.js", import.meta.url), "utf8");
const worker = template
  .replace("__VERSION__", JSON.stringify(version.digest("hex").slice(0, 16)))
  .replace("__PRECACHE__", JSON.stringify(precache));
fs.writeFileSync(path.join(dist, "sw.js"), worker);

// 2. Precompressed copies.
let raw = 0, gzipped = 0, brotlied = 0, written = 0;
for (const file of [...files, path.join(dist, "sw.js")]) {
  if (!COMPRESSIBLE.has(path.extname(file))) continue;
  const body = fs.readFileSync(file);
  const gz = zlib.gzipSync(body, { level: 9 });
  const br = zlib.brotliCompressSync(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [zlib.constants.BROTLI_PARAM_MODE]: path.extname(file) === ".wasm" ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
    },
  });
  for (const [suffix, compressed] of [[".gz", gz], [".br", br]]) {
    if (compressed.length < body.length) {
      fs.writeFileSync(file + suffix, compressed);
      written++;
    }
  }
  raw += body.length;
  gzipped += Math.min(gz.length, body.length);
  brotlied += Math.min(br.length, body.length);
}
console.log(
  `finish-dist: sw.js (${precache.length} files on first visit); ${written} precompressed files; ` +
    `text and wasm ${raw} bytes, ${gzipped} gzipped, ${brotlied} brotli`,
);
