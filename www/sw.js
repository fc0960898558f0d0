// Service worker: real, configurable latency on static hosting.
//
// It answers ONLY `fetch()` requests for `<scope>slow/<path>` (with the usual
// scope '/', that is `/slow/<path>`): it fetches the real file `<scope><path>`,
// waits `latency` ms, then streams the body in `chunk`-byte pieces `pace` ms apart.
//
//   /slow/data/features.csv?latency=300&chunk=64&pace=20
//
// Parameters (all optional): latency (ms before the headers, default 0),
// chunk (bytes per piece, default: the whole body at once), pace (ms between
// pieces, default 0), status (answer this HTTP status instead, 200..599, e.g. 503;
// 204, 205 and 304 come without a body).
// Its responses carry `x-slow: 1` and the pages' Content-Security-Policy.
//
// It is not a proxy: `<path>` must resolve to a file of this site under the
// worker's scope. Another origin (`slow/http://other/x`), `data:`/`blob:` URLs
// and navigations (`/slow/...` typed in the address bar or opened as a frame)
// get a 403 that says why, so nothing served here can run as this origin's page.
// Every other request is left alone: the fetch handler returns without calling
// respondWith, so the browser handles it exactly as if there were no worker.

const MAX_MS = 60_000;
/** The pages' policy (index.html, embed.html, ...), sent with every answer. */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https: http://localhost:* http://127.0.0.1:*";
/** Statuses whose responses must not have a body (Response throws otherwise). */
const NULL_BODY = new Set([204, 205, 304]);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The part of the URL after `<scope>slow/`, or null for every other request. */
function slowPath(url) {
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin) return null;
  const prefix = `${scope.pathname}slow/`;
  return url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : null;
}

/** The file `path` names under the scope, or null when it leaves the site or the scope. */
function siteFile(path) {
  const scope = new URL(self.registration.scope);
  let target;
  try {
    target = new URL(path, scope);
  } catch {
    return null;
  }
  const inside = target.origin === scope.origin && target.pathname.startsWith(scope.pathname);
  return inside ? target : null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const path = slowPath(url);
  if (path === null) return; // not ours: no respondWith, untouched
  event.respondWith(answer(request, url, path));
});

function headers(extra = {}) {
  return new Headers({
    "x-slow": "1",
    "cache-control": "no-store",
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    ...extra,
  });
}

/** A refusal that explains itself; text/plain, so nothing in it runs. */
function refuse(status, why) {
  return new Response(`/slow/ service worker: ${why}\n`, {
    status,
    headers: headers({ "content-type": "text/plain; charset=utf-8" }),
  });
}

async function answer(request, url, path) {
  // Only what a page's fetch() asks for: a navigation or a <script>/<iframe>/<img>
  // would give the fetched bytes this origin's authority.
  if (request.mode === "navigate" || request.destination !== "") {
    return refuse(
      403,
      `only fetch() requests are served (this one is a ${request.mode === "navigate" ? "navigation" : request.destination})`,
    );
  }
  if (request.method !== "GET") return refuse(405, `only GET is served, not ${request.method}`);
  const target = siteFile(path);
  if (!target) {
    return refuse(
      403,
      `'${path}' is not a file of this site under ${self.registration.scope}; other origins, data: and blob: URLs are not served`,
    );
  }
  const rawStatus = url.searchParams.get("status");
  const status = rawStatus === null ? 0 : Number(rawStatus);
  if (rawStatus !== null && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    return refuse(400, `status=${rawStatus} cannot be sent: a service worker answers only 200..599`);
  }
  return slow(request, url, target, status);
}

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
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

async function slow(request, url, target, status) {
  const latency = param(url, "latency", 0, MAX_MS);
  const chunk = Math.floor(param(url, "chunk", 0, 1 << 20));
  const pace = param(url, "pace", 0, MAX_MS);
  const signal = request.signal;
  try {
    await wait(latency, signal);
  } catch {
    return Response.error();
  }
  if (NULL_BODY.has(status)) return new Response(null, { status, headers: headers() });
  if (status) {
    const text = headers({ "content-type": "text/plain; charset=utf-8" });
    return new Response(`status ${status} from the /slow/ service worker\n`, { status, headers: text });
  }
  let real;
  try {
    // redirect: 'error', so a redirect cannot lead the worker off the site.
    real = await fetch(target.href, { signal, cache: "no-store", redirect: "error" });
  } catch {
    return Response.error();
  }
  const extra = {};
  const type = real.headers.get("content-type");
  if (type) extra["content-type"] = type;
  const init = { status: real.status, statusText: real.statusText, headers: headers(extra) };
  if (NULL_BODY.has(real.status)) return new Response(null, init);
  const body = new Uint8Array(await real.arrayBuffer());
  if (!chunk || chunk >= body.length) return new Response(body, init);
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
  return new Response(stream, init);
}
