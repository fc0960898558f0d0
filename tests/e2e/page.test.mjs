// The playground page: running, errors at their line, stopping, the virtual
// clock, keyboard use, narrow and dark layouts.
import { assert, onTimeWithin, waitFor } from "./harness.mjs";
import {
  GATHER_100MS,
  RESULT_ROWS,
  STATUS,
  chooseClock,
  codeOf,
  open,
  playground,
  resultsOf,
  runAndWait,
  setCode,
  statusOf,
  waitForRunEnd,
} from "./playground-helpers.mjs";

export const tests = {
  "the gather example runs and shows its result and elapsed vs ideal": async ({ page, baseUrl, screenshot }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    assert.equal(await pg.locator("#example").inputValue(), "gather");
    assert.match(await codeOf(pg), /gather\(collect\(afeat1\), collect\(afeat2\)\)/);

    await setCode(pg, GATHER_100MS);
    const row = await onTimeWithin(3, async () => {
      const [row] = await runAndWait(pg);
      assert.ok(row.elapsedMs >= 300, `elapsed ${row.elapsedMs} ms, under the ideal 300 ms`);
      return { result: row, late: row.elapsedMs < 450 ? "" : `elapsed ${row.elapsedMs} ms, not under 450 ms` };
    });
    assert.equal(row.state, "done");
    assert.equal(row.label, "gather");
    assert.equal(row.value, "[[10, 20, 40], [50, 500, 5000]]");
    assert.equal(row.idealMs, 300);
    assert.match(row.timing, /^\d+ ms \(ideal 300 ms, \+\d+\.\d %\)$/);
    assert.match(await statusOf(pg), /^Done in \d+ ms\.$/);

    // The timeline belongs to another module; when it is there it got the events.
    const timeline = await pg.locator("timeline-view").evaluate((el) => ({
      defined: customElements.get("timeline-view") !== undefined,
      drawn: (el.shadowRoot ?? el).querySelectorAll("svg *").length,
    }));
    if (timeline.defined) assert.ok(timeline.drawn > 0, "the timeline drew nothing");
    await screenshot("page-gather");
  },

  "an error shows at its line and column, nothing runs; fixed, it runs; edited, it runs again": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, "source a = [1, 2, 3] every 100ms\nsum(b)\n");
    const diagnostic = pg.locator(".diagnostic").first();
    await diagnostic.waitFor();
    assert.equal(await diagnostic.textContent(), "2:5 unknown source 'b'");
    // The gutter marks line 2 and a band lies behind it.
    assert.deepEqual(await pg.locator(".gutter-rows > .has-error").allTextContents(), ["2"]);
    assert.equal(await pg.locator(".error-band").count(), 1);

    await pg.locator("#run").click();
    assert.match(await statusOf(pg), /^Not run: 1 error/);
    assert.equal(await pg.locator(RESULT_ROWS).count(), 0, "a program with errors must not run");
    assert.equal(await pg.evaluate((el) => el.hasAttribute("running")), false);

    // Activating the diagnostic puts the caret on the error.
    await diagnostic.click();
    const caret = await pg.locator("#code").evaluate((t) => [t.selectionStart, t.selectionEnd]);
    assert.deepEqual(caret, [37, 37]);
    await screenshot("page-error");

    await setCode(pg, "source a = [1, 2, 3] every 100ms\nsum(a)\n");
    await waitFor(async () => (await pg.locator(".diagnostic").count()) === 0, { message: "the error to clear" });
    const [row] = await runAndWait(pg);
    assert.equal(row.value, "6");

    await setCode(pg, 'source a = [1, 2, 3] every 100ms\n"largest": max(a)\n"mean": mean(a)\n');
    const rows = await runAndWait(pg);
    assert.deepEqual(
      rows.map((r) => [r.label, r.value]),
      [
        ["largest", "3"],
        ["mean", "2"],
      ],
    );
  },

  "Stop mid-way: the status says stopped and the unfinished statement has no result": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(
      pg,
      [
        "source quick = [1, 2] every 50ms",
        "source slow = [10, 20, 40] every 1s",
        '"quick": sum(quick)',
        '"slow": gather(collect(slow), collect(slow))',
      ].join("\n"),
    );
    await pg.locator("#run").click();
    await waitFor(async () => (await resultsOf(pg))[1]?.state === "running", {
      message: "the slow statement to start",
    });
    await page.waitForTimeout(300);
    await pg.locator("#stop").click();
    const rows = await waitForRunEnd(pg);
    assert.match(await statusOf(pg), /stopped/i);
    assert.equal(rows[0].value, "3");
    assert.equal(rows[1].state, "stopped");
    assert.equal(rows[1].value, "stopped");
    assert.doesNotMatch(rows[1].value, /\d/, "no result for the unfinished statement");
    assert.equal(await pg.locator("#stop").isDisabled(), true);
    await screenshot("page-stopped");
  },

  "virtual clock: a 60 s program finishes at once with its ideal 60 s": async ({ page, baseUrl, screenshot }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, 'source slow = [1, 2, 3] every 20s\n"one minute": sum(slow)\n');
    await chooseClock(pg, "virtual");
    assert.equal(await pg.getAttribute("clock"), "virtual");
    assert.equal(await pg.locator("#speed").isEnabled(), true);
    const t0 = Date.now();
    await pg.locator("#run").click();
    await waitFor(async () => (await resultsOf(pg))[0]?.state === "done", { message: "the result" });
    const wall = Date.now() - t0;
    assert.ok(wall < 2000, `took ${wall} ms of wall time`);
    const [row] = await resultsOf(pg);
    assert.equal(row.value, "6");
    assert.equal(row.idealMs, 60000);
    assert.equal(row.timing, "60.00 s (ideal 60.00 s, +0.0 %)");
    // The timeline replays at 1×; Escape skips to the end.
    await pg.locator("#code").press("Escape");
    await waitFor(async () => !(await pg.evaluate((el) => el.hasAttribute("running"))), {
      message: "the replay to stop",
    });
    await screenshot("page-virtual");
  },

  "keyboard only: Tab reaches the editor, Ctrl+Enter runs, Escape stops": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, "source slow = [1, 2, 3] every 1s\nsum(slow)\n");
    await page.locator("body").focus();
    const deepFocus = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.id || el?.tagName;
      });
    let presses = 0;
    while ((await deepFocus()) !== "code") {
      assert.ok(++presses < 30, "Tab never reached the editor");
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Control+Enter");
    assert.equal(
      await codeOf(pg),
      "source slow = [1, 2, 3] every 1s\nsum(slow)\n",
      "Ctrl+Enter must not insert a newline",
    );
    await waitFor(async () => (await resultsOf(pg))[0]?.state === "running", { message: "Ctrl+Enter to start a run" });
    await page.keyboard.press("Escape");
    await waitForRunEnd(pg);
    assert.match(await statusOf(pg), /stopped/i);

    // Every control has a name a screen reader can read.
    const unnamed = await pg.evaluate((host) =>
      [...host.shadowRoot.querySelectorAll("button, select, input, textarea")]
        .filter((c) => !(c.getAttribute("aria-label") || c.labels?.length || c.textContent.trim()))
        .map((c) => c.outerHTML),
    );
    assert.deepEqual(unnamed, []);
    assert.equal(await pg.locator(STATUS).getAttribute("aria-live"), "polite");
  },

  "Format rewrites the text canonically and keeps errors visible when it cannot": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, "source a = [1,2]   every 1000ms\n\n\nsum( a )");
    await pg.locator("#format").click();
    assert.equal(await codeOf(pg), "source a = [1, 2] every 1s\n\nsum(a)\n");
    await setCode(pg, "sum(nope)");
    await pg.locator("#format").click();
    assert.equal(await codeOf(pg), "sum(nope)");
    assert.match(await statusOf(pg), /Cannot format/);
    assert.match(await pg.locator(".diagnostic").first().textContent(), /^1:5 /);
  },

  "one click compares the run with the previous one: sequential vs gather": async ({ page, baseUrl, screenshot }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    const compare = pg.locator("#compare");
    await setCode(pg, GATHER_100MS.replace("gather(", "sequential("));
    await runAndWait(pg);
    assert.equal(await compare.isVisible(), false, "nothing to compare after one run");
    await setCode(pg, GATHER_100MS);
    await runAndWait(pg);
    if (!(await pg.evaluate(() => typeof customElements.get("timeline-view")?.prototype.compare === "function")))
      return;
    await compare.click();
    // Real timers on a loaded machine stretch either run by chance (600 vs 300
    // ms ideal went to 2.5× at load 10), so here: never under the ideal, and
    // the ratio is the one of the two times shown.
    const status = await statusOf(pg);
    const shown = status.match(/^sequential (\d+ ms|\d+\.\d s) vs gather (\d+ ms|\d+\.\d s), (\d+\.\d)×\.$/);
    assert.ok(shown, status);
    const ms = (text) => (text.endsWith(" s") ? Number.parseFloat(text) * 1000 : Number.parseInt(text, 10));
    const [sequentialMs, gatherMs, ratio] = [ms(shown[1]), ms(shown[2]), Number(shown[3])];
    assert.ok(sequentialMs >= 600 && gatherMs >= 300, status);
    // Times are shown to the ms (to 0.1 s from 1 s on), the ratio to 0.1.
    const rounding = (t) => (t >= 1000 ? 50 : 0.5) / t;
    const slack = (sequentialMs / gatherMs) * (rounding(sequentialMs) + rounding(gatherMs)) + 0.05 + 1e-9;
    assert.ok(Math.abs(ratio - sequentialMs / gatherMs) <= slack, status);
    const sentence = await pg
      .locator("timeline-view")
      .evaluate((el) => el.shadowRoot.querySelector(".compare-text")?.textContent ?? "");
    assert.equal(`${sentence}.`, status);
    await screenshot("page-compare");

    // On the virtual clock the runs take their ideal times exactly: 2.0×.
    await chooseClock(pg, "virtual");
    await pg.locator("#speed").selectOption("instant");
    await setCode(pg, GATHER_100MS.replace("gather(", "sequential("));
    await runAndWait(pg);
    await setCode(pg, GATHER_100MS);
    await runAndWait(pg);
    await compare.click();
    assert.equal(await statusOf(pg), "sequential 600 ms vs gather 300 ms, 2.0×.");
  },

  "attributes configure a new element, and quick links load examples": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    await page.locator('a[href="#example/race"]').click();
    const main = playground(page);
    await waitFor(async () => (await main.locator("#example").inputValue()) === "race", {
      message: "the race example",
    });
    assert.match(await codeOf(main), /race\(first\(mirror1\), first\(mirror2\)\)/);

    await page.evaluate(() => {
      const el = document.createElement("async-playground");
      el.id = "extra";
      for (const [k, v] of Object.entries({ src: "examples/limit.apg", height: "200px", theme: "dark", readonly: "" }))
        el.setAttribute(k, v);
      document.body.append(el);
    });
    const extra = page.locator("#extra");
    await extra.scrollIntoViewIfNeeded(); // it loads the engine when near the viewport
    await extra.and(page.locator('[data-ready="true"]')).waitFor();
    assert.match(await codeOf(extra), /^# title: Limit/);
    assert.equal(await extra.locator(".editor").evaluate((e) => e.getBoundingClientRect().height), 200);
    const background = await extra.locator(".playground").evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(background, "rgb(24, 28, 34)", 'theme="dark" on a light page');
    assert.equal(await extra.locator("#code").evaluate((t) => t.readOnly), true);
    await extra.evaluate((el) => el.removeAttribute("readonly"));
    assert.equal(await extra.locator("#code").evaluate((t) => t.readOnly), false);
    await extra.evaluate((el) => el.setAttribute("clock", "virtual"));
    assert.equal(await extra.locator('input[name="clock"][value="virtual"]').isChecked(), true);
    assert.equal(await main.getAttribute("clock"), null, "the other element is unaffected");
  },

  "at 375 px wide and in dark mode the page fits and stays readable": async ({ page, baseUrl, screenshot }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, GATHER_100MS);
    await chooseClock(pg, "virtual");
    await pg.locator("#speed").selectOption("instant");
    await runAndWait(pg);
    await pg.locator("#code").press("Control+Home");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    await screenshot("page-375px");

    await page.emulateMedia({ colorScheme: "dark" });
    const background = await pg.locator(".playground").evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = background.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `the playground is not dark: ${background}`);
    await screenshot("page-375px-dark");
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot("page-dark");
  },

  "a fan-out of 100 000 tasks runs and shows a short result, not 100 000 elements": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, "source a = [10, 20, 40] every 100ms\n\ngather(100000 * sum(a))");
    const [row] = await runAndWait(pg, { timeout: 30_000 });
    assert.equal(row.state, "done");
    assert.ok(row.value.startsWith("[70, 70, "), row.value.slice(0, 40));
    assert.ok(row.value.endsWith(", … 99900 more]"), row.value.slice(-40));
    assert.equal(row.idealMs, 300);
    const spans = await pg.locator(`${RESULT_ROWS} .result-value span`).count();
    assert.ok(spans <= 110, `${spans} elements for one result`);
  },
};
