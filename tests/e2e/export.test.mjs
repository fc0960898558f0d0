// Exports and honest readouts: a run as Chrome Trace Event JSON (an event
// per traced event), the timeline as an SVG that stands alone, real I/O
// with an unknown ideal, and lane labels that stay distinct at 375 px.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { OUT_DIR, assert, waitFor } from "./harness.mjs";
import { chooseClock, open, playground, runAndWait, setCode, statusOf } from "./playground-helpers.mjs";

// Every kind of event: values, a failure, a cancelled race loser, a blocking busy-wait.
const EVERY_KIND = [
  "source afeat1 = [10, 20, 40] every 100ms",
  "source busy = [1, 2] every 30ms blocking",
  "",
  'gather(collect(afeat1), "flaky": sum(afeat1 | fail after 1 "boom"))',
  "race(first(afeat1), first([7] every 500ms))",
  "sum(busy)",
].join("\n");

/** Runs `text` on the virtual clock at once and returns the report (el.run() resolves to it). */
async function runVirtual(pg, text) {
  await setCode(pg, text);
  await chooseClock(pg, "virtual");
  await pg.locator("#speed").selectOption("instant");
  const report = await pg.evaluate((el) => el.run());
  await pg.locator(".export-bar").waitFor({ state: "visible" });
  return report;
}

export const tests = {
  "Download trace gives Chrome Trace JSON: a thread per lane, an event per traced event": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    const report = await runVirtual(pg, EVERY_KIND);
    const [download] = await Promise.all([page.waitForEvent("download"), pg.locator("#export-trace").click()]);
    assert.match(download.suggestedFilename(), /^async-playground-trace-.*\.json$/);
    const trace = JSON.parse(await readFile(await download.path(), "utf8"));
    assert.match(await statusOf(pg), /Perfetto|perfetto/);

    assert.ok(Array.isArray(trace.traceEvents));
    assert.equal(trace.displayTimeUnit, "ms");
    for (const e of trace.traceEvents) {
      assert.ok(["M", "X", "i"].includes(e.ph), `phase ${e.ph}`);
      assert.equal(e.pid, 1);
      assert.ok(Number.isInteger(e.tid) && e.tid >= 0);
      if (e.ph !== "M") assert.ok(Number.isFinite(e.ts) && e.ts >= 0, "ts in µs");
      if (e.ph === "X") assert.ok(Number.isFinite(e.dur) && e.dur >= 0);
      if (e.ph === "i") assert.equal(e.s, "t");
    }
    // Lanes as threads, named and in lane order.
    const names = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
    assert.equal(names.length, report.lanes.length);
    for (const lane of report.lanes) {
      const named = names.find((e) => e.tid === lane.id + 1);
      assert.ok(named?.args.name.startsWith(lane.label), `thread for lane ${lane.id} (${lane.label})`);
    }
    assert.equal(trace.traceEvents.filter((e) => e.name === "thread_sort_index").length, report.lanes.length);

    // Every traced event in one trace event: a span per start (closed by its end), an instant per value.
    const events = trace.traceEvents.filter((e) => e.ph !== "M");
    const near = (a, b) => Math.abs(a - b) < 0.01;
    const counts = {};
    for (const event of report.events) {
      counts[event.kind] = (counts[event.kind] ?? 0) + 1;
      const tid = event.lane + 1;
      const ts = event.t * 1000;
      const mine = events.filter((e) => e.tid === tid);
      if (event.kind === "start") {
        assert.ok(
          mine.some((e) => e.ph === "X" && e.cat !== "block" && near(e.ts, ts)),
          `span of lane ${event.lane}`,
        );
      } else if (["end", "error", "cancel"].includes(event.kind)) {
        const span = mine.find((e) => e.ph === "X" && e.cat !== "block");
        assert.ok(near(span.ts + span.dur, ts), `lane ${event.lane} ends at ${event.t} ms`);
        assert.equal(span.args.outcome, event.kind);
        if (event.kind === "error") assert.equal(span.args.message, event.message);
      } else if (event.kind === "value") {
        assert.ok(
          mine.some((e) => e.ph === "i" && e.args.value === event.value && near(e.ts, ts)),
          `value ${event.value}`,
        );
      } else if (event.kind === "block") {
        assert.ok(
          mine.some((e) => e.cat === "block" && near(e.ts, ts) && near(e.dur, event.ms * 1000)),
          "the busy-wait",
        );
      }
    }
    for (const kind of ["start", "value", "end", "error", "cancel", "block"])
      assert.ok(counts[kind] > 0, `the run traced a ${kind}`);
    assert.equal(
      events.length,
      report.events.length - counts.end - counts.error - counts.cancel,
      "one trace event per traced event, spans joining start and end",
    );
    assert.equal(trace.otherData.elapsedMs, report.elapsedMs);
  },

  "Copy timeline as SVG gives a picture that stands alone": async ({ context, page, baseUrl }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await open(page, baseUrl);
    const pg = playground(page);
    await runVirtual(pg, EVERY_KIND);
    await pg.locator("#export-svg").click();
    await waitFor(async () => /copied to the clipboard as SVG/.test(await statusOf(pg)), { message: "the copy" });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const direct = await pg.evaluate((el) => el.exportSvg());
    // Ids get a random suffix per export, so two exports can share a page.
    const unsuffixed = (text) => text.replace(/-[a-z0-9]{6}\b/g, "");
    assert.equal(unsuffixed(copied), unsuffixed(direct));

    assert.match(copied, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 \d+(\.\d+)? \d+(\.\d+)?"/);
    assert.doesNotMatch(copied, /var\(|light-dark\(/, "no CSS variables left");
    assert.doesNotMatch(copied, /<script|\son[a-z]+=|tabindex/i, "nothing interactive");

    // A fresh page with no stylesheet: parse it, and render it as an image (which sees no page CSS at all).
    const blank = await context.newPage();
    await blank.setContent("<!doctype html><title>blank</title><body></body>");
    const seen = await blank.evaluate(async (text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      const parseError = doc.querySelector("parsererror")?.textContent ?? null;
      const svg = document.importNode(doc.documentElement, true);
      document.body.append(svg);
      const shapes = [...svg.querySelectorAll("rect, circle, line, path, text")];
      const paints = shapes.map((node) => {
        const s = getComputedStyle(node);
        return `${s.fill} ${s.stroke}`;
      });
      const fonts = [...svg.querySelectorAll("text")].map((node) => getComputedStyle(node).fontFamily);
      const hatch = svg.querySelector("pattern")?.id ?? "";
      const usesHatch = paints.some((p) => p.includes(`#${hatch}`));

      const image = new Image();
      image.src = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const g = canvas.getContext("2d");
      g.drawImage(image, 0, 0);
      const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Map();
      for (let i = 0; i < data.length; i += 4) {
        const key = (data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4);
        colours.set(key, (colours.get(key) ?? 0) + 1);
      }
      const [background] = [...colours.entries()].sort((a, b) => b[1] - a[1]);
      const inked = data.length / 4 - background[1];
      const colourful = [...colours.values()].filter((n) => n >= 20).length;
      return {
        parseError,
        shapes: shapes.length,
        paints,
        fonts,
        usesHatch,
        width: image.naturalWidth,
        height: image.naturalHeight,
        inked,
        colourful,
      };
    }, copied);
    assert.equal(seen.parseError, null);
    assert.ok(seen.shapes > 20, `${seen.shapes} shapes`);
    assert.ok(
      seen.paints.every((p) => !p.includes("var(")),
      "every computed paint is resolved",
    );
    assert.ok(
      seen.fonts.every((f) => /(sans-serif|monospace|serif|system-ui)\s*$/.test(f)),
      `fonts end in a generic family: ${seen.fonts[0]}`,
    );
    assert.ok(seen.usesHatch, "the busy-wait keeps its hatch pattern, by its renamed id");
    assert.ok(seen.width > 300 && seen.height > 100, `${seen.width}×${seen.height}`);
    assert.ok(seen.inked > 2000, `${seen.inked} pixels drawn`);
    // Values (blue), waits, the freeze (red), the ideal (green), text: styled, not all black.
    assert.ok(seen.colourful >= 6, `${seen.colourful} colours`);
    await blank.setContent(`<!doctype html><body style="margin:0">${copied}</body>`);
    await blank.screenshot({ path: path.join(OUT_DIR, "svg-export.png") });
    await blank.close();
  },

  "real I/O shows its ideal as unknown, never as 0 ms": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, 'sum(fetch("data/numbers.txt"))\n"timed": sum([1, 2] every 50ms)');
    await chooseClock(pg, "real");
    const rows = await runAndWait(pg);
    assert.match(rows[0].timing, /^\d+(\.\d)? ms \(ideal unknown: real I\/O\)$/);
    assert.match(rows[1].timing, /ideal 100 ms, [+−]\d/);
    const timeline = await pg.locator("timeline-view").evaluate((tl) => ({
      readout: tl.shadowRoot.querySelector(".readout").textContent,
      ideals: [...tl.shadowRoot.querySelectorAll("[data-ideal]")].map((g) => Number(g.dataset.ideal)),
    }));
    assert.match(timeline.readout, /ideal unknown: real I\/O/);
    assert.match(timeline.readout, /timed.*ideal 100 ms · overhead/);
    assert.doesNotMatch(timeline.readout, /ideal 0 ms/);
    assert.equal(timeline.ideals.length, 1, "an ideal line for the timed statement only");
    // The I/O examples' headers say the same.
    const headers = await page.evaluate(async () => {
      const { loadEngine } = await import("/engine.js");
      const engine = await loadEngine();
      return engine.examples.filter((e) => e.name.startsWith("io-")).map((e) => e.ideal);
    });
    assert.ok(headers.length >= 6);
    for (const ideal of headers) assert.match(ideal, /^unknown \(real I\/O\)/);
  },

  "lane labels stay distinct at 375 px": async ({ page, baseUrl, screenshot }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await open(page, baseUrl);
    const pg = playground(page);
    const text = [
      "gather(",
      ...[300, 400, 500].map((ms) => `  sum(fetch("slow/data/numbers.txt?latency=${ms}")),`),
      ...[1000, 2000, 3000].map((k) => `  sum(range(3) every 10ms | map * ${k} | filter > 100),`),
      "  sum(range(3) every 10ms | map * 1000 | filter > 200),",
      ")",
    ].join("\n");
    await runVirtual(pg, text);
    const labels = await pg.locator("timeline-view").evaluate((tl) =>
      [...tl.shadowRoot.querySelectorAll("[data-lane-label]")].map((t) => ({
        shown: t.firstChild.textContent,
        full: t.querySelector("title").textContent,
      })),
    );
    assert.equal(labels.length, 8);
    assert.ok(
      labels.some((l) => l.shown !== l.full),
      "the labels are cut at this width",
    );
    const byShown = new Map();
    for (const { shown, full } of labels) {
      assert.ok(
        !byShown.has(shown) || byShown.get(shown) === full,
        `"${shown}" stands for both ${byShown.get(shown)} and ${full}`,
      );
      byShown.set(shown, full);
    }
    await screenshot("labels-375");
  },

  "copies of one task are numbered in the labels, as the moment panel names them": async ({ page, baseUrl }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await open(page, baseUrl);
    const pg = playground(page);
    await runVirtual(pg, ["source a = [10, 20, 40] every 100ms", "gather(3 * sum(a), sum(a | take 1))"].join("\n"));
    const labels = await pg.locator("timeline-view").evaluate((tl) =>
      [...tl.shadowRoot.querySelectorAll("[data-lane-label]")].map((t) => ({
        shown: t.firstChild.textContent,
        full: t.querySelector("title").textContent,
      })),
    );
    const copies = labels.filter((l) => l.full.startsWith("sum(a) #"));
    assert.deepEqual(
      copies.map((l) => l.full),
      ["sum(a) #1", "sum(a) #2", "sum(a) #3"],
    );
    assert.equal(new Set(copies.map((l) => l.shown)).size, 3, JSON.stringify(copies));
    assert.ok(
      copies.every((l, i) => l.shown.endsWith(`#${i + 1}`)),
      JSON.stringify(copies),
    );
    assert.ok(
      labels.some((l) => l.full === "sum(a | take 1)"),
      "a label used once has no number",
    );
  },
};
