// tutorial.html: several live playgrounds on one page, each independent.
import { assert, waitFor } from "./harness.mjs";
import { RESULT_ROWS, open, resultsOf, statusOf, waitForRunEnd } from "./playground-helpers.mjs";

const busy = (scope) => scope.evaluate((el) => el.hasAttribute("running"));

export const tests = {
  "running one embed leaves the others untouched": async ({ page, baseUrl, screenshot }) => {
    await open(page, baseUrl, "tutorial.html");
    const ids = await page.locator("async-playground").evaluateAll((els) => els.map((e) => e.id));
    assert.ok(ids.length >= 4, `only ${ids.length} playgrounds on the tutorial`);
    const before = {};
    for (const id of ids) before[id] = await page.locator(`#${id}`).locator("#code").inputValue();

    const aggregators = page.locator("#aggregators");
    await aggregators.locator("#run").click();
    const rows = await waitForRunEnd(aggregators);
    assert.deepEqual(
      rows.map((r) => [r.label, r.value]),
      [
        ["sum", "70"],
        ["all at once", "[70, 5000, {count: 3, min: 50, max: 5000, mean: 1850}]"],
      ],
    );
    for (const id of ids.filter((id) => id !== "aggregators")) {
      const other = page.locator(`#${id}`);
      assert.equal(await other.locator(RESULT_ROWS).count(), 0, `#${id} got results`);
      assert.equal(await busy(other), false, `#${id} is running`);
      assert.equal(await other.locator("#code").inputValue(), before[id], `#${id} text changed`);
      assert.doesNotMatch(await statusOf(other), /Running|Done|Stopped/, `#${id} status changed`);
    }
    await screenshot("tutorial");
  },

  "two embeds run at once; stopping one does not stop the other": async ({ page, baseUrl, screenshot }) => {
    await open(page, baseUrl, "tutorial.html");
    const gather = page.locator("#gather");
    const blocking = page.locator("#blocking");
    await gather.locator("#run").click();
    await blocking.locator("#run").click();
    // Both are under way together.
    assert.equal(await busy(gather), true);
    const rows = await waitForRunEnd(blocking);
    assert.deepEqual(
      rows.map((r) => r.state),
      ["done", "done"],
    );
    assert.equal(await busy(gather), true, "finishing one embed ended the other");
    // Escape inside one playground stops only that one.
    await gather.locator("#code").press("Escape");
    const [stopped] = await waitForRunEnd(gather);
    assert.equal(stopped.state, "stopped");
    assert.deepEqual(
      (await resultsOf(blocking)).map((r) => r.state),
      ["done", "done"],
    );
    await waitFor(async () => /stopped/i.test(await statusOf(gather)), { message: "the stopped status" });
    await screenshot("tutorial-two-runs");
  },

  "the tail lesson: Run ×1000 shows the 100-call p50 at 2 s, and the hedge brings it to 250 ms": {
    timeout: 90_000,
    run: async ({ page, baseUrl, screenshot }) => {
      await open(page, baseUrl, "tutorial.html");
      const percentiles = async (id) => {
        const scope = page.locator(`#${id}`);
        await scope.locator("seed-histogram #count").selectOption("1000");
        await scope.locator("seed-histogram #run-many").click();
        await waitFor(
          async () => /^1,000 seeds in/.test(await scope.locator("seed-histogram .progress").textContent()),
          {
            timeout: 60_000,
            message: `Run ×1000 of #${id}`,
          },
        );
        return scope.locator("seed-histogram .percentiles").allTextContents();
      };
      const tail = await percentiles("tail");
      assert.match(tail[0], /^p50 100 ms · /);
      assert.match(tail[2], /^p50 2\.00 s · /);
      const hedge = await percentiles("hedge");
      assert.match(hedge[0], /^p50 2\.00 s · /);
      assert.match(hedge[1], /^p50 250 ms · p90 250 ms · /);
      assert.match(hedge[2], /^p50 300 ms · p90 300 ms · p99 300 ms · max 300 ms$/);
      await page.locator("#hedge").scrollIntoViewIfNeeded();
      await screenshot("tutorial-tail-lesson");
    },
  },
};
