// The Python view: the export of the program as edited, live; the
// script/notebook switch; copy; diagnostics instead of code while the program
// has errors, with Python habits explained at their line and column.
import { assert, waitFor } from "./harness.mjs";
import { open, playground, setCode } from "./playground-helpers.mjs";

/** Opens the Python view of `pg` and returns a function reading its code. */
async function openPython(pg) {
  const view = pg.locator("python-view");
  await view.locator("summary").click();
  return {
    view,
    code: () => view.evaluate((el) => el.code),
    errors: () => view.locator(".errors li").allTextContents(),
  };
}

export const tests = {
  "the Python view shows the export of the edited program, in both styles": async ({ page, baseUrl, screenshot }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    const python = await openPython(pg);
    await setCode(pg, "source feed = [10, 20, 40] every 100ms\nsum(feed)\n");
    await waitFor(async () => (await python.code()).includes("async def feed():"), {
      message: "the export of the edited program",
    });
    const script = await python.code();
    assert.match(
      script,
      /async def feed\(\):\n {4}for value in \[10, 20, 40\]:\n {8}await asyncio\.sleep\(0\.1\)\n {8}yield value\n/,
    );
    assert.match(script, /await report\("", total\(feed\(\)\)\)/);
    assert.ok(script.endsWith("asyncio.run(main())\n"), "a script starts the loop with asyncio.run");

    // Edited again: the view follows.
    await setCode(pg, "race(first([1] every 50ms), first([2] every 60ms))\n");
    await waitFor(async () => (await python.code()).includes("FIRST_COMPLETED"), { message: "the race export" });

    await python.view.locator('input[value="notebook"]').check();
    const notebook = await python.code();
    assert.ok(notebook.endsWith("await main()\n"), "a notebook cell awaits main()");
    assert.match(notebook, /cannot be called from a running event loop/);
    assert.match(await python.view.locator(".note").textContent(), /Jupyter's event loop is already running/);
    await screenshot("python-view");
  },

  "copy puts the Python on the clipboard": async ({ page, baseUrl, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await open(page, baseUrl);
    const pg = playground(page);
    const python = await openPython(pg);
    await setCode(pg, "gather(sum([1, 2] every 10ms), max([3]))\n");
    // This program's own export (the example shown before it gathers too).
    await waitFor(async () => (await python.code()).includes("paced([1, 2], every=0.01)"), {
      message: "the gather export",
    });
    const copied = page.evaluate(
      () =>
        new Promise((resolve) => {
          document.addEventListener("python-copied", (e) => resolve(e.detail.text), { once: true });
        }),
    );
    await python.view.locator("button.copy").click();
    const code = await python.code();
    assert.equal(await copied, code);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
    assert.equal(await python.view.locator(".copied").textContent(), "Copied.");
  },

  "a Python habit shows its own message at its line and column, in the editor and the view": async ({
    page,
    baseUrl,
  }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    const python = await openPython(pg);
    await setCode(pg, "source afeat1 = [10, 20, 40] every 1s\nsum(afeat1())\n");
    const diagnostic = pg.locator(".diagnostic").first();
    await waitFor(
      async () => (await diagnostic.textContent()) === "2:5 no parentheses after a source name: write afeat1",
      {
        message: "the habit message in the problems list",
      },
    );
    assert.deepEqual(await python.errors(), ["2:5: no parentheses after a source name: write afeat1"]);
    assert.equal(await python.code(), "", "no stale code while the program has errors");

    await setCode(pg, "asyncio.gather(sum([1]))\n");
    await waitFor(
      async () => (await diagnostic.textContent()) === "1:1 'asyncio.gather(' is Python; here write gather(...)",
      {
        message: "the asyncio.gather message",
      },
    );
  },

  "an attribute hides the Python view": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    assert.equal(await pg.locator("python-view").isVisible(), true);
    await pg.evaluate((el) => el.setAttribute("no-python", ""));
    assert.equal(await pg.locator("python-view").isVisible(), false);
  },
};
