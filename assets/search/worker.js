// kb search worker: runs kb's search module (kbsearch.wasm) off the page's
// thread. The protocol is documented in internal/search/doc.go under
// "Worker protocol"; in short:
//
//   page -> worker  {type: "search", id, request: {query, size, from, filters, highlight, facets}}
//                   {type: "warm"}  (a search is coming: get the quick index ready)
//   worker -> page  {type: "status", state, loaded, shards, error}
//                   {type: "result", id, tier: "instant"|"full", result}
//                     ("instant": from the quick index, or the instant list
//                     where it has none; perhaps more than once per search)
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

// The manifest is fetched at once; so is the quick index's meta file
// when a search comes (see quickOpen), by name, and checked against the
// manifest when that is in: a round trip less before the first answer
// on a slow link. The module's glue (wasm_exec.js) is loaded only when
// the module is.
const manifestText = fetchOK(new URL('manifest.json', indexURL)).then((r) => r.text());
manifestText.catch(() => {}); // reported by start
const manifestReady = manifestText.then((t) => JSON.parse(t));
manifestReady.catch(() => {});
const early = new Map(); // file name → its response, fetched before the manifest was in

let manifest = null; // index/manifest.json
let instant = null; // index/instant.json docs
let instantLoad = null; // the download of instant.json, once begun
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
  if (!m) return;
  if (m.type === 'warm') {
    quickOpen();
    return;
  }
  if (m.type !== 'search') return;
  quickOpen();
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
  if (quick && !quick.failed && !m.quickFailed) {
    quickAnswer(m);
  } else if (instant) {
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
// nor kept for offline use. A file fetched early (see early) is taken
// from there.
async function indexFile(file) {
  const url = new URL(file.file, indexURL);
  const got = early.get(file.file);
  early.delete(file.file);
  if (indexCache) {
    const hit = await indexCache.match(url);
    if (hit) return new Uint8Array(await hit.arrayBuffer()); // checked when cached
  }
  let res = null;
  if (got) res = await got.catch(() => null);
  const data = new Uint8Array(await (res || await fetchOK(url)).arrayBuffer());
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

// loadInstant downloads instant.json, once: the instant tier's list,
// and what the quick tier filters by.
function loadInstant() {
  if (!instantLoad) {
    instantLoad = (async () => {
      const man = await manifestReady;
      const data = await indexFile(man.instant);
      instant = JSON.parse(new TextDecoder().decode(data)).docs;
      status('instant');
      if (unfinished && !ready) answer(unfinished);
    })();
  }
  return instantLoad;
}

async function start() {
  status('loading');
  const manText = await manifestText;
  manifest = await manifestReady;
  await openIndexCache(manText);

  // A search that came before the manifest was in is answered from the
  // quick index first: its few small files have the link to themselves.
  // Then the instant list downloads, so that later keystrokes get
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
  if (quickFirst) await Promise.race([quickFirst, new Promise((r) => setTimeout(r, 5000))]);
  await loadInstant();
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
  const compiled = cachedFetch(wasmURL).then(compileModule);
  compiled.catch(() => {});
  prefetch(0);
  prefetch(1);
  importScripts(new URL('wasm_exec.js', base).href); // while the module downloads
  const go = new self.Go();
  const started = new Promise((resolve) => {
    self.kbsearchReady = resolve;
  });
  const instance = await WebAssembly.instantiate(await compiled, go.importObject);
  go.run(instance).then(() => status('error', new Error('search module exited')));
  await started;
  check(self.kbsearch.open(manText, await mappingText));

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
      if (quick) quick.drop();
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

// ---- The quick tier ----
//
// Until the module is ready, a search is answered from the quick index
// (internal/search/quick.go): each word of the query is looked up in the
// one small chunk of the index that holds it, fetched when a query first
// needs it and kept, and the incidents are ranked by the weights the
// chunk gives them; what the hits show comes from the index's small
// pages of incidents (or the instant list, once it is in). Incidents
// with every word come first, then those with fewer: a word no incident
// has is reported (result.missing), the rest still ranked
// (result.relaxed). A query is cut to 512 bytes and 32 distinct words,
// as the search module cuts it.

const QUICK_MAX_BYTES = 512; // a query is cut to this many bytes,
const QUICK_MAX_WORDS = 32; // and to this many distinct words
const MIN_PREFIX = 3; // letters of an unfinished word before it matches as a prefix
const MAX_PREFIX = 48; // words an unfinished word expands to, the commonest
const PREFIX_CHUNKS = 3; // chunks an unfinished word's expansions are sought in
const PREFIX_WEIGHT = 0.6; // a word's expansion weighs this much of the word
const QUICK_FIRST_HITS = 5; // hits shown before the pages of the rest are in
// LONG_QUERY is the most words a query may have and still require every
// one (longQuery in search.go).
const LONG_QUERY = 6;

let quick = null; // the quick index, once a search or "warm" came
let quickFirst = null; // settles when the first search has its quick answer

// quickOpen starts fetching the quick index's meta file.
function quickOpen() {
  if (quick || ready) return;
  const got = fetchOK(new URL('quick.json', indexURL));
  got.catch(() => {});
  early.set('quick.json', got);
  const meta = (async () => {
    const man = await manifestReady;
    if (!man.quick) throw new Error('the index has no quick index');
    const m = JSON.parse(new TextDecoder().decode(await indexFile(man.quick.meta)));
    if (m.first.length !== man.quick.chunks.length) throw new Error('quick.json does not match the manifest');
    m.chunkFiles = man.quick.chunks;
    m.pageFiles = man.quick.pages;
    m.weights = Float64Array.from({ length: 256 }, (_, q) => Math.expm1((q / 255) * Math.log1p(m.weight_max)));
    m.stopSet = new Set(m.stop);
    return m;
  })();
  meta.catch(() => {
    quick.failed = true;
  });
  const chunks = new Map(); // index → Promise of a parsed chunk
  const pages = new Map(); // index → Promise of a page's rows
  // cached returns what load makes of file i, fetched once (again
  // after a failure).
  const cached = (map, i, load) => {
    if (!map.has(i)) {
      const p = load(i);
      p.catch(() => map.delete(i));
      map.set(i, p);
    }
    return map.get(i);
  };
  quick = {
    meta,
    failed: false,
    chunk: (m, i) => cached(chunks, i, () => indexFile(m.chunkFiles[i]).then(gunzip).then(parseChunk)),
    page: (m, i) => cached(pages, i, () => indexFile(m.pageFiles[i]).then(gunzip).then((b) => JSON.parse(new TextDecoder().decode(b)))),
    drop: () => {
      chunks.clear();
      pages.clear();
    },
  };
}

// gunzip decompresses a file of the index, unless the server did.
async function gunzip(data) {
  if (!gzipped(data)) return data;
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// quickAnswer answers m from the quick index, unless the module or a
// newer search gets there first. Where the quick index fails (it is
// missing, or a file would not download), the instant list answers.
function quickAnswer(m) {
  if (m.quick) return; // on its way
  const post = (result) => {
    if (ready || unfinished !== m) return false;
    self.postMessage({ type: 'result', id: m.id, tier: 'instant', result });
    return true;
  };
  m.quick = quickSearch(m.request || {}, post).then(() => {
    if (!ready && unfinished !== m) self.postMessage({ type: 'result', id: m.id, superseded: true });
  }, () => {
    m.quickFailed = true;
    if (!ready && unfinished === m) answer(m);
  });
  if (!quickFirst) quickFirst = m.quick;
}

const chunkMagic = [0x6b, 0x62, 0x71, 0x75, 0x69, 0x63, 0x6b, 0x01]; // "kbquick\x01"

// parseChunk reads a chunk's tables: its terms (text), its words and its
// keywords (kw, systems and causes). The postings of a term or keyword
// are decoded when a query asks for them.
function parseChunk(data) {
  if (!chunkMagic.every((b, i) => data[i] === b)) throw new Error('quick index: not a chunk');
  let p = chunkMagic.length;
  const uv = () => {
    let x = 0;
    let mul = 1;
    let b;
    do {
      if (p >= data.length) throw new Error('quick index: chunk cut short');
      b = data[p++];
      x += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return x;
  };
  const dec = new TextDecoder();
  let prev;
  const str = () => {
    const shared = uv();
    const n = uv();
    const b = new Uint8Array(shared + n);
    b.set(prev.subarray(0, shared));
    b.set(data.subarray(p, p + n), shared);
    p += n;
    prev = b;
    return dec.decode(b);
  };
  const table = () => {
    prev = new Uint8Array(0);
    const n = uv();
    const t = { names: new Array(n), counts: new Uint32Array(n), dlen: new Uint32Array(n), offs: new Uint32Array(n), decoded: new Map(), data };
    for (let i = 0; i < n; i++) {
      t.names[i] = str();
      t.counts[i] = uv();
      t.dlen[i] = uv();
    }
    return t;
  };
  const text = table();
  prev = new Uint8Array(0);
  const nw = uv();
  const words = new Array(nw);
  const wordTerm = new Uint32Array(nw);
  for (let i = 0; i < nw; i++) {
    words[i] = str();
    wordTerm[i] = uv();
    if (wordTerm[i] >= text.names.length) throw new Error('quick index: bad chunk');
  }
  const kw = table();
  for (const t of [text, kw]) {
    for (let i = 0; i < t.names.length; i++) {
      t.offs[i] = p;
      p += t.dlen[i] + t.counts[i];
    }
  }
  if (p !== data.length) throw new Error('quick index: chunk has the wrong length');
  return { text, words, wordTerm, kw };
}

// postings returns the incidents (places in the instant list) of entry
// i of table t and the weight byte of each.
function postings(t, i) {
  let got = t.decoded.get(i);
  if (got) return got;
  const n = t.counts[i];
  const docs = new Int32Array(n);
  const data = t.data;
  let p = t.offs[i];
  let d = -1;
  for (let j = 0; j < n; j++) {
    let x = 0;
    let mul = 1;
    let b;
    do {
      b = data[p++];
      x += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    d += x;
    docs[j] = d;
  }
  got = { docs, weights: data.subarray(p, p + n) };
  t.decoded.set(i, got);
  return got;
}

// cmpKey orders strings as the index does, by code point (bytewise in
// UTF-8); UTF-16 differs only where a surrogate meets a unit above it.
function cmpKey(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const sx = x >= 0xd800 && x < 0xe000;
      const sy = y >= 0xd800 && y < 0xe000;
      if (sx !== sy) return sx ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

// lowerBound returns the first index of the sorted list whose key is not
// less than key.
function lowerBound(list, key) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmpKey(list[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// quickForms returns what a query word matches, each as {t, i, f}: the
// table of a chunk (text terms or keywords), the entry's index in it,
// and the weight of the match. The word matches its term, and a system
// or cause it spells; an unfinished word also matches the commonest
// terms of the words it begins (from its third letter) and the systems
// and causes it begins.
async function quickForms(meta, word, prefix) {
  const at = Math.max(0, lowerBound(meta.first, word + '\0') - 1); // the last chunk starting at or before word
  const c = await quick.chunk(meta, at);
  const forms = [];
  const find = (list) => {
    const i = lowerBound(list, word);
    return i < list.length && list[i] === word ? i : -1;
  };
  const w = find(c.words);
  const t = w >= 0 ? c.wordTerm[w] : find(c.text.names);
  if (t >= 0) forms.push({ t: c.text, i: t, f: 1 });
  const k = find(c.kw.names);
  if (k >= 0) forms.push({ t: c.kw, i: k, f: 1 });
  if (!prefix) return forms;
  const long = Array.from(word).length >= MIN_PREFIX;
  const found = new Map(); // "t:" or "k:" and the name → form
  const add = (table, i, kind) => {
    const key = kind + table.names[i];
    if (!found.has(key) && !(table === c.text && i === t) && !(table === c.kw && i === k)) found.set(key, { t: table, i, f: PREFIX_WEIGHT });
  };
  let cc = c;
  for (let i = at, n = 1; ; n++) {
    if (long) {
      for (let j = lowerBound(cc.words, word); j < cc.words.length && cc.words[j].startsWith(word); j++) add(cc.text, cc.wordTerm[j], 't:');
      for (let j = lowerBound(cc.text.names, word); j < cc.text.names.length && cc.text.names[j].startsWith(word); j++) add(cc.text, j, 't:');
    }
    for (let j = lowerBound(cc.kw.names, word); j < cc.kw.names.length && cc.kw.names[j].startsWith(word); j++) add(cc.kw, j, 'k:');
    if (n >= PREFIX_CHUNKS || i + 1 >= meta.first.length || !meta.first[i + 1].startsWith(word)) break;
    i++;
    cc = await quick.chunk(meta, i);
  }
  const more = Array.from(found.values());
  more.sort((x, y) => y.t.counts[y.i] - x.t.counts[x.i] || cmpKey(x.t.names[x.i], y.t.names[y.i]));
  return forms.concat(more.slice(0, MAX_PREFIX));
}

const filterFields = {
  system: 'systems', systems: 'systems', cause: 'causes', causes: 'causes',
  severity: 'severity', sev: 'severity', status: 'status', year: 'year',
};

// splitWords cuts text into words about as the index's tokenizer
// (Unicode word boundaries) does: letters, digits and _, joined across
// . and ' between letters or between digits, : between letters, and ,
// or ; between digits (example.com, 1.2.3, don't, 4,100 are one word).
function splitWords(text) {
  const cps = Array.from(text);
  const kind = (c) => {
    if (c === undefined) return '';
    if (c === '_' || /[\p{L}\p{M}]/u.test(c)) return 'L';
    if (/\p{N}/u.test(c)) return 'N';
    if (c === '.' || c === "'" || c === '\u2019') return 'LN';
    if (c === ':' || c === '\u00b7') return 'LL';
    if (c === ',' || c === ';') return 'NN';
    return '';
  };
  const kinds = cps.map(kind);
  const out = [];
  let cur = '';
  for (let i = 0; i < cps.length; i++) {
    const k = kinds[i];
    if (k === 'L' || k === 'N') {
      cur += cps[i];
      continue;
    }
    if (cur && k) {
      const a = kinds[i - 1];
      const b = kinds[i + 1];
      if ((k === 'LN' && a === b && (a === 'L' || a === 'N')) || (k === 'LL' && a === 'L' && b === 'L') || (k === 'NN' && a === 'N' && b === 'N')) {
        cur += cps[i];
        continue;
      }
    }
    if (cur) out.push(cur);
    cur = '';
  }
  if (cur) out.push(cur);
  return out;
}

// quickQuery reads a query as the quick tier needs it: its words (as
// typed and in lower case, the last one unfinished unless a space or a
// quote follows it), the words excluded, and the filters.
function quickQuery(req, stop) {
  let text = String(req.query || '');
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > QUICK_MAX_BYTES) text = new TextDecoder().decode(bytes.subarray(0, QUICK_MAX_BYTES)).replace(/\uFFFD+$/, '');
  const q = { words: [], not: [], filters: {}, notFilters: {} };
  const seen = new Set();
  const add = (list, typed, prefix) => {
    const lower = typed.toLowerCase();
    if (seen.has(lower)) {
      const w = list.find((x) => x.lower === lower);
      if (w && prefix) w.prefix = true; // a repeated word: the last one says
      return;
    }
    if (stop.has(lower) || seen.size >= QUICK_MAX_WORDS) return;
    seen.add(lower);
    list.push({ typed, lower, prefix });
  };
  const tokens = text.match(/-?[\p{L}]+:"[^"]*"?|-?"[^"]*"?|\S+/gu) || [];
  tokens.forEach((tok, i) => {
    const neg = tok.length > 1 && tok[0] === '-';
    if (neg) tok = tok.slice(1);
    const colon = tok.indexOf(':');
    const field = colon > 0 ? filterFields[tok.slice(0, colon).toLowerCase()] : undefined;
    if (field) {
      const v = tok.slice(colon + 1).replace(/"/g, '').toLowerCase();
      if (v) {
        const f = neg ? q.notFilters : q.filters;
        (f[field] = f[field] || []).push(v);
      }
      return;
    }
    const words = splitWords(tok.replace(/"/g, ' '));
    const last = i === tokens.length - 1 && !neg && !tok.startsWith('"') && /[\p{L}\p{N}_]$/u.test(text);
    words.forEach((w, j) => add(neg ? q.not : q.words, w, last && j === words.length - 1));
  });
  for (const [k, vs] of Object.entries(req.filters || {})) {
    const field = filterFields[k];
    if (field) for (const v of vs) (q.filters[field] = q.filters[field] || []).push(String(v).toLowerCase());
  }
  return q;
}

// quickSearch answers req from the quick index: its chunks for the
// words, its pages for what the hits show, and the instant list only
// when the query has filters. It hands post the answer as soon as the
// first few hits can be shown, then again with all of them (post
// returns false when the answer is no longer wanted): on a slow link,
// the pages of twenty hits take several round trips.
async function quickSearch(req, post) {
  const meta = await quick.meta;
  const q = quickQuery(req, meta.stopSet);
  const filtered = Object.keys(q.filters).length + Object.keys(q.notFilters).length > 0;
  // Every chunk the query needs is fetched at once.
  const forms = Promise.all(q.words.map((w) => quickForms(meta, w.lower, w.prefix)));
  const notForms = Promise.all(q.not.map((w) => quickForms(meta, w.lower, false)));
  const list = filtered ? loadInstant() : null;
  for (const p of [forms, notForms, list]) if (p) p.catch(() => {});
  const formsOf = await forms;
  const notOf = await notForms;
  if (list) await list;
  const n = meta.docs;

  // An unfinished word of fewer than three letters only ranks the
  // incidents the other words find, as in the module.
  const required = q.words.filter((w) => !(w.prefix && Array.from(w.lower).length < MIN_PREFIX));
  if (!required.length) required.push(...q.words);
  const score = new Float64Array(n);
  const has = new Uint32Array(n); // a bit per required word
  const count = new Uint8Array(n); // required words found
  const best = new Float64Array(n);
  const missing = [];
  q.words.forEach((w, k) => {
    const bit = required.indexOf(w);
    const touched = [];
    for (const { t, i, f } of formsOf[k]) {
      const { docs, weights } = postings(t, i);
      const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
      for (let j = 0; j < docs.length; j++) {
        const d = docs[j];
        const s = idf * meta.weights[weights[j]] * f;
        if (best[d] === 0) touched.push(d);
        if (s > best[d]) best[d] = s;
      }
    }
    if (bit >= 0 && touched.length === 0) missing.push(w.typed);
    for (const d of touched) {
      score[d] += best[d];
      best[d] = 0;
      if (bit >= 0 && !(has[d] & (2 ** bit))) {
        has[d] |= 2 ** bit;
        count[d]++;
      }
    }
  });
  const excluded = new Uint8Array(n);
  for (const fs of notOf) {
    for (const { t, i, f } of fs) {
      if (f === 1) for (const d of postings(t, i).docs) excluded[d] = 1;
    }
  }
  const values = (d, k) => {
    if (k === 'year') return [(d.date || '').slice(0, 4)];
    if (k === 'systems') return [...(d.systems || []), ...(d.mentioned_systems || [])];
    if (k === 'causes') return [...(d.causes || []), ...(d.mentioned_causes || [])];
    return [d[k] || ''];
  };
  const pass = (d) => {
    for (const [k, vs] of Object.entries(q.filters)) {
      if (!values(d, k).some((v) => vs.includes(String(v).toLowerCase()))) return false;
    }
    for (const [k, vs] of Object.entries(q.notFilters)) {
      if (values(d, k).some((v) => vs.includes(String(v).toLowerCase()))) return false;
    }
    return true;
  };

  // With words, the incidents holding any; without, every incident the
  // filters and exclusions leave, newest first.
  let hits = [];
  const anyWords = q.words.length > 0;
  if (anyWords || filtered || q.not.length) {
    for (let d = 0; d < n; d++) {
      if ((anyWords && count[d] === 0) || excluded[d] || (filtered && !pass(instant[d]))) continue;
      hits.push(d);
    }
  }
  // Every word first, then the most words; by weight, then newest first.
  hits.sort((a, b) => count[b] - count[a] || score[b] - score[a] || a - b);
  // As the module answers (search.go): a query of up to LONG_QUERY words
  // keeps only the incidents with every word when there are any; a
  // longer one, a pasted error line, keeps those with some of them.
  const complete = hits.filter((d) => count[d] >= required.length).length;
  if (anyWords && complete > 0 && required.length <= LONG_QUERY) hits = hits.slice(0, complete);
  const relaxed = anyWords && required.length > 1 && hits.length > 0 && complete === 0;
  const from = Math.max(0, req.from || 0);
  const size = Math.min(100, req.size || 10);
  const shown = hits.slice(from, from + size);
  const rows = new Array(shown.length);
  const got = shown.map(async (d, j) => {
    if (instant) {
      const x = instant[d];
      rows[j] = [x.id, x.title, x.date, x.severity, x.status, x.systems, x.causes];
    } else {
      rows[j] = (await quick.page(meta, Math.floor(d / meta.page)))[d % meta.page];
    }
  });
  const result = (k) => {
    const out = {
      total: hits.length,
      hits: shown.slice(0, k).map((d, j) => {
        const [id, title, date, severity, status, systems, causes] = rows[j];
        const hit = { id, path: `incidents/${pathEscape(id)}/`, title, score: Math.round(score[d] * 1000) / 1000 };
        if (date) hit.date = date;
        if (severity) hit.severity = severity;
        if (status) hit.status = status;
        if (systems && systems.length) hit.systems = systems;
        if (causes && causes.length) hit.causes = causes;
        return hit;
      }),
      shards: [],
      partial: true,
    };
    if (missing.length) out.missing = missing;
    if (relaxed) out.relaxed = true;
    return out;
  };
  if (shown.length > QUICK_FIRST_HITS) {
    await Promise.all(got.slice(0, QUICK_FIRST_HITS));
    let k = QUICK_FIRST_HITS;
    while (k < shown.length && rows[k]) k++;
    if (k < shown.length && !post(result(k))) return;
  }
  await Promise.all(got);
  post(result(shown.length));
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
