// Service worker: real, configurable latency on static hosting.
//
// It answers ONLY requests for `<scope>slow/<path>` (with the usual scope '/',
// that is `/slow/<path>`): it fetches the real file `<scope><path>`, waits
// `latency` ms, then streams the body in `chunk`-byte pieces `pace` ms apart.
//
//   /slow/data/features.csv?latency=300&chunk=64&pace=20
//
// Parameters (all optional): latency (ms before the headers, default 0),
// chunk (bytes per piece, default: the whole body at once), pace (ms between
// pieces, default 0), status (answer this HTTP status instead, e.g. 503).
// Its responses carry `x-slow: 1`. Every other request is left alone: the
// fetch handler returns without calling respondWith, so the browser handles
// it exactly as if there were no service worker.

const MAX_MS = 60_000;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** The part of the URL after `<scope>slow/`, or null for every other request. */
function slowPath(url) {
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin) return null;
  const prefix = scope.pathname + 'slow/';
  return url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : null;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const path = slowPath(url);
  if (path === null) return; // not ours: no respondWith, untouched
  event.respondWith(slow(request, url, path));
});

function param(url, name, fallback, max) {
  const raw = url.searchParams.get(name);
  const n = raw === null ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, max) : fallback;
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

async function slow(request, url, path) {
  const latency = param(url, 'latency', 0, MAX_MS);
  const chunk = Math.floor(param(url, 'chunk', 0, 1 << 20));
  const pace = param(url, 'pace', 0, MAX_MS);
  const status = Math.floor(param(url, 'status', 0, 599));
  const signal = request.signal;
  const headers = new Headers({ 'x-slow': '1', 'cache-control': 'no-store' });
  try {
    await wait(latency, signal);
  } catch {
    return Response.error();
  }
  if (status >= 200) {
    headers.set('content-type', 'text/plain; charset=utf-8');
    return new Response(`status ${status} from the /slow/ service worker\n`, { status, headers });
  }
  let real;
  try {
    real = await fetch(new URL(path, self.registration.scope).href, { signal, cache: 'no-store' });
  } catch {
    return Response.error();
  }
  const type = real.headers.get('content-type');
  if (type) headers.set('content-type', type);
  const body = new Uint8Array(await real.arrayBuffer());
  if (!chunk || chunk >= body.length) {
    return new Response(body, { status: real.status, statusText: real.statusText, headers });
  }
  let offset = 0;
  let timer = null;
  const stream = new ReadableStream({
    start(controller) {
      const push = () => {
        controller.enqueue(body.subarray(offset, offset + chunk));
        offset += chunk;
        if (offset >= body.length) controller.close();
        else timer = setTimeout(push, pace);
      };
      push();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(stream, { status: real.status, statusText: real.statusText, headers });
}
