// Sahifa's search worker: it runs the search package (search/sahifa_search.js, built with wasm-pack from
// src/search-wasm) away from the page's thread, so typing and scrolling never wait for a search. The page
// starts it the first time search is needed, and sends { id, view, wait, first, hold, bundle } for a query's list
// (`view` is { query, outlet, year, month, span, sort }; with `first`, a number, it may answer first
// { id, first, atLeast, ms }, the first places of a list in the search's own order when they can be told before
// the rest (a frequent word's leaders, a phrase checked on its best candidates), and how many places the list has
// at least; with `hold` it then reads nothing more until the page sends
// { id, proceed: true }, when the reader wants the rest of the list; then { id, docs, facets, pending, ms }: the listed
// articles' places in the archive's order, in the list's order, the facet counts, the outlet-column blocks
// the outlet counts still wait for, and the search's own time; with `wait` the worker fetches those blocks
// and answers with every count) or { id, complete, bundle } for the words that finish the one being typed
// (answered { id, words }), the first of them with `entry`. It answers { id, superseded: true } for a request
// a newer one of its kind replaced or the page cancelled with { id, cancel: true } (its fetches are aborted),
// or { id, error, restart } (`restart` when the search package itself failed to start). Its fetches go through
// the page's service worker, so it works offline too.

// The page downloads the package's wasm the moment it starts this worker and hands it over ({ packageWasm }, an
// ArrayBuffer, or { packageError } if the download failed): it travels beside this script instead of after
// it, one round trip fewer on a phone's network before the first search. For the same reason the site's build
// writes the package's JavaScript into this file, ahead of this code, as `sahifaSearchPackage`
// (src/xtask/src/worker_script.rs); served without that step, the worker imports the package's own file.
let receivePackage;
const packageWasm = new Promise((resolve, reject) => { receivePackage = { resolve, reject }; });
// A failed download is reported through `ready` (the package's start awaits it), not as a rejection of its own.
packageWasm.catch(() => {});
const searchPackage = typeof sahifaSearchPackage === 'undefined' ? import('./search/sahifa_search.js') : Promise.resolve(sahifaSearchPackage);
const ready = searchPackage.then(async (searchPackage) => {
  const exports = await searchPackage.default({ module_or_path: packageWasm });
  // The package's wasm memory, where the long-session benchmark reads how much the worker holds.
  self.__sahifaWasmMemory = exports.memory;
  return searchPackage;
});
const archives = new Map();
// The queries being searched, by id, each with the controller that stops its fetches. Queries come as the
// reader types: a newer query supersedes every older one (the page would drop their answers anyway), and the
// page cancels a query it no longer wants, so a fast typist does not leave searches fetching for every letter.
const running = { search: new Map(), counts: new Map(), complete: new Map() };
// The searches under way, by id, which completions wait for; and how long a completion waits for the search
// the page posts with it.
const searching = new Map();
const COMPLETION_WAIT_MS = 30;
// The lists held after their first places (`hold`), by id: each one's way on, once the page says the reader wants
// the rest.
const held = new Map();

/** Resolves when the page asks for the rest of list `id`; rejects if the list is cancelled or superseded first. */
function heldUntilWanted(id, signal) {
  return new Promise((proceed, stop) => {
    held.set(id, proceed);
    signal.addEventListener('abort', () => stop(new DOMException('superseded', 'AbortError')), { once: true });
  }).finally(() => held.delete(id));
}

// Entry files the page has read already (the manifest and segment descriptors, as [path, bytes] pairs), sent
// with its first request: the archive opens from them instead of asking the network again, and searches the
// very build the page shows.
const handed = new Map();

function archiveAt(bundle) {
  if (!archives.has(bundle)) {
    const files = handed.get(bundle) ?? [];
    archives.set(bundle, ready.then(({ Archive }) => Archive.open(new URL(bundle, self.location.href).href, { files })));
  }
  return archives.get(bundle);
}

self.onmessage = async ({ data: { id, view, wait, first, hold, proceed, complete, bundle, cancel, entry, packageWasm: wasmBytes, packageError } }) => {
  if (wasmBytes) return receivePackage.resolve(wasmBytes);
  if (packageError) return receivePackage.reject(new Error(`the search package's wasm: ${packageError}`));
  if (proceed) return held.get(id)?.();
  if (entry) handed.set(bundle, entry);
  if (cancel) {
    for (const kind of Object.values(running)) kind.get(id)?.abort();
    return;
  }
  // Each kind supersedes its own only: a suggestion asked for never stops a search, nor a search the counts
  // that follow the one before it.
  const kind = complete !== undefined ? running.complete : wait ? running.counts : running.search;
  for (const [older, controller] of kind) if (older < id) controller.abort();
  const controller = new AbortController();
  kind.set(id, controller);
  try {
    const archive = await archiveAt(bundle);
    if (controller.signal.aborted) throw new DOMException('superseded', 'AbortError');
    if (complete !== undefined) {
      // Completions download nothing: they wait for the search of the same text (posted in the same moment)
      // to read the dictionary blocks, then answer from those.
      await new Promise((done) => setTimeout(done, COMPLETION_WAIT_MS));
      await Promise.allSettled(searching.values());
      if (controller.signal.aborted) throw new DOMException('superseded', 'AbortError');
      const { words } = await archive.complete(complete, {});
      self.postMessage({ id, words });
    } else {
      const search = (async () => {
        // A list in the search's own order may show its first cards before the rest is read and counted:
        // answered first as { id, first, atLeast, ms } when the package can tell them early (`viewFirst`).
        if (first) {
          const early = await archive.viewFirst(view.query, { limit: first, signal: controller.signal });
          if (early) {
            self.postMessage({ id, first: early.docs, atLeast: early.atLeast, ms: early.ms }, [early.docs.buffer]);
            if (hold) {
              // Completions wait for the dictionary this search reads, which it has read now.
              searching.delete(id);
              await heldUntilWanted(id, controller.signal);
            }
          }
        }
        return archive.view(view.query, { ...view, wait: !!wait, signal: controller.signal });
      })();
      searching.set(id, search);
      const { docs, facets, pending, ms } = await search.finally(() => searching.delete(id));
      // The places are a Uint32Array: its buffer moves to the page instead of being copied.
      self.postMessage({ id, docs, facets, pending, ms }, [docs.buffer]);
    }
  } catch (error) {
    if (controller.signal.aborted) {
      self.postMessage({ id, superseded: true });
    } else {
      // A bundle that failed to open is tried again on the next query. A package that failed to start cannot
      // be started again in this worker: `restart` asks the page for a new one, which downloads it afresh.
      archives.delete(bundle);
      const restart = await ready.then(() => false, () => true);
      self.postMessage({ id, error: String(error?.message ?? error), restart });
    }
  } finally {
    kind.delete(id);
  }
};
