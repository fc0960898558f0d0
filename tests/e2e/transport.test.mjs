// The transport of a finished run: keyboard, scrubber and touch; the state at
// the cursor (lanes and event loop, computed by the wasm Replay); links and
// embeds that open paused at a moment; screenshots at several moments.
import { assert, waitFor } from "./harness.mjs";
import { GATHER_100MS, chooseClock, open, playground, runAndWait, setCode, statusOf } from "./playground-helpers.mjs";

const timeline = (scope) => scope.locator("timeline-view");

/** Presses Share and waits for the new link in its box. */
async function shareLink(scope) {
  const field = scope.locator("#share-url");
  const before = await field.inputValue();
  await scope.locator("#share").click();
  return waitFor(
    async () => {
      const link = await field.inputValue();
      return link !== before && link;
    },
    { message: "the share link" },
  );
}
const positionOf = (scope) => timeline(scope).evaluate((tl) => tl.position);

/** What the timeline shows at its cursor: lane states, dots, the loop's view, the cursor's x. */
function momentOf(scope) {
  return timeline(scope).evaluate((tl) => {
    const root = tl.shadowRoot;
    const now = root.querySelector(".now-line");
    return {
      position: tl.position,
      cursorX: now ? Number(now.getAttribute("x1")) : null,
      expectedX: tl.position ? tl.xOf(tl.position.t) : null,
      lanes: [...root.querySelectorAll(".lane-states li")].map((li) => ({
        status: li.dataset.status,
        name: li.querySelector(".name").textContent,
        text: li.querySelector(".state").textContent,
      })),
      dots: Object.fromEntries([...root.querySelectorAll(".state-dot")].map((d) => [d.dataset.lane, d.dataset.status])),
      line: root.querySelector(".loop-line").textContent,
      queue: root.querySelector(".queue").textContent,
      ready: root.querySelector(".ready").textContent,
      time: root.querySelector(".transport .time").textContent,
    };
  });
}

/** Runs the default gather example on the virtual clock, instantly; the transport rests at the end. */
async function runGather(page, baseUrl) {
  await open(page, baseUrl);
  const pg = playground(page);
  await chooseClock(pg, "virtual");
  await pg.locator("#speed").selectOption("instant");
  await runAndWait(pg);
  await waitFor(async () => (await positionOf(pg))?.t === 3000, { message: "the transport at the end" });
  return pg;
}

/** Gather at 1.5 s: both sources wait until 2.0 s, each holds its first value, the loop is idle. */
function assertGatherAtOneAndAHalf(moment) {
  assert.deepEqual(moment.position, { t: 1500, playing: false });
  const tasks = moment.lanes.filter((l) => l.name.startsWith("collect"));
  assert.equal(tasks.length, 2);
  for (const lane of tasks) {
    assert.equal(lane.status, "waiting");
    assert.match(lane.text, /^waiting on a timer until 2\.000 s · 1 value · holds \[(10|50)\] \(1 number\)$/);
  }
  assert.equal(moment.dots["1"], "waiting");
  assert.equal(moment.dots["2"], "waiting");
  assert.equal(
    moment.line,
    "the loop is idle: every task is waiting; next the clock jumps to 2.000 s: collect(afeat1) and collect(afeat2) wake",
  );
  assert.equal(moment.queue, "collect(afeat1) at 2.000 s, collect(afeat2) at 2.000 s");
  assert.equal(moment.ready, "none");
  assert.ok(
    Math.abs(moment.cursorX - moment.expectedX) < 0.5,
    `cursor at ${moment.cursorX}, xOf(1500) = ${moment.expectedX}`,
  );
}

export const tests = {
  "keyboard: Home, arrows step between events, Shift+arrows jump 10 %, End, Space plays and pauses": async ({
    page,
    baseUrl,
  }) => {
    const pg = await runGather(page, baseUrl);
    await pg.locator(".transport .scrubber").focus();
    const keys = [
      ["Home", 0],
      ["ArrowRight", 1000],
      ["ArrowRight", 2000],
      ["ArrowLeft", 1000],
      ["Shift+ArrowRight", 1300],
      ["ArrowRight", 2000],
      ["Shift+ArrowLeft", 1700],
      ["ArrowLeft", 1000],
      ["End", 3000],
    ];
    for (const [key, t] of keys) {
      await page.keyboard.press(key);
      assert.deepEqual(await positionOf(pg), { t, playing: false }, `after ${key}`);
    }
    const atOne = await (async () => {
      await page.keyboard.press("Home");
      await page.keyboard.press("ArrowRight");
      return momentOf(pg);
    })();
    assert.match(
      atOne.line,
      /^every task is waiting: the clock jumps to 1\.000 s; collect\(afeat1\) and collect\(afeat2\) wake$/,
    );
    assert.equal(atOne.time, "1.000 s / 3.000 s");

    await page.keyboard.press("Space");
    assert.equal((await positionOf(pg)).playing, true, "Space plays");
    await waitFor(async () => (await positionOf(pg)).t > 1100, { message: "the cursor to move while playing" });
    await page.keyboard.press("Space");
    const paused = await positionOf(pg);
    assert.equal(paused.playing, false, "Space pauses");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await positionOf(pg)).t, paused.t, "paused stays put");
    // Space on the editor types a space: the transport only hears keys inside the timeline.
    const before = await pg.locator("#code").inputValue();
    await pg.locator("#code").press("End");
    await pg.locator("#code").press("Space");
    assert.equal((await pg.locator("#code").inputValue()).length, before.length + 1);
    assert.equal((await positionOf(pg)).playing, false);
  },

  "the scrubber and a mouse drag move the cursor and the lane states; stepping back gives the same state": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    const pg = await runGather(page, baseUrl);
    const scrubber = pg.locator(".transport .scrubber");
    await scrubber.evaluate((input) => {
      input.value = "1500";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    assertGatherAtOneAndAHalf(await momentOf(pg));
    await screenshot("transport-gather-1.5s");

    // One step back: 1.0 s, the same lanes (the values of 1.0 s are the ones held at 1.5 s).
    await scrubber.focus();
    await page.keyboard.press("ArrowLeft");
    const atOne = await momentOf(pg);
    assert.equal(atOne.position.t, 1000);
    const atOneAndAHalf = await (async () => {
      await page.keyboard.press("Shift+ArrowRight");
      await page.keyboard.press("Shift+ArrowLeft");
      return momentOf(pg);
    })();
    assert.equal(atOneAndAHalf.position.t, 1000);
    assert.deepEqual(atOne.lanes, atOneAndAHalf.lanes);
    assert.deepEqual(
      atOne.lanes.filter((l) => l.name.startsWith("collect")).map((l) => l.text),
      [
        "waiting on a timer until 2.000 s · 1 value · holds [10] (1 number)",
        "waiting on a timer until 2.000 s · 1 value · holds [50] (1 number)",
      ],
    );

    // Dragging with the mouse along the plot: the cursor follows, and so do the states.
    const plot = timeline(pg).locator("svg.plot");
    const box = await plot.boundingBox();
    const xOf = (t) => timeline(pg).evaluate((tl, t) => tl.xOf(t), t);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + (await xOf(500)), y);
    await page.mouse.down();
    const early = await momentOf(pg);
    assert.ok(Math.abs(early.position.t - 500) < 15, `pressed at 0.5 s: ${early.position.t}`);
    assert.match(early.lanes[1].text, /^waiting on a timer until 1\.000 s · 0 values$/);
    await page.mouse.move(box.x + (await xOf(2500)), y, { steps: 5 });
    await page.mouse.up();
    const late = await momentOf(pg);
    assert.ok(Math.abs(late.position.t - 2500) < 15, `dragged to 2.5 s: ${late.position.t}`);
    assert.match(late.lanes[1].text, /until 3\.000 s · 2 values · holds \[10, 20\] \(2 numbers\)$/);
    assert.ok(Math.abs(late.cursorX - late.expectedX) < 0.5);
    // The end: every task done, the loop's last rule.
    await scrubber.focus();
    await page.keyboard.press("End");
    const end = await momentOf(pg);
    assert.deepEqual(
      end.lanes.map((l) => l.status),
      ["done", "done", "done"],
    );
    assert.match(end.line, /gather is done: \[\[10, 20, 40\], \[50, 500, 5000\]\]$/);
  },

  "at 375 px the transport fits and works by touch; the narration log is there as text": async ({
    baseUrl,
    screenshot,
    context,
  }) => {
    const small = await context
      .browser()
      .newContext({ viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true });
    const page = await small.newPage();
    try {
      const pg = await runGather(page, baseUrl);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px`);
      const transport = await timeline(pg).locator(".transport").boundingBox();
      assert.ok(transport.x >= 0 && transport.x + transport.width <= 375, "the transport fits in 375 px");
      await timeline(pg).locator('.transport [data-action="start"]').tap();
      await timeline(pg).locator('.transport [data-action="next"]').tap();
      assert.deepEqual(await positionOf(pg), { t: 1000, playing: false });
      await timeline(pg).locator('.transport [data-action="next"]').tap();
      assert.equal((await positionOf(pg)).t, 2000);
      await timeline(pg).locator('.transport [data-action="previous"]').tap();
      assert.equal((await positionOf(pg)).t, 1000);
      // A finger on the time axis drags the cursor (pointer events, as a touch screen sends them).
      const dragged = await timeline(pg).evaluate((tl) => {
        const strip = tl.shadowRoot.querySelector(".scrub-strip");
        const box = strip.getBoundingClientRect();
        const plotBox = tl.shadowRoot.querySelector("svg.plot").getBoundingClientRect();
        const at = (t) => ({
          clientX: plotBox.left + tl.xOf(t),
          clientY: box.top + box.height / 2,
          pointerId: 7,
          pointerType: "touch",
          isPrimary: true,
          bubbles: true,
          composed: true,
        });
        strip.dispatchEvent(new PointerEvent("pointerdown", at(500)));
        const first = tl.position.t;
        strip.dispatchEvent(new PointerEvent("pointermove", at(2500)));
        const moved = tl.position.t;
        strip.dispatchEvent(new PointerEvent("pointerup", at(2500)));
        return { first, moved, touchAction: getComputedStyle(strip).touchAction };
      });
      assert.ok(Math.abs(dragged.first - 500) < 20 && Math.abs(dragged.moved - 2500) < 20, JSON.stringify(dragged));
      assert.equal(dragged.touchAction, "none");
      await timeline(pg).locator('.transport [data-action="start"]').tap();
      await timeline(pg).locator('.transport [data-action="next"]').tap();
      await timeline(pg).locator(".moment .log summary").tap();
      await waitFor(async () => (await timeline(pg).locator(".moment .log li").count()) > 0, { message: "the log" });
      const log = await timeline(pg).locator(".moment .log li").allTextContents();
      assert.equal(log.length, 4);
      assert.equal(
        log[1],
        "1.000 s every task is waiting: the clock jumps to 1.000 s; collect(afeat1) and collect(afeat2) wake",
      );
      assert.equal(await timeline(pg).locator('.moment .log li[aria-current="step"]').textContent(), log[1]);
      await screenshot("transport-375-gather-1.0s");
      await page.screenshot({ path: "test-output/transport-375-gather-1.0s.png", fullPage: true });
    } finally {
      await small.close();
    }
  },

  "a share link holds the moment: it opens paused at 1.5 s with the same states": async ({
    page,
    baseUrl,
    context,
  }) => {
    const pg = await runGather(page, baseUrl);
    await pg.locator(".transport .scrubber").evaluate((input) => {
      input.value = "1500";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const link = await shareLink(pg);
    assert.ok(link.length < 400, `a virtual run's link holds only the program and t: ${link.length} characters`);

    const other = await context.newPage();
    await other.goto(link);
    const opened = playground(other);
    await waitFor(async () => (await positionOf(opened))?.t === 1500, {
      message: "the link to open at 1.5 s",
      timeout: 15_000,
    });
    assertGatherAtOneAndAHalf(await momentOf(opened));
    assert.match(await statusOf(opened), /Paused at 1\.500 s/);
    await other.close();

    // An embed takes the same parameter.
    const embed = await context.newPage();
    await embed.goto(`${baseUrl}/embed.html?example=gather&t=1.5s`);
    const framed = playground(embed);
    await waitFor(async () => (await positionOf(framed))?.t === 1500, {
      message: "the embed to open at 1.5 s",
      timeout: 15_000,
    });
    assertGatherAtOneAndAHalf(await momentOf(framed));
    await embed.close();
  },

  "a real run is recorded and scrubbed with its lateness; its link carries the recording up to a cap": async ({
    page,
    baseUrl,
    context,
  }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, GATHER_100MS);
    await chooseClock(pg, "real");
    await runAndWait(pg);
    await waitFor(async () => (await positionOf(pg))?.t > 0, { message: "the transport" });
    // Between the first two values of collect(afeat1), wherever a busy machine put them.
    const valueTimes = await timeline(pg).evaluate((tl) =>
      [...tl.shadowRoot.querySelectorAll('g[data-lane="1"] circle[data-kind="value"]')]
        .map((c) => Number(c.dataset.t))
        .sort((a, b) => a - b),
    );
    assert.equal(valueTimes.length, 3);
    const mid = Math.round((valueTimes[0] + valueTimes[1]) / 2);
    const scrubber = pg.locator(".transport .scrubber");
    await scrubber.evaluate((input, t) => {
      input.value = String(t);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, mid);
    const atMid = await momentOf(pg);
    assert.equal(atMid.position.t, mid);
    // Each delay starts when the previous value arrives: the deadline is 100 ms after it (whole ms, rounded up).
    const shown =
      /^waiting on a timer until (0\.\d{3}) s · 1 value · holds \[10\] \(1 number\)( · last timer \d+\.\d ms late)?$/.exec(
        atMid.lanes[1].text,
      );
    assert.ok(shown, atMid.lanes[1].text);
    const until = Number(shown[1]) * 1000;
    assert.ok(
      until >= valueTimes[0] + 99 && until <= valueTimes[0] + 102,
      `deadline ${until} ms for a value at ${valueTimes[0]} ms`,
    );
    // One step back: a value's step; the narration says how late its timer fired.
    await scrubber.focus();
    await page.keyboard.press("ArrowLeft");
    const woke = await momentOf(pg);
    assert.ok(woke.position.t >= valueTimes[0] && woke.position.t < mid, `stepped back to ${woke.position.t} ms`);
    assert.match(
      woke.line,
      /every task is waiting: the timer fires at 0\.\d\d\d s \(\d+\.\d ms late\); collect\(afeat\d\)( and collect\(afeat\d\))? wakes?/,
    );
    await page.keyboard.press("Shift+ArrowRight");
    await scrubber.evaluate((input, t) => {
      input.value = String(t);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, mid);
    const link = await shareLink(pg);
    const other = await context.newPage();
    await other.goto(link);
    const opened = playground(other);
    await waitFor(async () => (await positionOf(opened))?.t === mid, {
      message: "the recording to open at the same moment",
      timeout: 15_000,
    });
    assert.match(await statusOf(opened), /Opened the recorded real-clock run, paused at 0\.\d\d\d s/);
    assert.deepEqual((await momentOf(opened)).lanes, atMid.lanes, "the recording shows what the run showed");
    await other.close();

    // Over the cap: the link says so and holds the program, recomputed on the virtual clock.
    await setCode(pg, "gather(8 * collect(range(1000)))");
    await runAndWait(pg);
    await waitFor(async () => (await positionOf(pg)) !== null, { message: "the transport" });
    const small = await shareLink(pg);
    await waitFor(async () => /over the link's 60 kB cap/.test(await statusOf(pg)), { message: "the cap message" });
    const third = await context.newPage();
    await third.goto(small);
    const recomputed = playground(third);
    await waitFor(async () => /recording was too big for the link/.test(await statusOf(recomputed)), {
      message: "the fallback message",
      timeout: 15_000,
    });
    await third.close();
  },

  "one pass, visible: at 0.25 s sum holds 30 and stats holds 4 numbers, not the list": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await page.goto(`${baseUrl}/embed.html?example=aggregators&t=250ms`);
    const pg = playground(page);
    await waitFor(async () => (await positionOf(pg))?.t === 250, { message: "aggregators at 0.25 s", timeout: 15_000 });
    const { lanes, line } = await momentOf(pg);
    assert.deepEqual(
      lanes.map((l) => [l.name, l.text]),
      [
        ["gather", "running"],
        ["sum(afeat1)", "waiting on a timer until 0.300 s · 2 values · holds 30 (1 number)"],
        ["max(afeat2)", "waiting on a timer until 0.300 s · 2 values · holds 500 (1 number)"],
        [
          "stats(afeat2)",
          "waiting on a timer until 0.300 s · 2 values · holds {count: 2, min: 50, max: 500, mean: 275} (4 numbers)",
        ],
      ],
    );
    assert.match(line, /^the loop is idle: every task is waiting; next the clock jumps to 0\.300 s/);
    await screenshot("transport-aggregators-250ms");
  },

  "screenshots at several moments of gather, blocking, race and limit, light, dark and 375 px": async ({
    baseUrl,
    context,
  }) => {
    const MOMENTS = {
      gather: { 1500: /the loop is idle/, 3000: /gather is done/ },
      blocking: {
        50: /collect\(sleepy1\) busy-waits 100ms \(until 0\.100 s\): no other task can run/,
        750: /the loop is idle/,
      },
      race: { 50: /next the clock jumps to 0\.100 s: first\(mirror2\) wakes/, 100: /first\(mirror1\) is cancelled/ },
      limit: { 1500: /the loop is idle/, 3000: /a slot is free: limit 2 lets in/ },
    };
    const VARIANTS = [
      { name: "light", width: 1280, theme: "light" },
      { name: "dark", width: 1280, theme: "dark" },
      { name: "375", width: 375, theme: "light" },
    ];
    const saved = [];
    for (const variant of VARIANTS) {
      const page = await context.browser().newPage({ viewport: { width: variant.width, height: 900 } });
      try {
        for (const [example, moments] of Object.entries(MOMENTS)) {
          for (const [t, line] of Object.entries(moments)) {
            await page.goto(`${baseUrl}/embed.html?example=${example}&t=${t}ms&theme=${variant.theme}`);
            const pg = playground(page);
            await waitFor(async () => (await positionOf(pg))?.t === Number(t), {
              message: `${example} at ${t} ms`,
              timeout: 15_000,
            });
            const moment = await momentOf(pg);
            assert.match(moment.line, line, `${example} at ${t} ms`);
            assert.ok(Object.keys(moment.dots).length >= 3, "a state dot per lane");
            const file = `test-output/transport-${example}-${t}ms-${variant.name}.png`;
            await page.screenshot({ path: file, fullPage: true });
            saved.push(file);
          }
        }
      } finally {
        await page.close();
      }
    }
    assert.equal(saved.length, 24);
  },
};
