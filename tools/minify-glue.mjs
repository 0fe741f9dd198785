// Trunk post_build hook: minifies wasm-bindgen's JS glue in release builds.
// Trunk's own minifier cannot parse the glue's `export default` (its
// "Failed to minify JS" warning), so the glue shipped unminified: 38 KB
// raw, 7.2 KB gzipped. Terser reads modules; the exports and the property
// names the wasm imports by keep their names. (index.html carries no
// integrity for it: Trunk.toml's loader imports it without a preload.)
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}
const staging = process.env.TRUNK_STAGING_DIR;
for (const name of readdirSync(staging).filter((file) => file.endsWith(".js"))) {
  const path = join(staging, name);
  const source = readFileSync(path, "utf8");
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  writeFileSync(path, code);
  console.log(`minify-glue: ${name} ${source.length} -> ${code.length} bytes`);
}
