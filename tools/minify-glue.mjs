// Trunk post_build hook: minifies wasm-bindgen's JS glue in release builds.
// Trunk's own minifier cannot parse the glue's `export default` (its
// "Failed to minify JS" warning), so the glue shipped unminified: 38 KB
// raw, 7.2 KB gzipped. Terser reads modules; the exports and the property
// names the wasm imports by keep their names. Trunk has already written
// index.html with a sha384 integrity for the original file, so that
// attribute is recomputed for the minified one (the browser would refuse
// the script otherwise).
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { minify } from "terser";

if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}
const staging = process.env.TRUNK_STAGING_DIR;
const htmlPath = join(staging, "index.html");
const integrity = (text) => "sha384-" + createHash("sha384").update(text).digest("base64");
let html = readFileSync(htmlPath, "utf8");
for (const name of readdirSync(staging).filter((file) => file.endsWith(".js"))) {
  const path = join(staging, name);
  const source = readFileSync(path, "utf8");
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  const before = integrity(source);
  if (!html.includes(before)) {
    throw new Error(`index.html carries no integrity ${before} for ${name}`);
  }
  writeFileSync(path, code);
  html = html.replaceAll(before, integrity(code));
  console.log(`minify-glue: ${name} ${source.length} -> ${code.length} bytes`);
}
writeFileSync(htmlPath, html);
