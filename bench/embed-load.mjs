// Cold-load cost of embedding: a page on a second origin with N <async-playground>
// elements (N = 1 and 10, each a short inline program, stacked down the page so
// only the first is on screen), loaded in a fresh browser context, with an
// added network latency so round trips show in the time.
//
//   node bench/embed-load.mjs [--www DIR]... [--latency MS] [--runs N]
//
// A third page has the 10 elements below a 3000 px introduction, never scrolled to.
// Prints per N: requests to the playground's origin, their gzip -9 bytes (from
// the files on disk), wasm bytes, the time from navigation start to the
// first element's `ready`, and, in round trips (added latency) after the element
// script's response ended, when the wasm was asked for and when the first
// element was ready (medians of the runs). --www serves another copy of
// www/ (e.g. an older commit's front end with the same pkg/); given several
// times, their loads alternate, so a busy machine slows them alike.
// --h2 serves the playground over HTTP/2 (TLS, a throwaway self-signed
// certificate), as a CDN would: one connection, every request at once, instead
// of tools/serve.py's HTTP/1 and its 6 connections per host.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { gzipSync, constants as zc } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { WWW as DEFAULT_WWW, HOST, findFreePort, launchBrowser, startServer } from "../tests/e2e/harness.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const WWWS = args.flatMap((a, i) => (args[i - 1] === "--www" ? [path.resolve(a)] : []));
if (!WWWS.length) WWWS.push(DEFAULT_WWW);
const LATENCY = Number(opt("--latency", 50));
const RUNS = Number(opt("--runs", 5));
const H2 = args.includes("--h2");
const TYPES = {
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".html": "text/html",
  ".json": "application/json",
};

/** Serves `dir` over HTTP/2 with TLS and CORS, like tools/serve.py: `{ baseUrl, stop }`. */
async function startH2Server(dir) {
  const certDir = mkdtempSync(path.join(os.tmpdir(), "embed-load-cert-"));
  const [key, cert] = ["key.pem", "cert.pem"].map((f) => path.join(certDir, f));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      `/CN=${HOST}`,
    ],
    { stdio: "ignore" },
  );
  const server = http2.createSecureServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url, "https://x").pathname));
    let body;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "access-control-allow-origin": "*",
      })
      .end(body);
  });
  const port = await findFreePort();
  await new Promise((resolve) => server.listen(port, HOST, resolve));
  return {
    baseUrl: `https://${HOST}:${port}`,
    port,
    stop: () => {
      server.close();
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}

const PROGRAM = `
  source a = [10, 20, 40] every 100ms
  gather(sum(a), max(a))
`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gzipSize = (file) => gzipSync(readFileSync(file), { level: zc.Z_BEST_COMPRESSION }).length;

async function measure(browser, { site, www }, hostUrl, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: H2 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: LATENCY,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const requests = [];
  const finished = [];
  page.on("request", (r) => r.url().startsWith(site.baseUrl) && requests.push(new URL(r.url()).pathname));
  page.on("requestfinished", (r) => finished.push(r));
  await page.goto(`${hostUrl}/${name}.html`);
  const [readyMs, origin] = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const first = document.querySelector("async-playground");
        const done = () => resolve([performance.now(), performance.timeOrigin]);
        if (first.dataset.ready === "true") done();
        else first.addEventListener("ready", done, { once: true });
        setTimeout(() => resolve([NaN, performance.timeOrigin]), 3000); // never scrolled to: never ready
      }),
  );
  await page.waitForTimeout(1000); // anything else the page goes on to load
  /** Start and response end (ms since the epoch) of the request for `file`, or NaNs. */
  const timing = (file) => {
    const request = finished.find((r) => r.url().startsWith(site.baseUrl) && r.url().endsWith(`/${file}`));
    if (!request) return { start: NaN, end: NaN };
    const { startTime, responseEnd } = request.timing();
    return { start: startTime, end: startTime + responseEnd };
  };
  const script = timing("async-playground.js").end;
  await context.close();
  const files = requests.map((p) => path.join(www, decodeURIComponent(p)));
  return {
    requests: requests.length,
    gzip: files.reduce((sum, f) => sum + gzipSize(f), 0),
    wasm: files.filter((f) => f.endsWith(".wasm")).reduce((sum, f) => sum + gzipSize(f), 0),
    readyMs,
    wasmRt: (timing("pkg/async_playground_bg.wasm").start - script) / LATENCY,
    readyRt: (origin + readyMs - script) / LATENCY,
  };
}

const hostDir = mkdtempSync(path.join(os.tmpdir(), "embed-load-"));
const sites = [];
for (const www of WWWS)
  sites.push({
    www,
    site: H2
      ? await startH2Server(www)
      : await startServer({ dir: www, logFile: path.join(os.tmpdir(), "embed-load-site.log") }),
  });
const host = await startServer({ dir: hostDir, logFile: path.join(os.tmpdir(), "embed-load-host.log") });
const browser = await launchBrowser();
try {
  const pages = { 1: "", 10: "", "10 below": '<div style="height: 3000px"></div>' };
  for (const [name, intro] of Object.entries(pages))
    for (const { site } of sites) {
      const n = parseInt(name, 10);
      const elements = Array.from(
        { length: n },
        () => `<async-playground style="min-height: 420px">${PROGRAM}</async-playground>`,
      ).join("\n");
      writeFileSync(
        path.join(hostDir, `${name.replace(" ", "-")}-${site.port}.html`),
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>n</title>
      <link rel="icon" href="data:,"><script type="module" src="${site.baseUrl}/async-playground.js"></script></head><body>${intro}${elements}</body></html>`,
      );
    }
  console.log(
    `added latency ${LATENCY} ms per request; ${H2 ? "HTTP/2" : "HTTP/1 (tools/serve.py)"}; median of ${RUNS} cold loads`,
  );
  console.log(
    "round trips: after the element script's response, when the wasm was asked for / the first element was ready",
  );
  console.log("  embeds  requests  gzip bytes  of which wasm  first ready (ms)  RT to wasm  RT to ready  www");
  for (const name of Object.keys(pages)) {
    const runs = sites.map(() => []);
    for (let i = 0; i < RUNS; i++) {
      for (const [k, s] of sites.entries())
        runs[k].push(await measure(browser, s, host.baseUrl, `${name.replace(" ", "-")}-${s.site.port}`));
    }
    for (const [k, { www }] of sites.entries()) {
      const m = (key) => median(runs[k].map((r) => r[key]));
      console.log(
        `${name.padStart(8)}  ${String(m("requests")).padStart(8)}  ${String(m("gzip")).padStart(10)}  ${String(m("wasm")).padStart(13)}  ${m("readyMs").toFixed(0).padStart(16)}  ${m("wasmRt").toFixed(2).padStart(10)}  ${m("readyRt").toFixed(2).padStart(11)}  ${www}`,
      );
    }
  }
} finally {
  await browser.close();
  for (const { site } of sites) site.stop();
  host.stop();
  rmSync(hostDir, { recursive: true, force: true });
}
