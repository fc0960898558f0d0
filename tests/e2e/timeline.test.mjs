// <timeline-view> on the release build, through www/timeline-demo.html:
// live drawing, positions against xOf(t), the freeze band, Stop, replay,
// ideal lines, tooltips, the comparison, caps, themes and screenshots.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT, assert, sleep, waitFor, waitForReady } from "./harness.mjs";

const example = (name) => readFileSync(path.join(ROOT, "www", "examples", `${name}.apg`), "utf8");
/** The gather example at 100 ms per value: the whole run takes 300 ms. */
const GATHER_100MS = example("gather").replaceAll("every 1s", "every 100ms");

async function openDemo(page, baseUrl, query) {
  await page.goto(`${baseUrl}/timeline-demo.html?${new URLSearchParams(query)}`);
  await waitForReady(page);
}

/** Runs the demo's program; resolves with the report once the timeline is finished. */
async function runToEnd(page) {
  await page.click("#run");
  await page.waitForFunction(() => window.timelineDemo.state === "done", null, { timeout: 20_000 });
  return page.evaluate(() => window.timelineDemo.report);
}

/** What the timeline shows: lanes, value markers (with xOf of their time), freezes, ideals. */
function drawn(page) {
  return page.evaluate(() => {
    const tl = document.querySelector("timeline-view");
    const plot = tl.shadowRoot.querySelector("svg.plot");
    const markers = [...plot.querySelectorAll('circle[data-kind="value"]')].map((c) => ({
      lane: Number(c.closest("[data-lane]").dataset.lane),
      cx: Number(c.getAttribute("cx")),
      t: Number(c.dataset.t),
      value: Number(c.dataset.value),
      expectedX: tl.xOf(Number(c.dataset.t)),
      label: c.getAttribute("aria-label"),
    }));
    return {
      lanes: [...plot.querySelectorAll("g[data-lane]")].map((g) => Number(g.dataset.lane)),
      markers,
      freezes: [...plot.querySelectorAll('g[data-kind="freeze"]')].map((g) => ({
        from: Number(g.dataset.from),
        to: Number(g.dataset.to),
        label: g.textContent,
      })),
      blocks: plot.querySelectorAll('[data-kind="block"]').length,
      ideals: [...plot.querySelectorAll("g[data-ideal]")].map((g) => ({
        t: Number(g.dataset.ideal),
        x: Number(g.querySelector("line").getAttribute("x1")),
        expectedX: tl.xOf(Number(g.dataset.ideal)),
      })),
      readout: tl.shadowRoot.querySelector(".readout").textContent,
      notes: tl.shadowRoot.querySelector(".notes").textContent,
    };
  });
}

function assertMarkersMatch(report, shown) {
  const values = report.events.filter((e) => e.kind === "value");
  assert.equal(shown.markers.length, values.length, "one marker per value event");
  for (const marker of shown.markers) {
    assert.ok(
      Math.abs(marker.cx - marker.expectedX) <= 1,
      `marker at t=${marker.t}: cx ${marker.cx} vs xOf ${marker.expectedX}`,
    );
    const event = values.find((e) => e.lane === marker.lane && e.t === marker.t && e.value === marker.value);
    assert.ok(event, `marker lane ${marker.lane} t=${marker.t} value ${marker.value} is a value event of the report`);
  }
}

/**
 * Runs the demo's program and counts the value markers on every animation
 * frame while it runs: { report, counts, runMs }.
 */
function runCountingMarkers(page) {
  return page.evaluate(async () => {
    const plot = document.querySelector("timeline-view").shadowRoot.querySelector("svg.plot");
    const counts = [];
    let live = true;
    const sample = () => {
      if (!live) return;
      counts.push(plot.querySelectorAll('circle[data-kind="value"]').length);
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
    const started = performance.now();
    await window.timelineDemo.run();
    live = false;
    return { report: window.timelineDemo.report, counts, runMs: performance.now() - started };
  });
}

export const tests = {
  "gather (100 ms) on the real clock draws while running, then matches the report": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await openDemo(page, baseUrl, { program: GATHER_100MS, clock: "real" });
    // Count markers on every frame while the run is live.
    const { report, counts } = await runCountingMarkers(page);
    assert.equal(report.cancelled, false);
    assert.ok(
      counts.some((n) => n > 0 && n < 6),
      `some markers drawn mid-run (samples: ${counts.join(",")})`,
    );
    const shown = await drawn(page);
    assert.equal(report.lanes.length, 3, "gather + 2 tasks");
    assert.deepEqual(shown.lanes.sort(), report.lanes.map((l) => l.id).sort(), "one <g data-lane> per lane");
    assert.equal(shown.markers.length, 6);
    assertMarkersMatch(report, shown);
    assert.equal(shown.ideals.length, 1);
    // The ideal line is at the statement's start (a fraction of a ms in) plus its 300 ms ideal.
    const [statement] = report.statements;
    assert.equal(statement.idealMs, 300);
    assert.equal(shown.ideals[0].t, statement.startMs + 300);
    assert.ok(Math.abs(shown.ideals[0].x - shown.ideals[0].expectedX) <= 1, "the ideal line sits at xOf");
    assert.match(shown.readout, /elapsed \d+ ms · ideal 300 ms · overhead [+−]\d+\.\d %/);
    assert.match(shown.notes, /6 timers fired [\d.]+ ms late on average, worst [\d.]+ ms/);
    await screenshot("timeline-gather-100ms");
  },

  "the gather example finished on the real clock (screenshot)": {
    timeout: 30_000,
    run: async ({ page, baseUrl, screenshot }) => {
      await openDemo(page, baseUrl, { example: "gather", clock: "real" });
      const report = await runToEnd(page);
      assertMarkersMatch(report, await drawn(page));
      await screenshot("timeline-gather");
    },
  },

  "a blocking source shows the frozen loop": async ({ page, baseUrl, screenshot }) => {
    await openDemo(page, baseUrl, { example: "blocking", clock: "real" });
    const report = await runToEnd(page);
    const shown = await drawn(page);
    const blocks = report.events.filter((e) => e.kind === "block");
    assert.equal(shown.blocks, blocks.length, "one hatched bar per block event");
    assert.ok(shown.freezes.length >= 1, "a full-height freeze band");
    const frozen = shown.freezes.reduce((sum, f) => sum + (f.to - f.from), 0);
    assert.ok(frozen >= 590, `the bands cover the 600 ms of blocking, got ${frozen}`);
    assert.match(shown.freezes.map((f) => f.label).join(" "), /loop frozen \d+ ms/);
    assertMarkersMatch(report, shown);
    assert.equal(shown.ideals.length, 2, "an ideal line per statement");
    assert.match(shown.readout, /total\s*elapsed/);
    await screenshot("timeline-blocking");
  },

  "Stop mid-way: no more markers appear": async ({ page, baseUrl }) => {
    await openDemo(page, baseUrl, { example: "gather", clock: "real" });
    await page.click("#run");
    const count = () => page.locator('timeline-view svg.plot circle[data-kind="value"]').count();
    await waitFor(async () => (await count()) >= 2, { timeout: 5_000, message: "the first values" });
    await page.click("#stop");
    await page.waitForFunction(() => window.timelineDemo.state === "done");
    const report = await page.evaluate(() => window.timelineDemo.report);
    assert.equal(report.cancelled, true);
    const atStop = await count();
    assert.ok(atStop >= 2 && atStop < 6, `stopped with ${atStop} markers`);
    await sleep(2_200); // past the next two values the run would have produced
    assert.equal(await count(), atStop, "no markers after Stop");
    const shown = await drawn(page);
    assertMarkersMatch(report, shown);
    assert.match(shown.readout, /stopped\s*at/);
  },

  "virtual clock: replay at high speed draws progressively, then everything": async ({ page, baseUrl }) => {
    await openDemo(page, baseUrl, { example: "gather", clock: "virtual", speed: "6" });
    const { report, counts, runMs: replayMs } = await runCountingMarkers(page);
    assert.equal(report.clock, "virtual");
    assert.ok(replayMs >= 400 && replayMs < 3_000, `3 s at 6× takes about 500 ms, took ${replayMs}`);
    assert.ok(
      counts.some((n) => n > 0 && n < 6),
      `markers appear during the replay (samples: ${counts.join(",")})`,
    );
    const shown = await drawn(page);
    assertMarkersMatch(report, shown);
    assert.equal(shown.markers.length, 6);
    assert.deepEqual(
      shown.markers.map((m) => m.t).sort((a, b) => a - b),
      [1000, 1000, 2000, 2000, 3000, 3000],
    );
  },

  "a 60 s program on the virtual clock draws its ideal line at 60 s": async ({ page, baseUrl }) => {
    const program = "source slow = [1, 2, 3] every 20s\n\ncollect(slow)\n";
    await openDemo(page, baseUrl, { program, clock: "virtual" });
    const started = Date.now();
    const report = await runToEnd(page);
    assert.ok(Date.now() - started < 5_000, "a virtual minute is instant");
    assert.equal(report.idealMs, 60_000);
    const shown = await drawn(page);
    assert.deepEqual(
      shown.ideals.map((i) => i.t),
      [60_000],
    );
    assert.ok(Math.abs(shown.ideals[0].x - shown.ideals[0].expectedX) <= 1, "the ideal line sits at xOf(60000)");
    assert.match(shown.readout, /elapsed 60\.00 s · ideal 60\.00 s · overhead \+0\.0 %/);
    assertMarkersMatch(report, shown);
  },

  "hovering or focusing a marker shows its time and value": async ({ page, baseUrl }) => {
    await openDemo(page, baseUrl, { example: "gather", clock: "virtual" });
    await runToEnd(page);
    const marker = page.locator('timeline-view circle[data-kind="value"][data-t="2000"][data-value="20"]');
    assert.equal(await marker.getAttribute("aria-label"), "collect(afeat1): value 20 at 2.00 s");
    assert.equal(await marker.getAttribute("tabindex"), "0");
    assert.equal(await marker.locator("title").textContent(), "collect(afeat1): value 20 at 2.00 s");
    const tooltip = page.locator("timeline-view .tooltip");
    await marker.hover();
    await tooltip.waitFor({ state: "visible" });
    assert.match(await tooltip.textContent(), /collect\(afeat1\)value 20at 2\.00 s/);
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: "hidden" });

    const other = page.locator('timeline-view circle[data-kind="value"][data-value="5000"]');
    await other.focus();
    await tooltip.waitFor({ state: "visible" });
    assert.match(await tooltip.textContent(), /collect\(afeat2\)value 5000at 3\.00 s/);
    await page.keyboard.press("Escape");
    await tooltip.waitFor({ state: "hidden" });
  },

  "compare: the previous run against this one, as a bar chart": async ({ page, baseUrl, screenshot }) => {
    await openDemo(page, baseUrl, { example: "sequential", clock: "virtual" });
    await runToEnd(page);
    await page.selectOption("#example", "gather");
    await runToEnd(page);
    const text = await page.locator("timeline-view .compare-text").textContent();
    assert.equal(text, "sequential 6.0 s vs gather 3.0 s, 2.0×");
    assert.equal(await page.locator("timeline-view .compare-chart rect.compare-bar").count(), 2);
    const widths = await page
      .locator("timeline-view .compare-chart rect.compare-bar")
      .evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute("width"))));
    assert.ok(Math.abs(widths[0] / widths[1] - 2) < 0.02, `bars 2:1, got ${widths}`);
    await screenshot("timeline-compare");
  },

  "an error and a cancellation are marked at the end of their lanes": async ({ page, baseUrl }) => {
    await openDemo(page, baseUrl, { example: "gather-error", clock: "virtual" });
    await runToEnd(page);
    const error = page.locator('timeline-view [data-kind="error"]');
    assert.equal(await error.count(), 1);
    assert.equal(await error.evaluate((mark) => mark.firstChild.textContent), "✕");
    assert.match(await error.getAttribute("aria-label"), /collect\(flaky\): failed with connection reset at 2\.00 s/);
    await page.selectOption("#example", "race");
    await runToEnd(page);
    assert.equal(await page.locator('timeline-view [data-kind="cancel"]').count(), 1, "the slower mirror is cancelled");
  },

  "a timer warning from the report is shown next to the readout": async ({ page, baseUrl }) => {
    await openDemo(page, baseUrl, { program: GATHER_100MS, clock: "real" });
    const report = await runToEnd(page);
    // A throttled tab cannot be staged in a test; the element shows whatever the report says.
    const warning = "3 timer(s) fired 50 ms or more late (worst 1012 ms): the tab was throttled";
    const notes = await page.evaluate(
      ({ report, warning }) => {
        const tl = document.querySelector("timeline-view");
        tl.finish({
          ...report,
          timers: { ...report.timers, count: 6, meanLateMs: 0.42, maxLateMs: 1012, over50ms: 3, warning },
        });
        return [...tl.shadowRoot.querySelectorAll(".notes p")].map((p) => p.textContent);
      },
      { report, warning },
    );
    assert.deepEqual(notes.slice(0, 2), [warning, "6 timers fired 0.4 ms late on average, worst 1.01 s"]);
  },

  "labels are text, never markup": async ({ page, baseUrl }) => {
    const program = 'source a = [1] every 10ms\n\n"<img src=x onerror=window.pwned=1>": collect(a)\n';
    await openDemo(page, baseUrl, { program, clock: "virtual" });
    await runToEnd(page);
    const found = await page.evaluate(() => {
      const root = document.querySelector("timeline-view").shadowRoot;
      return { images: root.querySelectorAll("img").length, text: root.textContent, pwned: window.pwned ?? null };
    });
    assert.equal(found.images, 0);
    assert.equal(found.pwned, null);
    assert.ok(found.text.includes("<img src=x onerror=window.pwned=1>"), "the label is shown as typed");
  },

  "a fan-out past the row cap is summarised": async ({ page, baseUrl }) => {
    const program = "source afeat1 = [10, 20, 40] every 1s\n\ngather(200 * sum(afeat1))\n";
    await openDemo(page, baseUrl, { program, clock: "virtual" });
    const report = await runToEnd(page);
    assert.equal(report.lanes.length, 201);
    const shown = await drawn(page);
    assert.equal(shown.lanes.length, 150, "rows are capped");
    assert.match(shown.notes, /\+51 lanes and 153 events not shown/);
    for (const marker of shown.markers) assert.ok(Math.abs(marker.cx - marker.expectedX) <= 1);
  },

  "theme: dark from prefers-color-scheme, or from an ancestor theme attribute": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await openDemo(page, baseUrl, { example: "blocking", clock: "virtual" });
    await runToEnd(page);
    const background = () =>
      page.evaluate(
        () =>
          getComputedStyle(document.querySelector("timeline-view").shadowRoot.querySelector(".frame")).backgroundColor,
      );
    assert.equal(await background(), "rgb(20, 23, 28)");
    await screenshot("timeline-dark");
    // An ancestor's theme wins over the media query, and is followed when it changes.
    await page.evaluate(() => document.querySelector("main").setAttribute("theme", "light"));
    await waitFor(async () => (await background()) === "rgb(255, 255, 255)", {
      message: "light theme from <main theme>",
    });
    await page.evaluate(() => document.querySelector("timeline-view").setAttribute("theme", "dark"));
    await waitFor(async () => (await background()) === "rgb(20, 23, 28)", { message: "own theme attribute wins" });
  },

  "at 375 px wide the plot scrolls and labels stay in view": async ({ page, baseUrl, screenshot }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await openDemo(page, baseUrl, { example: "timeout", clock: "virtual" });
    const report = await runToEnd(page);
    const layout = await page.evaluate(() => {
      const tl = document.querySelector("timeline-view");
      const viewport = tl.shadowRoot.querySelector(".viewport");
      return {
        pageWidth: document.documentElement.scrollWidth,
        hostWidth: tl.getBoundingClientRect().width,
        viewportWidth: viewport.clientWidth,
        labels: [...tl.shadowRoot.querySelectorAll("[data-lane-label]")].map(
          (t) => t.getComputedTextLength() + Number(t.getAttribute("x")),
        ),
        labelWidth: Number(tl.shadowRoot.querySelector("svg.labels").getAttribute("width")),
      };
    });
    assert.ok(layout.pageWidth <= 375, `no page-wide horizontal scroll (${layout.pageWidth})`);
    assert.ok(layout.hostWidth <= 375);
    for (const right of layout.labels)
      assert.ok(right <= layout.labelWidth, `label fits its column (${right} > ${layout.labelWidth})`);
    assertMarkersMatch(report, await drawn(page));
    await screenshot("timeline-375px");
  },
};
