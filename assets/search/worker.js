// kb search worker: runs kb's search module (kbsearch.wasm) off the page's
// thread. The protocol is documented in internal/search/doc.go under
// "Worker protocol"; in short:
//
//   page -> worker  {type: "search", id, request: {query, size, from, filters, highlight, facets}}
//   worker -> page  {type: "status", state, loaded, shards, error}
//                   {type: "result", id, tier: "instant"|"full", result}
//                   {type: "result", id, superseded: true}
//                   {type: "result", id, error}
//
// Start it with new Worker(".../search/worker.js"). Files are fetched
// relative to this script: wasm_exec.js, kbsearch.wasm.gz and index/ (the
// directory search.Build wrote). The query string can override the last
// two: worker.js?index=../idx/&wasm=other.wasm.
'use strict';

const base = new URL('.', self.location.href);
const params = new URL(self.location.href).searchParams;
const indexURL = new URL(params.get('index') || 'index/', base);
const wasmURL = new URL(params.get('wasm') || 'kbsearch.wasm.gz', base);

importScripts(new URL('wasm_exec.js', base).href);

let manifest = null; // index/manifest.json
let instant = null; // index/instant.json docs, until the module is ready
let ready = false; // the module has loaded at least one shard
let loaded = []; // names of the loaded shards
let queue = []; // search messages not answered yet
let scheduled = false;
let unfinished = null; // last search answered by the instant tier only

function status(state, error) {
  self.postMessage({
    type: 'status',
    state, // "loading", "instant", "ready", "complete" or "error"
    loaded: loaded.slice(),
    shards: manifest ? manifest.shards.map((s) => s.name) : [],
    error: error ? String(error.message || error) : undefined,
  });
}

self.onmessage = (event) => {
  const m = event.data;
  if (!m || m.type !== 'search') return;
  queue.push(m);
  if (!scheduled) {
    scheduled = true;
    setTimeout(drain, 0);
  }
};

// drain answers the newest queued search; older ones are superseded, as
// a user typing only needs the results for what is in the box now.
function drain() {
  scheduled = false;
  if (queue.length === 0) return;
  const latest = queue[queue.length - 1];
  for (const m of queue.slice(0, -1)) {
    self.postMessage({ type: 'result', id: m.id, superseded: true });
  }
  queue = [];
  answer(latest);
}

function answer(m) {
  if (ready) {
    unfinished = null;
    let out;
    try {
      out = JSON.parse(self.kbsearch.search(JSON.stringify(m.request || {})));
    } catch (err) {
      out = { error: String(err.message || err) };
    }
    if (out.error) {
      self.postMessage({ type: 'result', id: m.id, error: out.error });
    } else {
      self.postMessage({ type: 'result', id: m.id, tier: 'full', result: out });
    }
    return;
  }
  unfinished = m; // answered again when the module is ready
  if (instant) {
    self.postMessage({ type: 'result', id: m.id, tier: 'instant', result: instantSearch(m.request || {}) });
  }
}

async function fetchOK(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

// The index and the module are kept in a cache of this build's own
// (named after its manifest), so search works offline after the first
// visit even when the site's service worker was not yet in charge of the
// page that started this worker. The service worker answers later visits
// from any cache that has the file.
let indexCache = null;

async function openIndexCache(manifestText) {
  if (!self.caches || !self.crypto || !self.crypto.subtle) return;
  try {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(manifestText));
    const hex = Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
    const name = 'kb-index-' + hex;
    for (const old of await caches.keys()) {
      if (old.startsWith('kb-index-') && old !== name) await caches.delete(old);
    }
    indexCache = await caches.open(name);
  } catch (err) {
    indexCache = null; // storage refused (private mode, quota): search still works online
  }
}

// cachedFetch fetches the search module through the cache of the index.
async function cachedFetch(url) {
  if (indexCache) {
    const hit = await indexCache.match(url);
    if (hit) return hit;
  }
  const res = await fetchOK(url);
  if (indexCache) {
    indexCache.put(url, res.clone()).catch(() => {});
  }
  return res;
}

// indexFile returns the bytes of one file of the index, checked against
// the manifest's size and SHA-256 before they are used or cached: while a
// new build is being deployed, a server or CDN can hand out the new
// manifest with an old shard, and a wrong file must neither be searched
// nor kept for offline use.
async function indexFile(file) {
  const url = new URL(file.file, indexURL);
  if (indexCache) {
    const hit = await indexCache.match(url);
    if (hit) return new Uint8Array(await hit.arrayBuffer()); // checked when cached
  }
  const data = new Uint8Array(await (await fetchOK(url)).arrayBuffer());
  const mismatch = () => new Error(`search index: ${file.file} is not the file the manifest names` +
    ' (a new version of the site is being published?); reload the page');
  if (file.file.endsWith('.gz') && !gzipped(data)) {
    // The server sent it with Content-Encoding: gzip and the browser
    // decompressed it: only the size of the content can be checked.
    if (file.zap_bytes !== undefined && data.length !== file.zap_bytes + (file.text_bytes || 0)) throw mismatch();
  } else if (data.length !== file.bytes) {
    throw mismatch();
  } else {
    const sum = await sha256(data);
    if (sum !== null && sum !== file.sha256) throw mismatch();
  }
  if (indexCache) indexCache.put(url, new Response(data)).catch(() => {});
  return data;
}

// sha256 returns the hex digest of data, or null where the page is not a
// secure context (plain http to another host) and the browser offers no
// digest: the size was checked all the same.
async function sha256(data) {
  if (!self.crypto || !self.crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function start() {
  status('loading');
  const manifestText = await (await fetchOK(new URL('manifest.json', indexURL))).text();
  manifest = JSON.parse(manifestText);
  await openIndexCache(manifestText);

  // The instant list downloads first, so that the first keystrokes get
  // answers soon (on a slow link it would otherwise share the bandwidth
  // with the rest, which nothing can use before the module anyway).
  // Then the module decompresses as it streams in and compiles on the
  // browser's own threads, while the lexicon and the first shard
  // download and are decompressed as soon as they are in; later shards
  // are fetched one ahead of the one being loaded. (Reading the instant
  // list after starting the module would answer the first keystrokes
  // 0.17 s later and the full search 0.03 s sooner on localhost.)
  const text = (b) => new TextDecoder().decode(b);
  const mappingText = indexFile(manifest.mapping).then(text);
  mappingText.catch(() => {}); // reported when awaited
  const instantText = text(await indexFile(manifest.instant));
  const compiled = cachedFetch(wasmURL).then(compileModule);
  compiled.catch(() => {});
  const files = [manifest.lexicon, ...manifest.shards].filter(Boolean);
  const fetched = new Map();
  const prefetch = (i) => {
    if (i < files.length && !fetched.has(i)) {
      const p = indexFile(files[i]).then((b) => inflate(b, files[i]));
      p.catch(() => {});
      fetched.set(i, p);
    }
    return fetched.get(i);
  };
  prefetch(0);
  prefetch(1);
  instant = JSON.parse(instantText).docs;
  status('instant');
  if (unfinished) answer(unfinished);

  const go = new self.Go();
  const started = new Promise((resolve) => {
    self.kbsearchReady = resolve;
  });
  const instance = await WebAssembly.instantiate(await compiled, go.importObject);
  go.run(instance).then(() => status('error', new Error('search module exited')));
  await started;
  check(self.kbsearch.open(manifestText, await mappingText));

  // The lexicon (every word, for typos and unfinished words) is small
  // and serves all shards: it comes first, then the shards newest first.
  for (let i = 0; i < files.length; i++) {
    prefetch(i + 1);
    const data = await prefetch(i);
    fetched.delete(i);
    check(self.kbsearch.alloc(files[i].name, data.length));
    check(self.kbsearch.write(files[i].name, 0, data));
    check(self.kbsearch.load(files[i].name));
    if (files[i] === manifest.lexicon) continue;
    loaded.push(files[i].name);
    if (!ready) {
      ready = true;
      instant = null;
    }
    status(loaded.length === manifest.shards.length ? 'complete' : 'ready');
    if (unfinished) answer(unfinished);
  }
  if (manifest.shards.length === 0) {
    ready = true;
    status('complete');
    if (unfinished) answer(unfinished);
  }
}

function check(err) {
  if (err) throw new Error(err);
}

function gzipped(head) {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

// compileModule compiles the search module, shipped gzip-compressed (a
// fifth of its size), while it streams in. Unless the server already
// decompressed it (sending it with Content-Encoding: gzip), it goes
// through a DecompressionStream; a peek at its first bytes tells.
async function compileModule(res) {
  const [peek, body] = res.body.tee();
  const reader = peek.getReader();
  const first = await reader.read();
  reader.cancel().catch(() => {});
  const wasm = gzipped(first.done ? new Uint8Array() : first.value) ? body.pipeThrough(new DecompressionStream('gzip')) : body;
  return WebAssembly.compileStreaming(new Response(wasm, { headers: { 'Content-Type': 'application/wasm' } }));
}

// inflate returns the bytes of one file of the index (the lexicon or a
// shard: a segment, then for a shard its stored text), decompressed
// unless the server already did so.
async function inflate(data, file) {
  const size = file.zap_bytes + (file.text_bytes || 0);
  if (gzipped(data)) {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip'));
    data = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  if (data.length !== size) {
    throw new Error(`${file.file}: ${data.length} bytes, the manifest says ${size}`);
  }
  return data;
}

// instantSearch answers from instant.json while the module loads: every
// word must begin a word of the title, id, systems or causes, filters
// must match exactly, newest first. No ranking, fragments or facets.
function instantSearch(req) {
  const filters = {};
  const words = [];
  const fields = { system: 'systems', systems: 'systems', cause: 'causes', causes: 'causes',
    severity: 'severity', sev: 'severity', status: 'status', year: 'year' };
  const add = (k, v) => {
    (filters[k] = filters[k] || []).push(String(v).toLowerCase());
  };
  for (const tok of String(req.query || '').toLowerCase().match(/"[^"]*"?|\S+/g) || []) {
    if (tok.startsWith('-')) continue;
    const colon = tok.indexOf(':');
    if (colon > 0 && fields[tok.slice(0, colon)]) {
      const v = tok.slice(colon + 1).replace(/"/g, '');
      if (v) add(fields[tok.slice(0, colon)], v);
      continue;
    }
    words.push(...tok.replace(/"/g, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  }
  for (const [k, vs] of Object.entries(req.filters || {})) {
    if (fields[k]) for (const v of vs) add(fields[k], v);
  }
  const hits = instant.filter((d) => {
    for (const [k, vs] of Object.entries(filters)) {
      let have;
      if (k === 'year') have = [(d.date || '').slice(0, 4)];
      else if (k === 'systems' || k === 'causes') have = d[k] || [];
      else have = [d[k] || ''];
      if (!have.some((h) => vs.includes(h.toLowerCase()))) return false;
    }
    const text = [d.title, d.id, ...(d.systems || []), ...(d.causes || [])]
      .join(' ').toLowerCase().split(/[^\p{L}\p{N}]+/u);
    return words.every((w) => text.some((t) => t.startsWith(w)));
  });
  const from = Math.max(0, req.from || 0);
  const size = Math.min(100, req.size || 10);
  return {
    total: hits.length,
    hits: hits.slice(from, from + size).map((d) => ({
      id: d.id,
      path: `incidents/${pathEscape(d.id)}/`,
      title: d.title,
      date: d.date,
      severity: d.severity,
      status: d.status,
      systems: d.systems,
      causes: d.causes,
      score: 0,
    })),
    shards: [],
    partial: true,
  };
}

// pathEscape escapes an id as the search module does (Go's url.PathEscape
// on each segment between slashes), so that both tiers give the same links.
function pathEscape(s) {
  return String(s).split('/').map((seg) => encodeURIComponent(seg)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%(24|26|2B|3A|3D|40)/g, (m) => decodeURIComponent(m))).join('/');
}

start().catch((err) => status('error', err));
