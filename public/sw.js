// Sahifa's service worker. `cargo xtask finish-site` (Trunk's post-build hook) fills in the two values below
// for each build: the browser updates a worker only when this file's bytes change, and they change whenever
// any built file does.
const BUILD_ID = '__SAHIFA_BUILD_ID__';
// The app shell (hashed by Trunk), relative to this file. The bundle can hold tens of thousands of files, so
// the worker is told only its entry files and its directory pages, which name every other data file.
const SHELL_FILES = __SAHIFA_SHELL_FILES__;
const DATA_ENTRY_FILES = __SAHIFA_DATA_ENTRY_FILES__;
const DIRECTORY_FILES = __SAHIFA_DIRECTORY_FILES__;
// The data files the app needs to start (manifest, first listing shard and its directory page, headlines),
// cached at install so the list shows offline after one visit; the rest is cached as it is read, or all at
// once by "save for offline".
const STARTUP_FILES = __SAHIFA_STARTUP_FILES__;

// Names shared with the app (sahifa_core::offline), written in by finish-site.
const SHELL_CACHE_PREFIX = __SAHIFA_SHELL_CACHE_PREFIX__;
const SHELL_CACHE = `${SHELL_CACHE_PREFIX}${BUILD_ID}`;
// Data files are content-hashed, so one cache can hold them across builds; activate prunes what this build
// no longer names, and keeps the mark of a saved archive.
const DATA_CACHE = __SAHIFA_DATA_CACHE__;
const SAVED_MARKER = __SAHIFA_SAVED_MARKER__;
const DATA_FOLDER = __SAHIFA_BUNDLE_FOLDER__;
const DATA_MANIFEST = `${DATA_FOLDER}manifest.json`;

const scopeUrl = new URL(self.registration.scope);
const here = (path) => new URL(path, scopeUrl).href;

self.addEventListener('install', (event) => {
  // The whole shell or nothing: a half-cached shell would break offline starts.
  event.waitUntil(Promise.all([
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL_FILES.map(here))),
    caches.open(DATA_CACHE).then((cache) => cache.addAll(STARTUP_FILES.map(here))),
  ]));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(SHELL_CACHE_PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
    }
    await pruneData();
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scopeUrl.origin || !url.href.startsWith(scopeUrl.href)) return;
  const path = url.href.slice(scopeUrl.href.length).split('?')[0];

  if (request.mode === 'navigate') {
    // Pages are the app shell of this build, so the app and its code always match; an update is offered
    // by the page when a new worker waits.
    event.respondWith(fromCache(SHELL_CACHE, here('index.html')).then((hit) => hit ?? fetch(request)));
  } else if (path === DATA_MANIFEST) {
    event.respondWith(networkFirst(request));
  } else if (path.startsWith(DATA_FOLDER)) {
    const range = request.headers.get('range');
    // A file the page found damaged is asked for again with `cache: 'reload'`: the copy kept here (whole
    // or the piece) is dropped and the network asked.
    const reload = request.cache === 'reload';
    event.respondWith(range ? cachedPiece(request, range, reload) : cacheFirst(request, reload));
  } else {
    event.respondWith(fromCache(SHELL_CACHE, request).then((hit) => hit ?? fetch(request)));
  }
});

/** Deletes cached data files this build no longer names. Its directory pages list them; if one cannot be
 *  read (offline), nothing is deleted, since keeping a stale file is harmless and losing a needed one is not. */
async function pruneData() {
  const data = await caches.open(DATA_CACHE);
  const keep = new Set([...DATA_ENTRY_FILES, ...DIRECTORY_FILES, SAVED_MARKER].map(here));
  try {
    for (const page of DIRECTORY_FILES) {
      const response = (await data.match(here(page))) ?? (await fetch(here(page)));
      if (!response.ok) return;
      for (const [path] of (await response.json()).files) keep.add(here(`${DATA_FOLDER}${path}`));
    }
  } catch (error) {
    return;
  }
  // Pieces of a file are kept as long as their file is (their key is the file's plus `?piece=`).
  for (const request of await data.keys()) {
    if (!keep.has(request.url.split('?')[0])) await data.delete(request);
  }
}

/** A piece of a data file (a Range request: the search index reads its packs piece by piece). From the whole
 *  file if it is cached (the reader saved the archive), else from this piece's own cache entry, else from
 *  the network, kept for next time. A host that ignores the range sends the whole file: the piece is cut
 *  here. */
async function cachedPiece(request, range, reload) {
  const match = /^bytes=(\d+)-(\d+)$/.exec(range);
  if (!match) return fetch(request);
  const [start, end] = [Number(match[1]), Number(match[2])];
  const partial = (body) => new Response(body, {
    status: 206,
    headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${end}/*` },
  });
  const cache = await caches.open(DATA_CACHE);
  const key = `${request.url.split('?')[0]}?piece=${start}-${end}`;
  if (reload) {
    await cache.delete(request.url);
    await cache.delete(key);
  }
  const whole = await cache.match(request.url);
  if (whole) return partial((await whole.arrayBuffer()).slice(start, end + 1));
  const kept = await cache.match(key);
  if (kept) return partial(await kept.arrayBuffer());
  const response = await fetch(request);
  if (!response.ok) return response;
  let body = await response.arrayBuffer();
  if (response.status !== 206) body = body.slice(start, end + 1);
  await keep(cache, key, new Response(body));
  return partial(body);
}

/** Puts a response in the cache if the device has room. Storage full is not the reader's request failing:
 *  the file is still answered, and saving for offline, which checks that each file was kept, says so. */
async function keep(cache, key, response) {
  try {
    await cache.put(key, response);
  } catch (error) {
    console.warn(`not kept for offline reading (${error.name}): ${key}`);
  }
}

async function fromCache(cacheName, request) {
  const cache = await caches.open(cacheName);
  return (await cache.match(request, { ignoreSearch: true })) ?? null;
}

/** The bundle's entry file: fresh when online, the last copy when not. */
async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request, { cache: 'no-cache' });
    if (response.ok) await keep(cache, request.url, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request.url);
    if (cached) return cached;
    throw error;
  }
}

/** Content-hashed data: whatever is cached is right; otherwise fetch it once and keep it. */
async function cacheFirst(request, reload) {
  const cache = await caches.open(DATA_CACHE);
  if (reload) await cache.delete(request.url);
  const cached = await cache.match(request.url);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await keep(cache, request.url, response.clone());
  return response;
}
