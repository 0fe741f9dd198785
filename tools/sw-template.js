// Dockyard's service worker, written into each release build by
// tools/finish-dist.mjs with the build's version and files.
//
// - The app's files (their names carry hashes) come from this version's
//   cache, filled when the worker installs.
// - Pages come from the network when there is one (so a new deployment is
//   seen at once) and are kept in the same cache for the next time there is
//   none. An address never loaded (reached inside the app) is served offline
//   by the cached root page, its text taken out and its URLs moved to the
//   page's depth: the app then draws the place from the address.
// - A new version takes over as soon as it has cached its files, and deletes
//   every older cache: no page of one build ever loads the files of another.
// The learner's work is in localStorage, which this worker never touches.
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const CACHE = `dockyard-${VERSION}`;
const SCOPE = new URL(self.registration.scope);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((name) => new Request(name, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("dockyard-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// The root page's copy for an address `depth` directories down.
async function shellFor(url, cache) {
  const root = await cache.match(SCOPE.href);
  if (!root) return undefined;
  const depth = url.pathname.slice(SCOPE.pathname.length).split("/").length - 1;
  const up = "../".repeat(depth);
  let html = await root.text();
  const start = html.indexOf('<div id="prerendered">');
  const end = html.indexOf("<!--/prerendered-->");
  if (start >= 0 && end > start) html = html.slice(0, start) + html.slice(end);
  // As dockyard-site writes a page at that depth (crates/site/src/main.rs).
  if (up) html = html.replaceAll('"./', `"${up}`).replaceAll("'./", `'${up}`).replaceAll("=./", `=${up}`);
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const page = url.origin + url.pathname;
        try {
          const response = await fetch(request);
          if (response.ok) await cache.put(page, response.clone());
          return response;
        } catch (offline) {
          return (await cache.match(page)) ?? (await shellFor(url, cache)) ?? Response.error();
        }
      })(),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(request);
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok && url.pathname.lastIndexOf("/") === SCOPE.pathname.length - 1) await cache.put(request, response.clone());
      return response;
    }),
  );
});
