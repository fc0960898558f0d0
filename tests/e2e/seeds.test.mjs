// Run ×N (<seed-histogram> inside <async-playground>) on the release build:
// histograms and percentiles of the fan-out lesson, a bar opening its seed's
// run in the timeline, and Stop during a long batch.
import { assert, waitFor } from "./harness.mjs";
import { open, playground, resultsOf, statusOf, waitForRunEnd } from "./playground-helpers.mjs";

/** Picks an example with the picker, as a user would. */
async function chooseExample(pg, name) {
  await pg.locator("#example").selectOption(name);
  await waitFor(async () => (await pg.locator("#code").inputValue()).includes("spike 1%"), {
    message: `the ${name} example to load`,
  });
}

const progressOf = async (pg) => (await pg.locator("seed-histogram .progress").textContent()).trim();
const isRunning = (pg) => pg.locator("seed-histogram").evaluate((el) => el.hasAttribute("running"));

/** Each statement's label, percentile line and bars (count and seed). */
function shown(pg) {
  return pg.locator("seed-histogram .statement").evaluateAll((items) =>
    items.map((item) => ({
      label: item.querySelector(".label").title,
      percentiles: item.querySelector(".percentiles").textContent,
      bars: [...item.querySelectorAll("rect.bin")].map((r) => ({
        seed: Number(r.dataset.seed),
        label: r.getAttribute("aria-label"),
      })),
    })),
  );
}

export const tests = {
  "Run ×1000 of the fan-out lesson shows histograms and percentiles; a bar opens its seed in the timeline": {
    timeout: 90_000,
    run: async ({ page, baseUrl, screenshot }) => {
      await open(page, baseUrl);
      const pg = playground(page);
      // Fixed delays: every seed gives the same run, so Run ×N is not offered.
      assert.equal(await pg.locator("seed-histogram").isVisible(), false);
      await chooseExample(pg, "fanout-tail");
      await waitFor(() => pg.locator("seed-histogram").isVisible(), { message: "Run ×N to show for random delays" });
      await pg.locator("seed-histogram #count").selectOption("1000");
      await pg.locator("seed-histogram #run-many").click();
      await waitFor(async () => !(await isRunning(pg)) && /^1,000 seeds in/.test(await progressOf(pg)), {
        timeout: 60_000,
        message: "Run ×1000 to finish",
      });
      const statements = await shown(pg);
      assert.deepEqual(
        statements.map((s) => s.label),
        ["1 call", "10 calls", "100 calls"],
      );
      // The lesson: one call's p50 is 100 ms, the 100-call gather's p50 is the 2 s spike.
      assert.match(statements[0].percentiles, /^p50 100 ms · p90 100 ms · p99 100 ms · max 2\.00 s$/);
      assert.match(statements[2].percentiles, /^p50 2\.00 s · p90 2\.00 s · p99 2\.00 s · max 2\.00 s$/);
      for (const s of statements) assert.ok(s.bars.length >= 1, `${s.label} has bars`);
      // The 100-call histogram has a fast bar (no spike) and a slow one (a spike).
      const hundred = statements[2].bars;
      assert.ok(hundred.length >= 2, `100 calls: ${JSON.stringify(hundred)}`);
      assert.match(hundred[0].label, /took 100 ms–/);
      assert.match(hundred[hundred.length - 1].label, /–2\.00 s; open seed \d+$/);
      await screenshot("seeds-fanout-tail");

      // The slow bar's seed: its run takes 2 s for 100 calls; the fast bar's, 100 ms.
      for (const [bar, elapsed] of [
        [hundred[hundred.length - 1], 2000],
        [hundred[0], 100],
      ]) {
        // The seed's own run: the rows on screen until it starts are the last run's.
        const ended = pg.evaluate(
          (el) => new Promise((resolve) => el.addEventListener("run-end", resolve, { once: true })),
        );
        await pg.locator(`seed-histogram .statement[data-statement="2"] rect.bin[data-seed="${bar.seed}"]`).click();
        await ended;
        const rows = await waitForRunEnd(pg, { timeout: 30_000 });
        assert.equal(rows[2].label, "100 calls");
        assert.equal(rows[2].elapsedMs, elapsed, `seed ${bar.seed}`);
        await waitFor(async () => (await statusOf(pg)).startsWith(`Seed ${bar.seed}: Done`), {
          message: "the status to name the seed",
        });
        assert.equal(
          await pg.evaluate((el) => el.clock),
          "virtual",
          "the clock switch shows the seed ran on virtual time",
        );
        // The timeline shows that run: a lane per task, with value markers.
        await waitFor(
          async () =>
            (await pg
              .locator("timeline-view")
              .evaluate((el) => el.shadowRoot.querySelectorAll("svg.plot g[data-lane]").length)) > 100,
          { timeout: 20_000, message: "the timeline to draw the seed" },
        );
      }
      // Same seed, same run: the slow seed again gives the same results.
      const ended = pg.evaluate(
        (el) => new Promise((resolve) => el.addEventListener("run-end", resolve, { once: true })),
      );
      await pg
        .locator(
          `seed-histogram .statement[data-statement="2"] rect.bin[data-seed="${hundred[hundred.length - 1].seed}"]`,
        )
        .click();
      await ended;
      const again = await waitForRunEnd(pg, { timeout: 30_000 });
      assert.equal(again[2].elapsedMs, 2000);
      await screenshot("seeds-opened-seed");
    },
  },

  "Stop ends a long Run ×N batch, keeping what ran, and the page stays responsive": {
    timeout: 90_000,
    run: async ({ page, baseUrl }) => {
      await open(page, baseUrl);
      const pg = playground(page);
      await chooseExample(pg, "hedge-tail");
      await pg.locator("seed-histogram #count").selectOption("10000");
      // Count animation frames during the batch: slices must give the page turns.
      await page.evaluate(() => {
        window.frames_ = 0;
        const tick = () => {
          window.frames_++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await pg.locator("seed-histogram #run-many").click();
      await waitFor(async () => /seeds…$/.test(await progressOf(pg)), { timeout: 20_000, message: "progress" });
      const framesBefore = await page.evaluate(() => window.frames_);
      await new Promise((r) => setTimeout(r, 1000));
      // The page answers while the batch runs (slices of ~30 ms; loose bounds for a loaded machine).
      const asked = Date.now();
      const frames = (await page.evaluate(() => window.frames_)) - framesBefore;
      assert.ok(Date.now() - asked < 1000, `the page took ${Date.now() - asked} ms to answer`);
      assert.ok(frames >= 3, `only ${frames} frames in 1 s during the batch`);
      assert.equal(await isRunning(pg), true, "the batch is still running");
      await pg.locator("seed-histogram #stop-many").click();
      await waitFor(async () => !(await isRunning(pg)), { timeout: 5_000, message: "the batch to stop" });
      const match = (await progressOf(pg)).match(/^Stopped after ([\d,]+) seeds\.$/);
      assert.ok(match, `progress: ${await progressOf(pg)}`);
      const runs = Number(match[1].replaceAll(",", ""));
      assert.ok(runs > 0 && runs < 10000, `stopped after ${runs}`);
      const statements = await shown(pg);
      assert.equal(statements.length, 3);
      assert.ok(
        statements.every((s) => s.bars.length > 0),
        "the runs so far are shown",
      );
      // The playground is idle and can run again.
      assert.equal(await pg.locator("seed-histogram #run-many").isEnabled(), true);
      const rows = await resultsOf(pg);
      assert.equal(rows.length, 0, "Run ×N does not touch the single-run results");
    },
  },
};
