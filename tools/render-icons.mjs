// Renders static/icon.svg to the PNG icons the web app manifest lists
// (platforms that install web apps ask for 192 and 512 px PNGs; a maskable
// one fills the shape the platform cuts it to). The PNGs are committed;
// run this again after changing icon.svg:
//
//   node tools/render-icons.mjs
//
// CHROME names the browser (default /usr/bin/chromium).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const staticDir = fileURLToPath(new URL("../static/", import.meta.url));
const svg = readFileSync(staticDir + "icon.svg", "utf8");
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless=new"],
});
try {
  const page = await browser.newPage();
  const render = async (file, size, html) => {
    await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 });
    await page.setContent(`<body style="margin:0">${html}</body>`);
    await page.screenshot({ path: staticDir + file, omitBackground: true });
    console.log(`render-icons: static/${file} (${size} px)`);
  };
  const sized = (size) => svg.replace("<svg ", `<svg width="${size}" height="${size}" style="display:block" `);
  for (const size of [192, 512]) await render(`icon-${size}.png`, size, sized(size));
  // Maskable: the background to every edge, the drawing inside the central
  // 80% circle that every mask keeps.
  await render(
    "icon-maskable-512.png",
    512,
    `<div style="width:512px;height:512px;background:#1f3a5f;display:grid;place-items:center">${sized(340)}</div>`,
  );
} finally {
  await browser.close();
}
