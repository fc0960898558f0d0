// Embedding on someone else's page: a host page on a second 127.0.0.1 origin
// loads the element, the engine and embed.html from the playground's origin.
// Lazy loading, load failures shown in the box, autorun and the timeline on a
// cold load, the first-load I/O run, and iframe auto-height.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { OUT_DIR, WWW, assert, startServer, waitFor } from "./harness.mjs";
import { resultsOf, statusOf, waitForRunEnd } from "./playground-helpers.mjs";
import { BUNDLE } from "../../tools/bundle.mjs";

/** Serves `files` ({ name: html }) from a temporary directory on another origin; run `body(hostUrl)`, then clean up. */
async function withHost(files, body) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ap-host-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const host = await startServer({ dir, logFile: path.join(OUT_DIR, "e2e-host-server.log") });
  try {
    return await body(host.baseUrl);
  } finally {
    host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const page = (head, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>host</title><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;

const GATHER = `
  source a = [10, 20, 40] every 100ms
  source b = [50, 500, 5000] every 100ms
  gather(sum(a), max(b))
`;

/** Values drawn on a timeline-view (inside `root`, a document or a shadow root). */
const markerCount = (scope) =>
  scope.evaluate((el) => {
    const timeline = (el.shadowRoot ?? el).querySelector("timeline-view");
    return timeline?.shadowRoot?.querySelectorAll('svg.plot circle[data-kind="value"]').length ?? 0;
  });

/** Every module `file` (in www/) imports, directly or not, by its static imports. */
function importGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(path.join(WWW, file), "utf8");
  for (const [, dep] of text.matchAll(/^\s*import\s[^'"]*["']\.\/([^'"]+)["']/gm)) importGraph(dep, seen);
  return seen;
}

export const tests = {
  "the timeline modules hinted by engine.js are exactly what timeline-view.js imports": async () => {
    const engine = readFileSync(path.join(WWW, "engine.js"), "utf8");
    const TIMELINE_IMPORTS = JSON.parse(engine.match(/TIMELINE_IMPORTS = (\[[^\]]*\])/)[1]);
    const graph = [...importGraph("timeline-view.js")].filter((f) => f !== "timeline-view.js");
    assert.deepEqual([...TIMELINE_IMPORTS].sort(), graph.sort());
  },

  "the element modules hinted by async-playground.js are exactly what playground-element.js imports": async () => {
    const entry = readFileSync(path.join(WWW, "async-playground.js"), "utf8");
    assert.doesNotMatch(
      entry,
      /^\s*import\s/m,
      "the entry has no static imports: it runs one round trip after the page asks for it",
    );
    const ELEMENT_IMPORTS = JSON.parse(entry.match(/ELEMENT_IMPORTS = (\[[^\]]*\])/)[1]);
    const graph = [...importGraph("playground-element.js")].filter((f) => f !== "playground-element.js");
    assert.deepEqual([...ELEMENT_IMPORTS].sort(), graph.sort());
  },

  "the bundle holds the entry and the element's graph but engine.js, and imports engine.js and the core glue":
    async () => {
      const text = readFileSync(path.join(WWW, BUNDLE), "utf8");
      const bundled = [...text.matchAll(/^\/\/ ---- (\S+)$/gm)].map(([, file]) => file);
      const imported = [...text.matchAll(/^import\s[^'"]*["']\.\/([^'"]+)["'];$/gm)].map(([, file]) => file);
      const graph = ["async-playground.js", ...importGraph("playground-element.js")];
      assert.deepEqual([...bundled].sort(), graph.filter((f) => f !== "engine.js").sort(), "the modules in the bundle");
      assert.deepEqual([...imported].sort(), ["engine.js", "pkg/async_playground.js"], "the bundle's own imports");
      assert.doesNotMatch(
        text,
        /^\s*export\s(?!const \{ AsyncPlayground \} = await element;)/m,
        "one export, the entry's",
      );
    },

  "the pages load the bundle and hint exactly its module graph and the core package, so it cannot drift": async () => {
    const wanted = [...importGraph(BUNDLE)].sort();
    for (const page of ["index.html", "embed.html", "tutorial.html"]) {
      const html = readFileSync(path.join(WWW, page), "utf8");
      const hints = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(([, href]) => href);
      assert.deepEqual([...hints].sort(), wanted, `${page}'s modulepreload links`);
      assert.equal(new Set(hints).size, hints.length, `${page} hints each module once`);
      assert.match(
        html,
        /<link rel="preload" href="pkg\/async_playground_bg\.wasm" as="fetch" type="application\/wasm" crossorigin>/,
        `${page} preloads the core wasm (in CORS mode, as engine.js fetches it)`,
      );
      const script = page === "embed.html" ? readFileSync(path.join(WWW, "embed.js"), "utf8") : html;
      assert.match(script, new RegExp(`["/]${BUNDLE.replace(/\./g, "\\.")}"`), `${page} loads the bundle`);
      assert.doesNotMatch(script, /["/]async-playground\.js"/, `${page} does not load the entry's modules one by one`);
    }
  },

  "index.html asks for no module of the bundle before ready, and for the bundle once": async ({
    page: tab,
    baseUrl,
  }) => {
    await tab.addInitScript(() => {
      new MutationObserver(() => {
        if (document.documentElement?.dataset.ready === "true") window.__readyAt ??= performance.now();
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
    });
    await tab.goto(`${baseUrl}/index.html`);
    await waitFor(() => tab.evaluate(() => window.__readyAt), { message: "ready" });
    const before = await tab.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((r) => r.startTime <= window.__readyAt)
        .map((r) => new URL(r.name).pathname.slice(1)),
    );
    const modules = ["async-playground.js", ...importGraph("playground-element.js")].filter((f) => f !== "engine.js");
    assert.deepEqual(
      before.filter((f) => modules.includes(f)),
      [],
      "no source module of the bundle is fetched before ready",
    );
    assert.deepEqual(
      before.filter((f) => f.endsWith(".js")).sort(),
      [BUNDLE, "engine.js", "pkg/async_playground.js", "sw-register.js"].sort(),
      "the scripts fetched before ready",
    );
    assert.equal(await tab.evaluate(() => customElements.get("async-playground")?.name), "AsyncPlayground");
  },

  "a cold load with latency asks for the engine within one round trip of the element script, and never below the fold":
    async ({ page: tab, context, baseUrl }) => {
      const LATENCY = 200;
      const cdp = await context.newCDPSession(tab);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: LATENCY,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await withHost(
        {
          "one.html": page(
            `<script type="module" src="${baseUrl}/async-playground.js"></script>`,
            `<async-playground>${GATHER}</async-playground>`,
          ),
          "below.html": page(
            `<script type="module" src="${baseUrl}/async-playground.js"></script>`,
            `<div style="height: 3000px"></div>${Array(10).fill(`<async-playground>${GATHER}</async-playground>`).join("")}`,
          ),
        },
        async (hostUrl) => {
          const finished = [];
          tab.on("requestfinished", (r) => finished.push(r));
          /** { start, end } in ms since the epoch, of the finished request whose path ends with `file`. */
          const timing = (file) => {
            const request = finished.find((r) => new URL(r.url()).pathname.endsWith(`/${file}`));
            assert.ok(request, `${file} was requested`);
            const { startTime, responseEnd } = request.timing();
            return { start: startTime, end: startTime + responseEnd };
          };
          await tab.goto(`${hostUrl}/one.html`);
          const el = tab.locator("async-playground");
          await waitFor(() => el.evaluate((e) => e.dataset.ready === "true"), { message: "ready", timeout: 20_000 });
          const script = timing("async-playground.js");
          for (const file of [
            "async_playground_bg.wasm",
            "async_playground.js",
            "playground-element.js",
            "io-ideal.js",
          ]) {
            const after = timing(file).start - script.end;
            assert.ok(
              after < LATENCY * 1.5,
              `${file} asked for ${after.toFixed(0)} ms after the element script arrived (one round trip: ${LATENCY} ms)`,
            );
          }
          assert.equal(finished.filter((r) => r.url().endsWith(".wasm")).length, 1, "one wasm download");

          finished.length = 0;
          await tab.goto(`${hostUrl}/below.html`);
          await waitFor(() => tab.evaluate(() => customElements.get("async-playground") !== undefined), {
            message: "the element defined",
            timeout: 20_000,
          });
          await tab.waitForTimeout(LATENCY * 4);
          assert.ok(timing("playground-element.js"), "the element code loaded");
          assert.deepEqual(
            finished.map((r) => r.url()).filter((u) => /async_playground(_bg\.wasm|\.js)$/.test(u)),
            [],
            "engine requested for embeds never scrolled to",
          );
        },
      );
    },

  "a page on another origin runs two elements and an iframe from the playground": async ({ page: tab, baseUrl }) => {
    await withHost(
      {
        "host.html": page(
          `<script type="module" src="${baseUrl}/async-playground.js"></script>
           <script type="module" src="${baseUrl}/embed-resize.js"></script>`,
          `<async-playground id="one" clock="virtual" speed="instant">${GATHER}</async-playground>
           <async-playground id="two">
             source c = [1, 2, 3] every 50ms
             collect(c)
           </async-playground>
           <iframe id="frame" title="embed" style="border:0;width:100%" height="100"
             src="${baseUrl}/embed.html?example=gather&clock=virtual&speed=instant&autorun=1"></iframe>`,
        ),
      },
      async (hostUrl) => {
        await tab.goto(`${hostUrl}/host.html`);
        assert.notEqual(new URL(hostUrl).origin, new URL(baseUrl).origin);
        const one = tab.locator("#one");
        const two = tab.locator("#two");
        for (const el of [one, two]) {
          await waitFor(() => el.evaluate((e) => e.dataset.ready === "true"), {
            message: "the element to be ready",
            timeout: 20_000,
          });
          await el.locator("#run").click();
        }
        assert.deepEqual(
          (await waitForRunEnd(one)).map((r) => r.value),
          ["[70, 5000]"],
        );
        assert.deepEqual(
          (await waitForRunEnd(two)).map((r) => r.value),
          ["[1, 2, 3]"],
        );
        // The timeline module loads after the engine: it draws the run when it arrives.
        await waitFor(async () => (await markerCount(one)) === 6, {
          message: "the first element to draw its timeline",
        });
        const frame = tab.frameLocator("#frame").locator("async-playground");
        const rows = await waitForRunEnd(frame, { timeout: 20_000 });
        assert.deepEqual(
          rows.map((r) => r.value),
          ["[[10, 20, 40], [50, 500, 5000]]"],
        );
      },
    );
  },

  "a load failure is shown in the box, with the program still readable": async ({
    page: tab,
    baseUrl,
    expectConsoleError,
  }) => {
    // A host whose CSP forbids WebAssembly, and one where the wasm download fails.
    expectConsoleError(/WebAssembly|wasm-unsafe-eval|Content Security Policy|ERR_FAILED|Failed to load resource/i);
    await withHost(
      {
        "csp.html": page(
          `<meta http-equiv="Content-Security-Policy" content="script-src ${baseUrl}">
           <script type="module" src="${baseUrl}/async-playground.js"></script>`,
          `<async-playground loading="eager">${GATHER}</async-playground>`,
        ),
        "nowasm.html": page(
          `<script type="module" src="${baseUrl}/async-playground.js"></script>`,
          `<async-playground loading="eager">${GATHER}</async-playground>`,
        ),
      },
      async (hostUrl) => {
        await tab.goto(`${hostUrl}/csp.html`);
        const el = tab.locator("async-playground");
        await waitFor(async () => /could not be loaded/.test(await statusOf(el)), {
          message: "the load error",
          timeout: 20_000,
        });
        assert.match(await statusOf(el), /Content-Security-Policy forbids WebAssembly: add 'wasm-unsafe-eval'/);
        assert.equal(await el.getAttribute("data-ready"), "false");
        assert.match(await el.locator("#code").inputValue(), /^source a = \[10, 20, 40\] every 100ms\nsource b/);
        assert.ok(await el.locator("#code").isVisible(), "the program is on screen");

        await tab.route("**/async_playground_bg.wasm", (route) => route.abort());
        await tab.goto(`${hostUrl}/nowasm.html`);
        await waitFor(async () => /could not be loaded/.test(await statusOf(el)), {
          message: "the load error",
          timeout: 20_000,
        });
        assert.match(await statusOf(el), /async_playground_bg\.wasm could not be downloaded: .*CORS/);
        // Run still answers, with the same reason.
        await el.locator("#run").click();
        assert.match(await statusOf(el), /could not be loaded/);
      },
    );
  },

  "lazy loading: no wasm until an element is scrolled to, then one for all": async ({ page: tab, baseUrl }) => {
    const elements = Array.from(
      { length: 10 },
      (_, i) => `<div style="height: 1500px"></div>
      <async-playground id="e${i}" clock="virtual" speed="instant" autorun>${GATHER}</async-playground>`,
    ).join("\n");
    await withHost(
      { "many.html": page(`<script type="module" src="${baseUrl}/async-playground.js"></script>`, elements) },
      async (hostUrl) => {
        const requests = [];
        tab.on("request", (r) => requests.push(r.url()));
        await tab.goto(`${hostUrl}/many.html`, { waitUntil: "load" });
        await tab.waitForTimeout(800);
        const heavy = () => requests.filter((u) => /async_playground(_bg\.wasm|\.js)$/.test(u));
        assert.deepEqual(heavy(), [], "engine requested before any element was near the viewport");
        assert.ok(
          !requests.some((u) => /timeline-(view|plot)\.js$/.test(u)),
          "the timeline requested before any element was near the viewport",
        );
        assert.ok(
          requests.some((u) => u.endsWith("/async-playground.js")),
          "the element script loaded",
        );
        const states = () =>
          tab.locator("async-playground").evaluateAll((els) => els.map((e) => e.dataset.ready ?? ""));
        assert.deepEqual(await states(), Array(10).fill(""));

        await tab.locator("#e3").scrollIntoViewIfNeeded();
        const e3 = tab.locator("#e3");
        // autorun waited for it to be visible, and then ran.
        assert.deepEqual(
          (await waitForRunEnd(e3, { timeout: 20_000 })).map((r) => r.value),
          ["[70, 5000]"],
        );
        await tab.locator("#e7").scrollIntoViewIfNeeded();
        await waitForRunEnd(tab.locator("#e7"), { timeout: 20_000 });
        const ready = await states();
        assert.equal(ready[3], "true");
        assert.equal(ready[7], "true");
        assert.equal(ready[0], "", "an element never near the viewport loaded");
        assert.equal(heavy().filter((u) => u.endsWith(".wasm")).length, 1, "one wasm download for the page");
        assert.equal(heavy().filter((u) => u.endsWith(".js")).length, 1, "one glue module for the page");
      },
    );
  },

  "autorun on a cold load draws the timeline, whatever the load order": async ({ page: tab, baseUrl }) => {
    // The timeline module is held back until the run is over: the worst order.
    let release;
    const held = new Promise((r) => (release = r));
    await tab.route("**/timeline-view.js", async (route) => {
      await held;
      await route.continue();
    });
    for (const clock of ["virtual", "real"]) {
      await tab.goto(`${baseUrl}/embed.html?clock=${clock}&speed=instant&autorun=1&example=gather`);
      const el = tab.locator("async-playground");
      if (clock === "virtual") {
        const rows = await waitForRunEnd(el, { timeout: 20_000 });
        assert.deepEqual(
          rows.map((r) => r.state),
          ["done"],
        );
        assert.equal(await markerCount(el), 0, "the timeline module was held back");
        release();
      } else {
        await waitForRunEnd(el, { timeout: 20_000 });
      }
      // 6 values, each drawn once.
      await waitFor(async () => (await markerCount(el)) === 6, {
        message: `6 markers on the ${clock} clock`,
        timeout: 10_000,
      });
    }
  },

  "iframe auto-height: the frame takes its content height": async ({ page: tab, baseUrl }) => {
    await withHost(
      {
        "frame.html": page(
          `<script type="module" src="${baseUrl}/embed-resize.js"></script>`,
          `<iframe id="frame" title="embed" style="border:0;width:100%" height="100"
             src="${baseUrl}/embed.html?example=gather&clock=virtual&speed=instant"></iframe>
           <iframe id="out" title="output" style="border:0;width:100%" height="100"
             src="${baseUrl}/embed.html?example=gather&clock=virtual&speed=instant&view=timeline"></iframe>`,
        ),
      },
      async (hostUrl) => {
        await tab.goto(`${hostUrl}/frame.html`);
        const frameHeight = (id) => tab.locator(`#${id}`).evaluate((f) => f.getBoundingClientRect().height);
        const contentHeight = (id) =>
          tab
            .frameLocator(`#${id}`)
            .locator("body")
            .evaluate((b) => Math.ceil(b.getBoundingClientRect().height));
        const el = tab.frameLocator("#frame").locator("async-playground");
        await waitFor(() => el.evaluate((e) => e.dataset.ready === "true"), { message: "ready", timeout: 20_000 });
        await waitFor(
          async () =>
            (await frameHeight("frame")) === (await contentHeight("frame")) && (await frameHeight("frame")) > 200,
          { message: "the frame to fit its content" },
        );
        const before = await frameHeight("frame");
        await el.locator("#run").click();
        await waitForRunEnd(el);
        // The timeline appeared: the frame grew with it.
        await waitFor(
          async () =>
            (await frameHeight("frame")) === (await contentHeight("frame")) &&
            (await frameHeight("frame")) > before + 100,
          { message: "the frame to grow with the timeline" },
        );

        // view=timeline: no editor, ran by itself, results and timeline shown.
        const out = tab.frameLocator("#out").locator("async-playground");
        assert.deepEqual(
          (await waitForRunEnd(out, { timeout: 20_000 })).map((r) => r.state),
          ["done"],
        );
        assert.equal(await out.locator("#code").isVisible(), false, "the editor is hidden");
        await waitFor(async () => (await markerCount(out)) === 6, { message: "the output-only timeline" });
        await waitFor(async () => (await frameHeight("out")) === (await contentHeight("out")), {
          message: "the output frame to fit",
        });
      },
    );
  },

  "the first-load I/O run waits for the /slow/ worker; a foreign page is told why it cannot": {
    timeout: 90_000,
    run: async ({ page: tab, baseUrl }) => {
      // The worker registers late (its module held back 2 s), so autorun starts
      // before the worker controls the page (without the wait: a 404 on /slow/).
      await tab.route("**/sw-register.js", async (route) => {
        await new Promise((r) => setTimeout(r, 2000));
        await route.continue();
      });
      await tab.goto(`${baseUrl}/embed.html?example=io-aiohttp&autorun=1`);
      const el = tab.locator("async-playground");
      const rows = await waitForRunEnd(el, { timeout: 30_000 });
      assert.ok(
        rows.every((r) => r.state === "done"),
        `first-load I/O run: ${JSON.stringify(rows)}`,
      );
      assert.match(await statusOf(el), /^Done/);

      await withHost(
        {
          "io.html": page(
            `<script type="module" src="${baseUrl}/async-playground.js"></script>`,
            `<async-playground>sum(fetch("slow/data/numbers.txt?latency=100"))</async-playground>`,
          ),
        },
        async (hostUrl) => {
          await tab.goto(`${hostUrl}/io.html`);
          const foreign = tab.locator("async-playground");
          await waitFor(() => foreign.evaluate((e) => e.dataset.ready === "true"), {
            message: "ready",
            timeout: 20_000,
          });
          await foreign.locator("#run").click();
          await waitFor(async () => /has none/.test(await statusOf(foreign)), {
            message: "the explanation",
            timeout: 15_000,
          });
          assert.match(
            await statusOf(foreign),
            /this page \(http:\/\/127\.0\.0\.1:\d+\) has none\. A service worker only works on its own origin: its author can copy sw\.js and sw-register\.js/,
          );
          assert.deepEqual(await resultsOf(foreign), [], "nothing ran");
        },
      );
    },
  },
};
