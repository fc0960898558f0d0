// Real I/O end to end, on the release package: the /slow/ service worker
// (delayed, chunked answers; every other path untouched), the I/O examples'
// results and timings, and stopping a run mid-request.
//
// Programs run through the page's JS API (`run` from pkg/), on /index.html,
// whose <script type="module" src="sw-register.js"> registers the worker.
import { assert, onTimeWithin, waitForReady } from "./harness.mjs";

/** Opens the playground page and waits until the /slow/ worker controls it. */
async function openControlled(page, baseUrl) {
  await page.goto(`${baseUrl}/index.html`, { waitUntil: "load" });
  await waitForReady(page, { timeout: 30_000 });
  const controlled = await page.evaluate(async () => {
    const { slowReady } = await import("/sw-register.js");
    return slowReady;
  });
  assert.equal(controlled, true, "the service worker controls the page");
}

/** Runs the built-in example `name` in the page; returns its report and header lines. */
async function runExample(page, name, options = {}) {
  return page.evaluate(
    async ({ name, options }) => {
      const wasm = await import("/pkg/async_playground.js");
      await wasm.default();
      const example = wasm.examples().find((e) => e.name === name);
      if (!example) throw new Error(`no example ${name}`);
      const report = await wasm.run(example.text, options);
      const results = example.text
        .split("\n")
        .filter((l) => l.startsWith("# result: "))
        .map((l) => l.slice("# result: ".length));
      return {
        results,
        texts: report.statements.map((s) => s.result.text),
        statements: report.statements.map((s) => ({ elapsedMs: s.elapsedMs, result: s.result })),
        events: report.events,
        cancelled: report.cancelled,
      };
    },
    { name, options },
  );
}

/** A small independent CSV reader: header row, quoted fields with "" escapes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== "");
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

export const tests = {
  "the service worker serves /slow/ paths late and in paced chunks": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    const got = await page.evaluate(async () => {
      const real = await (await fetch("/data/features.csv")).text();
      const t0 = performance.now();
      const res = await fetch("/slow/data/features.csv?latency=300&chunk=64&pace=20");
      const headersMs = performance.now() - t0;
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let text = "";
      let chunks = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks++;
        text += decoder.decode(value, { stream: true });
      }
      return {
        headersMs,
        totalMs: performance.now() - t0,
        chunks,
        same: text === real,
        length: real.length,
        status: res.status,
        slow: res.headers.get("x-slow"),
        type: res.headers.get("content-type"),
      };
    });
    assert.equal(got.status, 200);
    assert.equal(got.slow, "1");
    assert.ok(got.same, "the body is the real file");
    assert.match(got.type || "", /csv|text/);
    assert.ok(got.headersMs >= 290, `headers after ${got.headersMs} ms, not >= 300`);
    const pieces = Math.ceil(got.length / 64);
    assert.ok(got.chunks >= pieces / 2, `${got.chunks} chunks for ${pieces} pieces`);
    const minMs = 300 + (pieces - 1) * 20 * 0.9;
    assert.ok(got.totalMs >= minMs, `the body took ${got.totalMs} ms, expected >= ${minMs}`);
  },

  "the service worker leaves every other request alone": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    const got = await page.evaluate(async () => {
      const paths = [
        "/index.html",
        "/data/features.csv",
        "/sw.js",
        "/data/numbers.txt?slow/x",
        "/pkg/async_playground.js?/slow/",
      ];
      const out = {};
      for (const path of paths) {
        const res = await fetch(path);
        await res.arrayBuffer();
        out[path] = { slow: res.headers.get("x-slow"), status: res.status };
      }
      return { out, controlled: !!navigator.serviceWorker.controller };
    });
    assert.ok(got.controlled);
    for (const [path, { slow, status }] of Object.entries(got.out)) {
      assert.equal(slow, null, `${path} came from the service worker`);
      assert.equal(status, 200, path);
    }
    // (A 404 or 503 would be logged as a console error, which fails any e2e test;
    // tests/browser_io.rs covers HTTP errors.)
  },

  "three slow requests: sequential takes the sum, gathered the max": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    // Latencies 300, 400 and 500 ms: sum 1200, max 500. Under their floors
    // fails at once; over their ceilings is measured again, up to 3 runs: a
    // busy machine slows the worker and the server by chance (1757 and
    // 2937 ms for the sum at load 14), a wrong schedule every run.
    const run = await onTimeWithin(3, async () => {
      const run = await runExample(page, "io-aiohttp");
      assert.deepEqual(run.texts, run.results);
      const [sequential, gathered] = run.statements.map((s) => s.elapsedMs);
      assert.ok(sequential >= 1200 && gathered >= 500, `sequential ${sequential} ms, gathered ${gathered} ms`);
      const onTime = sequential < 1200 + 400 && gathered < 500 + 300;
      return {
        result: run,
        late: onTime
          ? ""
          : `sequential ${sequential.toFixed(0)} ms, gathered ${gathered.toFixed(0)} ms (not ~1200 and ~500)`,
      };
    });
    // Every request is a lane with its request and headers notes before its values.
    const notes = run.events.filter((e) => e.kind === "note").map((e) => e.text);
    assert.equal(notes.filter((t) => t.startsWith("GET slow/data/numbers.txt")).length, 6);
    assert.equal(notes.filter((t) => t.startsWith("HTTP 200")).length, 6);
  },

  "the CSV example gives the column stats computed independently": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    const run = await runExample(page, "io-csv-stats");
    const files = await page.evaluate(async () => {
      const get = async (p) => (await fetch(p)).text();
      return Promise.all(
        ["features.csv", "features-2.csv", "features-3.csv", "features.ndjson"].map((f) => get(`/data/${f}`)),
      );
    });
    const ages = files.slice(0, 3).map((text) => parseCsv(text).map((r) => Number(r.age)));
    const ndjsonAges = files[3]
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l).age);
    const [group, all] = run.statements.map((s) => s.result);
    assert.equal(group.type, "group", JSON.stringify(group));
    ages.forEach((xs, i) => {
      const stats = group.items[i];
      assert.equal(stats.type, "stats", JSON.stringify(stats));
      assert.equal(stats.count, xs.length);
      assert.equal(stats.min, Math.min(...xs));
      assert.equal(stats.max, Math.max(...xs));
      close(stats.mean, mean(xs), `mean age of file ${i + 1}`);
    });
    close(group.items[3].value, mean(ndjsonAges), "mean age in the NDJSON file");
    close(all.value, mean(ages.flat()), "mean age of all files");
    assert.equal(run.texts[0], run.results[0]);
  },

  "limit(4) over 20 URLs takes about 5 rounds of latency": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    const run = await runExample(page, "io-limit");
    assert.deepEqual(run.texts, run.results);
    // The semaphore, from the trace: each request's span is its GET note to its end.
    const spans = new Map();
    for (const e of run.events) {
      if (e.kind === "note" && e.text.startsWith("GET ")) spans.set(e.lane, { from: e.t });
      if (e.kind === "end" && spans.has(e.lane)) spans.get(e.lane).to = e.t;
    }
    assert.equal(spans.size, 20);
    const edges = [...spans.values()].flatMap(({ from, to }) => [
      [from, 1],
      [to, -1],
    ]);
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inFlight = 0;
    let most = 0;
    for (const [, step] of edges) {
      inFlight += step;
      most = Math.max(most, inFlight);
    }
    assert.equal(most, 4, "requests in flight at once");
    // Five rounds of 250 ms at the least; one after another would take 5 s.
    const ms = run.statements[0].elapsedMs;
    assert.ok(ms >= 1250 && ms < 1250 + 1500, `took ${ms} ms, expected ~1250`);
  },

  "timeouts cancel slow requests": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    const run = await runExample(page, "io-timeout");
    assert.deepEqual(run.texts, run.results);
    const first = run.statements[0].elapsedMs;
    assert.ok(first >= 500 && first < 700, `the 500 ms timeout took ${first} ms`);
  },

  "a database scan runs while a fetch waits": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    const run = await runExample(page, "io-db");
    assert.deepEqual(run.texts, run.results);
    // Both scans ended before the fetch's headers arrived (latency 400 ms).
    const ends = run.events.filter((e) => e.kind === "end");
    const headers = run.events.find((e) => e.kind === "note" && e.text.startsWith("HTTP 200"));
    assert.ok(headers, "the fetch got headers");
    const earlier = ends.filter((e) => e.t < headers.t).length;
    assert.ok(earlier >= 2, `${earlier} lanes ended before the headers at ${headers.t} ms`);
  },

  "the I/O errors example: each failure stays in its task with its documented message": async ({
    page,
    baseUrl,
    expectConsoleError,
  }) => {
    // The example asks for a 503 on purpose; Chromium logs that response.
    expectConsoleError(/status of 503/);
    await openControlled(page, baseUrl);
    const { results, texts, statements } = await runExample(page, "io-errors");
    assert.deepEqual(texts, results, "each statement shows the result its header documents");
    const items = statements[0].result.items;
    assert.equal(items.length, 6);
    assert.equal(items[0].type, "number", "the healthy request still delivers");
    assert.deepEqual(
      items.slice(1).map((i) => i.type),
      ["error", "error", "error", "error", "error"],
    );
  },
  "stopping a run aborts its request mid-body": async ({ page, baseUrl }) => {
    await openControlled(page, baseUrl);
    const got = await page.evaluate(async () => {
      const wasm = await import("/pkg/async_playground.js");
      await wasm.default();
      const controller = new AbortController();
      let values = 0;
      const t0 = performance.now();
      const report = await wasm.run('collect(fetch("slow/data/numbers.txt?latency=50&chunk=3&pace=200"))', {
        signal: controller.signal,
        onEvent: ({ events }) => {
          for (const e of events) if (e.kind === "value" && ++values === 2) controller.abort();
        },
      });
      return { cancelled: report.cancelled, ms: performance.now() - t0, kinds: report.events.map((e) => e.kind) };
    });
    assert.equal(got.cancelled, true);
    assert.equal(got.kinds.filter((k) => k === "value").length, 2, got.kinds.join(" "));
    assert.equal(got.kinds.at(-1), "cancel");
    assert.ok(got.ms < 1500, `stopped after ${got.ms} ms; the whole body takes ~2.8 s`);
  },
};
