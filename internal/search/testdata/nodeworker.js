// Runs assets/search/worker.js under Node as the browser would run it
// in a Web Worker, for the parity test (parity_test.go).
//
//   node nodeworker.js DIR/worker.js [instant] < requests.json > results.json
//
// DIR holds worker.js, wasm_exec.js, kbsearch.wasm and index/, laid out
// as on the site. requests.json is a JSON array of search requests. The
// script waits until every shard is loaded, sends the requests one at a
// time and prints {status, results: [{result, error, wall_ms}]}, with the
// wall time from postMessage to the answer.
//
// With "instant", it sends the first request as soon as instant.json is
// in and prints {status, messages}: every result message for it.
//
// With "quick", the search module never arrives (its fetch never
// answers), so every search is answered from the quick index: it sends
// the requests one at a time, each when the one before has its whole
// answer (the quick tier may first answer with the first few hits), and
// prints {status, results: [{tier, result, error}]}.
'use strict';
const fs = require('fs');
const vm = require('vm');
const { pathToFileURL, fileURLToPath } = require('url');

const workerPath = process.argv[2];
const instantMode = process.argv[3] === 'instant';
const quickMode = process.argv[3] === 'quick';
const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = { status: [], results: [] };
const t0 = performance.now();

globalThis.self = globalThis;
self.location = { href: pathToFileURL(workerPath).href };
self.importScripts = (...urls) => {
  for (const u of urls) {
    const file = fileURLToPath(u);
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
  }
};
self.fetch = async (url) => {
  const file = fileURLToPath(String(url));
  if (quickMode && /\.wasm(\.gz)?$/.test(file)) return new Promise(() => {});
  if (!fs.existsSync(file)) return new Response(null, { status: 404 });
  const type = file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
  return new Response(fs.readFileSync(file), { headers: { 'content-type': type } });
};

let next = 0;
let sentAt = 0;
function send() {
  if (next === requests.length) {
    process.stdout.write(JSON.stringify(out), () => process.exit(0));
    return;
  }
  sentAt = performance.now();
  self.onmessage({ data: { type: 'search', id: next, request: requests[next] } });
}

function instantMessage(m) {
  if (m.type === 'status' && m.state === 'instant') {
    self.onmessage({ data: { type: 'search', id: 0, request: requests[0] } });
  }
  if (m.type === 'result') {
    out.messages = out.messages || [];
    out.messages.push(m);
    if (m.tier === 'full' || m.error) {
      process.stdout.write(JSON.stringify(out), () => process.exit(0));
    }
  }
}

function quickMessage(m) {
  if (m.type === 'status' && m.state === 'error') {
    process.stderr.write(`worker error: ${m.error}\n`);
    process.stdout.write(JSON.stringify(out), () => process.exit(1));
  }
  if (m.type === 'result' && m.id === next) {
    const req = requests[next];
    const whole = m.result && m.result.hits.length === Math.max(0, Math.min(Math.min(100, req.size || 10), m.result.total - (req.from || 0)));
    if (!m.error && !whole) return;
    out.results.push({ tier: m.tier, result: m.result, error: m.error });
    next++;
    send();
  }
}

self.postMessage = (m) => {
  if (m.type === 'status') {
    out.status.push({ state: m.state, loaded: m.loaded, error: m.error, at_ms: performance.now() - t0 });
  }
  if (quickMode) {
    quickMessage(m);
    return;
  }
  if (instantMode) {
    if (m.type === 'status' && m.state === 'error') process.exit(1);
    instantMessage(m);
    return;
  }
  if (m.type === 'status') {
    if (m.state === 'error') {
      process.stderr.write(`worker error: ${m.error}\n`);
      process.stdout.write(JSON.stringify(out), () => process.exit(1));
    }
    if (m.state === 'complete') send();
    return;
  }
  if (m.type === 'result' && m.id === next && m.tier !== 'instant') {
    out.results.push({ result: m.result, error: m.error, wall_ms: performance.now() - sentAt });
    next++;
    send();
  }
};

self.importScripts(pathToFileURL(workerPath).href);
if (quickMode) send();
