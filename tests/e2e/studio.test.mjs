// Code splitting (bench/README.md B5): the page is ready with the core wasm
// package alone; the studio package (toPython, Replay, SeedBatch) comes after
// ready. Without it the playground still edits, runs and draws, and each part
// that needs it says so in place; once it arrives they work. Each package
// exports only its own functions.
import { readFileSync } from "node:fs";
import path from "node:path";
import { assert, ROOT, waitFor } from "./harness.mjs";
import {
  chooseClock,
  open,
  playground,
  resultsOf,
  runAndWait,
  setCode,
  statusOf,
  waitForRunEnd,
} from "./playground-helpers.mjs";

const STUDIO = /\/pkg-studio\//;
const RANDOM = "source call = [1] every 100ms spike 10% 1s\ngather(10 * first(call))\n";

const exportsOf = (file) =>
  WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(path.join(ROOT, "www", file)))).map((e) => e.name);

const replayNote = (pg) => pg.locator(".replay-note");
const transportShown = (pg) =>
  pg
    .locator("timeline-view")
    .evaluate(
      (tl) => Boolean(tl.shadowRoot.querySelector(".transport")) && !tl.shadowRoot.querySelector(".transport").hidden,
    );

/** Runs `program` instantly on the virtual clock and returns the result rows. */
/** Holds every studio request until the returned function is called. */
async function holdStudio(page) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(STUDIO, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

async function runVirtual(pg, program) {
  await setCode(pg, program);
  await chooseClock(pg, "virtual");
  await pg.locator("#speed").selectOption("instant");
  return runAndWait(pg);
}

export const tests = {
  "each wasm package exports only its own functions": () => {
    const core = exportsOf("pkg/async_playground_bg.wasm");
    const studio = exportsOf("pkg-studio/async_playground_studio_bg.wasm");
    for (const name of ["run", "parse", "format", "examples", "shownItems"]) {
      assert.ok(core.includes(name), `the core exports ${name}`);
      assert.ok(!studio.includes(name), `the studio does not export ${name}`);
    }
    assert.ok(studio.includes("toPython"), "the studio exports toPython");
    for (const prefix of ["toPython", "replay_", "seedbatch_"]) {
      assert.ok(
        studio.some((n) => n.startsWith(prefix)),
        `the studio exports ${prefix}…`,
      );
      assert.ok(!core.some((n) => n.startsWith(prefix)), `the core exports nothing named ${prefix}…`);
    }
  },

  "the cold start fetches no studio before ready; it comes once the page is idle": async ({ page, baseUrl }) => {
    // When the page became ready, on the page's own clock (resource timings use the same origin).
    await page.addInitScript(() => {
      // Runs before the document is parsed (no documentElement yet): observe the document.
      new MutationObserver((_, observer) => {
        if (document.documentElement?.dataset.ready !== "true") return;
        window.readyAt = performance.now();
        observer.disconnect();
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
    });
    await page.goto(`${baseUrl}/index.html`, { waitUntil: "load" });
    await page.waitForFunction(() => window.readyAt !== undefined, null, { timeout: 30_000 });
    const entries = () =>
      page.evaluate(() => ({
        readyAt: window.readyAt,
        files: performance.getEntriesByType("resource").map((e) => ({ name: e.name, start: e.startTime })),
      }));
    await waitFor(async () => (await entries()).files.filter((f) => STUDIO.test(f.name)).length === 2, {
      message: "the studio's glue and wasm, after ready",
    });
    const { readyAt, files } = await entries();
    const core = files.find((f) => f.name.endsWith("/pkg/async_playground_bg.wasm"));
    assert.ok(core && core.start < readyAt, "the core wasm was fetched for ready");
    for (const file of files.filter((f) => STUDIO.test(f.name))) {
      assert.ok(file.start >= readyAt, `${file.name} started at ${file.start} ms, before ready at ${readyAt} ms`);
    }
  },

  "with the studio blocked, the page is ready and runs; the Python view, scrubbing and Run ×N say why they are missing":
    {
      timeout: 90_000,
      run: async ({ page, baseUrl, expectConsoleError }) => {
        expectConsoleError(/ERR_FAILED|Failed to load resource/i);
        await page.route(STUDIO, (route) => route.abort());
        await open(page, baseUrl);
        const pg = playground(page);
        // The example picker and the default program are the core's.
        await pg.locator("#example").selectOption("race");
        await waitFor(async () => /race\(/.test(await pg.locator("#code").inputValue()), {
          message: "the race example",
        });

        const rows = await runVirtual(pg, "source a = [10, 20, 40] every 1s\ngather(sum(a), max(a))\n");
        assert.deepEqual(
          rows.map((r) => r.value),
          ["[70, 40]"],
        );
        assert.match(await statusOf(pg), /^Done in 3\.00 s of virtual time\.$/);
        await waitFor(
          () =>
            pg
              .locator("timeline-view")
              .evaluate((tl) => tl.shadowRoot.querySelectorAll('circle[data-kind="value"]').length === 6),
          { message: "the timeline drawn without the studio" },
        );
        await waitFor(async () => /could not be loaded/.test(await replayNote(pg).textContent()), {
          message: "the replay note",
        });
        assert.match(
          await replayNote(pg).textContent(),
          /^The replay controls could not be loaded: .*\/pkg-studio\/async_playground_studio.* (did not load|could not be downloaded)/,
        );
        assert.equal(await transportShown(pg), false, "no transport without the studio");

        await pg.locator("python-view summary").click();
        await waitFor(async () => /could not be loaded/.test(await pg.locator("python-view .errors").textContent()), {
          message: "the Python view's message",
        });
        assert.match(
          await pg.locator("python-view .errors").textContent(),
          /^The Python export could not be loaded: .*\/pkg-studio\/async_playground_studio.* (did not load|could not be downloaded)/,
        );
        assert.equal(await pg.locator("python-view").evaluate((v) => v.code), "");

        await setCode(pg, RANDOM);
        await waitFor(() => pg.locator("seed-histogram").isVisible(), { message: "Run ×N offered" });
        await pg.locator("seed-histogram #run-many").click();
        await waitFor(
          async () => /could not be loaded/.test(await pg.locator("seed-histogram .progress").textContent()),
          {
            message: "Run ×N's message",
          },
        );
        assert.equal(await pg.locator("seed-histogram #run-many").isDisabled(), false, "Run ×N can be tried again");

        // Everything else still works: format and another run.
        await pg.locator("#format").click();
        assert.equal(await statusOf(pg), "Formatted.");
        const again = await runAndWait(pg);
        assert.equal(again.length, 1);
      },
    },

  "while the studio loads, its parts say so; once it arrives the Python view, scrubbing and Run ×N work": {
    timeout: 90_000,
    run: async ({ page, baseUrl }) => {
      const release = await holdStudio(page);
      await open(page, baseUrl);
      const pg = playground(page);
      await pg.locator("python-view summary").click();
      // The details element's toggle event comes a task after the click.
      await waitFor(() => pg.locator("python-view .loading").isVisible(), { message: "the Python view loading" });
      assert.equal(await pg.locator("python-view .loading").textContent(), "Loading the Python export…");

      const rows = await runVirtual(pg, "source a = [10, 20, 40] every 1s\ngather(sum(a), max(a))\n");
      assert.deepEqual(
        rows.map((r) => r.value),
        ["[70, 40]"],
      );
      assert.equal(await replayNote(pg).textContent(), "Loading the replay controls…");
      assert.equal(await transportShown(pg), false);

      await setCode(pg, RANDOM);
      await waitFor(() => pg.locator("seed-histogram").isVisible(), { message: "Run ×N offered" });
      await pg.locator("seed-histogram #count").selectOption("100");
      await pg.locator("seed-histogram #run-many").click();
      assert.equal((await pg.locator("seed-histogram .progress").textContent()).trim(), "Loading Run ×N…");

      release();
      await waitFor(
        async () => /^100 seeds in/.test((await pg.locator("seed-histogram .progress").textContent()).trim()),
        {
          timeout: 30_000,
          message: "Run ×100 after the studio arrived",
        },
      );
      assert.ok((await pg.locator("seed-histogram rect.bin").count()) >= 1, "the histogram has bars");
      await waitFor(async () => (await pg.locator("python-view").evaluate((v) => v.code)).includes("asyncio.gather"), {
        message: "the Python export after the studio arrived",
      });
      assert.equal(await pg.locator("python-view .loading").isVisible(), false);
      // The run made before the studio arrived got its transport: scrub it.
      await waitFor(() => transportShown(pg), { message: "the transport after the studio arrived" });
      assert.equal(await replayNote(pg).isVisible(), false);
      await pg.locator("timeline-view").evaluate((tl) => tl.seek(1500));
      const lanes = await pg
        .locator("timeline-view")
        .evaluate((tl) => [...tl.shadowRoot.querySelectorAll(".lane-states li")].map((li) => li.dataset.status));
      assert.ok(lanes.includes("waiting"), `at 1.5 s the sources wait: ${lanes}`);
      assert.deepEqual(await pg.locator("timeline-view").evaluate((tl) => tl.position), { t: 1500, playing: false });
      assert.equal((await resultsOf(pg)).length, 1);
    },
  },

  "a studio arriving during a later run gives the earlier run no transport; the later run gets its own": {
    timeout: 90_000,
    run: async ({ page, baseUrl }) => {
      const release = await holdStudio(page);
      await open(page, baseUrl);
      const pg = playground(page);
      await runVirtual(pg, "sum([1, 2, 3] every 1s)\n");
      assert.equal(await replayNote(pg).textContent(), "Loading the replay controls…");
      // A real-clock run of 1.5 s; the studio arrives while it runs.
      await setCode(pg, "sum([1, 2, 3] every 500ms)\n");
      await chooseClock(pg, "real");
      await pg.locator("#run").click();
      await waitFor(() => pg.evaluate(() => document.querySelector("async-playground").hasAttribute("running")), {
        message: "the second run to start",
      });
      release();
      await waitFor(async () => !(await replayNote(pg).isVisible()), { message: "the studio to arrive" });
      assert.ok(
        await pg.evaluate(() => document.querySelector("async-playground").hasAttribute("running")),
        "the second run still runs",
      );
      assert.equal(await transportShown(pg), false, "no transport for the first run on the second run's timeline");
      const rows = await waitForRunEnd(pg);
      assert.equal(rows[0].value, "6");
      await waitFor(() => transportShown(pg), { message: "the second run's transport" });
      const end = await pg.locator("timeline-view").evaluate((tl) => tl.position.t);
      assert.ok(end >= 1500 && end < 3000, `the transport is the second run's (ends at ${end} ms, not 3000)`);
    },
  },
};
