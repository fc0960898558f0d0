// The element's JS API as www/CONVENTIONS.md states it: reflected properties
// for every attribute, run-start and run-end events carrying the report.
import { assert } from "./harness.mjs";
import { open, playground, setCode } from "./playground-helpers.mjs";

export const tests = {
  "properties reflect their attributes, and a run fires run-start then run-end with the report": async ({
    page,
    baseUrl,
  }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, "sum([1, 2, 3] every 10ms)\n");
    const got = await pg.evaluate(async (el) => {
      const reflected = {};
      el.clock = "virtual";
      reflected.clock = [el.getAttribute("clock"), el.clock];
      el.readonly = true;
      reflected.readonly = [el.hasAttribute("readonly"), el.readonly];
      el.readonly = false;
      reflected.readonlyOff = el.hasAttribute("readonly");
      el.theme = "dark";
      reflected.theme = [el.getAttribute("theme"), el.theme];
      el.theme = null;
      reflected.themeOff = el.hasAttribute("theme");
      el.speed = "instant";
      reflected.speed = el.getAttribute("speed");
      const seen = [];
      el.addEventListener("run-start", (e) => seen.push(["run-start", e.detail.clock]));
      const ended = new Promise((resolve) =>
        el.addEventListener(
          "run-end",
          (e) => {
            seen.push(["run-end", e.detail.report?.statements?.[0]?.result?.text, e.composed, e.bubbles]);
            resolve();
          },
          { once: true },
        ),
      );
      const report = await el.run();
      await ended;
      return { reflected, seen, elapsed: report.elapsedMs };
    });
    assert.deepEqual(got.reflected.clock, ["virtual", "virtual"]);
    assert.deepEqual(got.reflected.readonly, [true, true]);
    assert.equal(got.reflected.readonlyOff, false);
    assert.deepEqual(got.reflected.theme, ["dark", "dark"]);
    assert.equal(got.reflected.themeOff, false);
    assert.equal(got.reflected.speed, "instant");
    assert.deepEqual(got.seen, [
      ["run-start", "virtual"],
      ["run-end", "6", true, true],
    ]);
    assert.equal(got.elapsed, 30);
  },
};
