// No lost or stale work: drafts survive a reload (with a way back to the
// original), an example switch over edits can be undone, Format keeps
// comments, results and timeline go stale when they stop matching, the
// comparison clears when it stops describing the last two runs, and a
// malformed page hash falls back with a message.
import { assert, waitFor } from "./harness.mjs";
import {
  GATHER_100MS,
  chooseClock,
  codeOf,
  open,
  playground,
  runAndWait,
  setCode,
  statusOf,
} from "./playground-helpers.mjs";

const EDITED = 'source a = [1, 2, 3] every 10ms\n"mine": sum(a)';

/** What the page shows about staleness: the note, and whether results and timeline are dimmed. */
const staleness = (pg) =>
  pg.evaluate((el) => {
    const root = el.shadowRoot;
    const note = root.querySelector(".stale-note");
    return {
      note: note.hidden ? "" : note.textContent,
      results: root.querySelector(".results").classList.contains("stale"),
      timeline: root.querySelector(".timeline").classList.contains("stale"),
      opacity: Number(getComputedStyle(root.querySelector(".timeline")).opacity),
    };
  });

const noticeOf = (pg) =>
  pg.evaluate((el) => {
    const box = el.shadowRoot.querySelector(".notice");
    return box.hidden
      ? null
      : {
          text: box.querySelector(".notice-text").textContent,
          action: box.querySelector(".notice-action").textContent,
        };
  });

export const tests = {
  'a draft is restored after a reload, and "Revert to the original" brings the example back': async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await open(page, baseUrl, "index.html");
    const pg = playground(page);
    await pg.locator("#example").selectOption("race");
    const original = await codeOf(pg);
    await setCode(pg, EDITED);
    await open(page, baseUrl, "index.html");
    assert.equal(await codeOf(pg), EDITED, "the edit survived the reload");
    assert.deepEqual(await noticeOf(pg), {
      text: "Your draft from last time is restored.",
      action: "Revert to the original",
    });
    assert.equal(await pg.locator("#example").inputValue(), "race", "the picker names the example the draft came from");
    await screenshot("draft-restored");

    await pg.locator(".notice-action").click();
    assert.equal(await codeOf(pg), original, "reverted to the example the edits started from");
    assert.equal(await noticeOf(pg), null);
    assert.match(await statusOf(pg), /Back to the original program/);
    // Nothing is restored once back at the original.
    await open(page, baseUrl, "index.html");
    assert.equal(await noticeOf(pg), null);
    assert.doesNotMatch(await codeOf(pg), /"mine"/);
  },

  "drafts are kept per element: only the edited one of a tutorial page comes back": async ({ page, baseUrl }) => {
    await open(page, baseUrl, "tutorial.html");
    const all = page.locator("async-playground");
    const count = await all.count();
    assert.ok(count >= 2, `tutorial.html has ${count} playgrounds`);
    const before = [];
    for (let i = 0; i < count; i++) before.push(await codeOf(all.nth(i)));
    const editable = await all.evaluateAll((els) => els.map((el) => !el.hasAttribute("readonly")));
    const target = editable.lastIndexOf(true);
    assert.ok(target >= 0, "an editable playground");
    await setCode(all.nth(target), EDITED);
    await open(page, baseUrl, "tutorial.html");
    for (let i = 0; i < count; i++) {
      assert.equal(await codeOf(all.nth(i)), i === target ? EDITED : before[i], `playground ${i}`);
    }
  },

  "a link opens what it names; each link keeps its own draft": async ({ page, baseUrl }) => {
    await open(page, baseUrl, "index.html#example/race");
    const pg = playground(page);
    await setCode(pg, EDITED);
    await page.goto("about:blank");
    await open(page, baseUrl, "index.html#example/sequential");
    assert.match(await codeOf(pg), /sequential\(/, "another link: its own program, not the draft");
    assert.equal(await noticeOf(pg), null);
    await page.goto("about:blank");
    await open(page, baseUrl, "index.html#example/race");
    assert.equal(await codeOf(pg), EDITED, "the first link: its draft");
    await pg.locator(".notice-action").click();
    assert.match(await codeOf(pg), /race\(/);
  },

  "no localStorage (refused or full): editing, reloading and reverting never throw": async ({
    context,
    page,
    baseUrl,
  }) => {
    // A sandboxed iframe or disabled storage throws on access; a full quota throws on write.
    await context.addInitScript(() => {
      if (location.search.includes("refused")) {
        Object.defineProperty(window, "localStorage", {
          get() {
            throw new DOMException("The document is sandboxed", "SecurityError");
          },
        });
      } else {
        Storage.prototype.setItem = function setItem() {
          throw new DOMException("full", "QuotaExceededError");
        };
      }
    });
    for (const query of ["?refused", "?full"]) {
      await open(page, baseUrl, `index.html${query}`);
      const pg = playground(page);
      await setCode(pg, EDITED);
      await open(page, baseUrl, `index.html${query}`);
      assert.equal(await noticeOf(pg), null, `${query}: nothing to restore`);
      assert.match(await codeOf(pg), /gather/, `${query}: the default program`);
      await chooseClock(pg, "virtual");
      await pg.locator("#speed").selectOption("instant");
      const rows = await runAndWait(pg);
      assert.equal(rows[0].value, "[[10, 20, 40], [50, 500, 5000]]", `${query}: runs as usual`);
    }
  },

  "switching examples over edited code can be undone": async ({ page, baseUrl, screenshot }) => {
    await open(page, baseUrl, "index.html");
    const pg = playground(page);
    // No edits: a switch needs no undo.
    await pg.locator("#example").selectOption("sequential");
    assert.equal(await noticeOf(pg), null);
    await setCode(pg, EDITED);
    await pg.locator("#example").selectOption("race");
    assert.match(await codeOf(pg), /race\(/);
    const notice = await noticeOf(pg);
    assert.match(notice.text, /Your edited program was replaced by “.*”/);
    assert.equal(notice.action, "Undo");
    await screenshot("example-switch-undo");
    await pg.locator(".notice-action").click();
    assert.equal(await codeOf(pg), EDITED, "the edits are back");
    assert.equal(await pg.locator("#example").inputValue(), "sequential");
    // The edits are a draft again, reverting to the example they came from.
    await open(page, baseUrl, "index.html");
    assert.equal(await codeOf(pg), EDITED);
    await pg.locator(".notice-action").click();
    assert.match(await codeOf(pg), /sequential\(/);

    // Typing after a switch drops the offer: an undo would now lose the new typing.
    await setCode(pg, EDITED);
    await pg.locator("#example").selectOption("gather");
    assert.equal((await noticeOf(pg)).action, "Undo");
    await pg.locator("#code").press("End");
    await pg.locator("#code").type(" ");
    assert.equal(await noticeOf(pg), null);
  },

  "Format keeps every comment, lesson text included": async ({ page, baseUrl }) => {
    await open(page, baseUrl, "index.html");
    const pg = playground(page);
    const text = [
      "# Lesson: gather overlaps the waits.",
      "",
      "source a = [1,2]   every 100ms   # two values",
      "gather(sum(a), # the first",
      "  # the second",
      "  max( a ))",
      "# the end",
    ].join("\n");
    await setCode(pg, text);
    await pg.locator("#format").click();
    assert.equal(
      await codeOf(pg),
      [
        "# Lesson: gather overlaps the waits.",
        "",
        "source a = [1, 2] every 100ms  # two values",
        "",
        "gather(",
        "  sum(a),  # the first",
        "  # the second",
        "  max(a),",
        ")",
        "# the end",
        "",
      ].join("\n"),
    );
    assert.equal(await statusOf(pg), "Formatted.");
    // Formatting the formatted text changes nothing; an example keeps its header.
    const once = await codeOf(pg);
    await pg.locator("#format").click();
    assert.equal(await codeOf(pg), once);
    await pg.locator("#example").selectOption("io-aiohttp");
    const example = await codeOf(pg);
    await pg.locator("#format").click();
    const comments = (t) => t.split("\n").filter((l) => l.trim().startsWith("#"));
    assert.deepEqual(comments(await codeOf(pg)), comments(example));
  },

  "results and timeline are marked stale after an edit and after a failed run": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await open(page, baseUrl, "index.html");
    const pg = playground(page);
    await setCode(pg, GATHER_100MS);
    await chooseClock(pg, "virtual");
    await pg.locator("#speed").selectOption("instant");
    await runAndWait(pg);
    assert.deepEqual(await staleness(pg), { note: "", results: false, timeline: false, opacity: 1 });

    await pg.locator("#code").press("End");
    await pg.locator("#code").type("\nsum([1])");
    const edited = await staleness(pg);
    assert.match(edited.note, /The program has changed since this run/);
    assert.equal(edited.results && edited.timeline, true);
    await waitFor(async () => (await staleness(pg)).opacity < 0.6, { message: "the timeline to dim" });
    await screenshot("stale-after-edit");
    // Undoing the edit makes them current again.
    await setCode(pg, GATHER_100MS);
    assert.equal((await staleness(pg)).note, "");

    await runAndWait(pg);
    await setCode(pg, `${GATHER_100MS}\nsum(nope)`);
    await pg.locator("#run").click();
    await waitFor(async () => /Not run: 1 error/.test(await statusOf(pg)), { message: "the failed run" });
    const failed = await staleness(pg);
    assert.match(failed.note, /This run failed/);
    assert.equal(failed.results && failed.timeline, true);
    await screenshot("stale-after-failure");
    // Back at the text they came from, results and timeline are current again.
    await setCode(pg, GATHER_100MS);
    assert.equal((await staleness(pg)).note, "");
    // A good run of another program clears it too.
    await setCode(pg, GATHER_100MS.replace("gather", "sequential"));
    assert.match((await staleness(pg)).note, /changed/);
    await runAndWait(pg);
    assert.deepEqual(await staleness(pg), { note: "", results: false, timeline: false, opacity: 1 });
  },

  "the comparison clears after a later run and after Stop": async ({ page, baseUrl }) => {
    await open(page, baseUrl, "index.html");
    const pg = playground(page);
    await chooseClock(pg, "virtual");
    await pg.locator("#speed").selectOption("instant");
    const chartShown = () =>
      pg.locator("timeline-view").evaluate((tl) => !tl.shadowRoot.querySelector(".compare").hidden);
    const compareAfterTwoRuns = async () => {
      await setCode(pg, GATHER_100MS.replace("gather", "sequential"));
      await runAndWait(pg);
      await setCode(pg, GATHER_100MS);
      await runAndWait(pg);
      // A program with errors runs nothing: the last two runs are still the last two.
      await setCode(pg, "sum(nope)");
      await pg.locator("#run").click();
      await waitFor(async () => /Not run/.test(await statusOf(pg)), { message: "the refused run" });
      await pg.locator("#compare").click();
      assert.equal(await chartShown(), true, "the chart is drawn");
    };

    await compareAfterTwoRuns();
    await setCode(pg, GATHER_100MS);
    await runAndWait(pg);
    assert.equal(await chartShown(), false, "a later run clears the chart");

    await compareAfterTwoRuns();
    await chooseClock(pg, "real");
    await setCode(pg, "sum([1] every 10s)");
    await pg.locator("#run").click();
    await pg.locator("#stop").click();
    await waitFor(async () => /Stopped after/.test(await statusOf(pg)), { message: "the stop" });
    assert.equal(await chartShown(), false, "Stop leaves no chart");
    assert.equal(await pg.locator("#compare").isVisible(), false, "and no pair to compare");
    // The next finished run has no partner: the stopped one broke the pair.
    await setCode(pg, "sum([1] every 10ms)");
    await runAndWait(pg);
    assert.equal(await pg.locator("#compare").isVisible(), false);
  },

  "malformed page hashes fall back to the default program with a message": async ({ page, baseUrl }) => {
    const cases = [
      ["#example/%E0%A4%A", /example name is damaged \(bad %-encoding/],
      ["#example/%", /example name is damaged/],
      ["#example/no-such-example", /names no example “no-such-example”/],
      ["#code/%%%", /share link is damaged/],
      ["#code/", /share link is damaged/],
    ];
    for (const [hash, message] of cases) {
      await page.goto("about:blank");
      await open(page, baseUrl, `index.html${hash}`);
      const pg = playground(page);
      assert.match(await statusOf(pg), message, hash);
      assert.match(await codeOf(pg), /gather\(collect\(afeat1\), collect\(afeat2\)\)/, `${hash}: the default program`);
      assert.equal(await pg.locator("#run").isEnabled(), true);
    }
    // The same through hashchange on a loaded page.
    await page.evaluate(() => {
      location.hash = "#example/%E0%A4%A";
    });
    await waitFor(async () => /damaged/.test(await statusOf(playground(page))), { message: "the hashchange message" });
    await page.evaluate(() => {
      location.hash = "#example/race";
    });
    await waitFor(async () => /race\(/.test(await codeOf(playground(page))), {
      message: "a good hash after a bad one",
    });
  },
};
