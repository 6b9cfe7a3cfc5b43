// Sahifa's search worker: it runs the search package (search/sahifa_search.js, built with wasm-pack from
// src/search-wasm) away from the page's thread, so typing and scrolling never wait for a search. The page
// starts it the first time search is needed, and sends { id, query, bundle }; the worker answers
// { id, docs, ms } (the matching articles' places in the archive's order, best first, and the search's own
// time), { id, superseded: true } for a query a newer one replaced before it started, or { id, error }. Its fetches go through the page's service worker, so it works offline too.
import init, { Archive } from './search/sahifa_search.js';

const ready = init();
const archives = new Map();
// Queries come as the reader types: one that a newer query has replaced is not searched (the page would drop
// its answer anyway), so a fast typist does not queue searches for every letter.
let latest = -1;

function archiveAt(bundle) {
  if (!archives.has(bundle)) archives.set(bundle, ready.then(() => Archive.open(new URL(bundle, self.location.href).href)));
  return archives.get(bundle);
}

self.onmessage = async ({ data: { id, query, bundle } }) => {
  latest = Math.max(latest, id);
  try {
    const archive = await archiveAt(bundle);
    if (id < latest) {
      self.postMessage({ id, superseded: true });
      return;
    }
    const { docs, ms } = await archive.hits(query);
    self.postMessage({ id, docs, ms });
  } catch (error) {
    // A bundle that failed to open is tried again on the next query.
    archives.delete(bundle);
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};
