// Share links: #code/<base64url(deflate-raw(JSON))> restores a program exactly;
// damaged links fall back to the default program with a clear message.
import { assert } from "./harness.mjs";
import { chooseClock, codeOf, open, playground, setCode, statusOf, waitForRunEnd } from "./playground-helpers.mjs";

// Unicode in comments and labels, escaped quotes, backslashes, a tab, no final newline.
const TRICKY = [
  "# Grüße, 日本語, emoji 🚀 and “curly” 'single' quotes; a tab:\there",
  "source a = [1, 2, 3] every 100ms",
  '"say \\"hi\\" \\\\ ✓": sum(a)',
].join("\n");

export const tests = {
  "a share link restores the exact program and settings in a new page": async ({
    page,
    baseUrl,
    context,
    screenshot,
  }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(pg, TRICKY);
    await chooseClock(pg, "virtual");
    await pg.locator("#speed").selectOption("4");
    await pg.locator("#share").click();
    const field = pg.locator("#share-url");
    await field.waitFor({ state: "visible" });
    const link = await field.inputValue();
    assert.match(link, new RegExp(`^${baseUrl}/index\\.html#code/[A-Za-z0-9_-]+$`));
    assert.match(await statusOf(pg), /Share link/);
    await screenshot("share-link");

    const other = await context.newPage();
    await other.goto(link);
    await other.waitForFunction(() => document.querySelector("async-playground")?.dataset.ready === "true");
    const restored = playground(other);
    assert.equal(await codeOf(restored), TRICKY);
    assert.equal(await restored.getAttribute("clock"), "virtual");
    assert.equal(await restored.locator("#speed").inputValue(), "4");
    assert.match(await statusOf(restored), /Loaded the program from the link/);
    await restored.locator("#speed").selectOption("instant");
    await restored.locator("#run").click();
    const [row] = await waitForRunEnd(restored);
    assert.deepEqual([row.label, row.value], ['say "hi" \\ ✓', "6"]);
    await other.close();
  },

  "encode and decode round-trip in the page, including a long program": async ({ page, baseUrl }) => {
    await open(page, baseUrl);
    const outcome = await page.evaluate(async () => {
      const { encodeShareHash, decodeShareHash } = await import("/share-link.js");
      const programs = ["", "a\u0000b", "\u{1F600}".repeat(1000), "sum(a)\n".repeat(20_000)];
      const results = [];
      for (const code of programs) {
        const hash = await encodeShareHash({ code, clock: "real", speed: "1" });
        const back = await decodeShareHash(hash);
        results.push({ same: back.code === code, clock: back.clock, length: hash.length });
      }
      return results;
    });
    for (const r of outcome) assert.deepEqual([r.same, r.clock], [true, "real"]);
    assert.ok(
      outcome[3].length < 2000,
      `a repetitive 140 kB program should compress well (${outcome[3].length} chars)`,
    );
  },

  "corrupt, foreign and absurdly long hashes fall back to the default program with a clear message": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    const cases = [
      ["#code/not*base64!", /contains characters a share link never has/],
      ["#code/aGVsbG8gd29ybGQ", /compressed data is corrupt/],
      [`#code/${"A".repeat(200_001)}`, /characters long \(the limit is 200,000\)/],
    ];
    // A valid deflate stream whose content is not a program.
    const foreign = await (async () => {
      await open(page, baseUrl);
      return page.evaluate(async () => {
        const bytes = new TextEncoder().encode('{"hello": "world"}');
        const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
        const packed = new Uint8Array(await new Response(stream).arrayBuffer());
        return (
          "#code/" +
          btoa(String.fromCharCode(...packed))
            .replaceAll("+", "-")
            .replaceAll("/", "_")
            .replace(/=+$/, "")
        );
      });
    })();
    cases.push([foreign, /does not contain a program/]);

    for (const [hash, reason] of cases) {
      await page.goto("about:blank");
      await open(page, baseUrl, `index.html${hash}`);
      const pg = playground(page);
      const status = await statusOf(pg);
      assert.match(status, /^This share link is damaged: /, `for ${hash.slice(0, 40)}`);
      assert.match(status, reason);
      assert.match(await codeOf(pg), /gather\(collect\(afeat1\), collect\(afeat2\)\)/, "the default program is loaded");
      assert.equal(await pg.locator("#run").isEnabled(), true);
    }
    await screenshot("share-damaged");
  },

  "embed.html restores the hash and honours ?clock=virtual&autorun=1&readonly=1": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await open(page, baseUrl);
    const program = 'source a = [1, 2, 3] every 10s\n"half a minute": sum(a)';
    const hash = await page.evaluate(async (code) => {
      const { encodeShareHash } = await import("/share-link.js");
      return encodeShareHash({ code, clock: "real", speed: "instant" });
    }, program);
    await page.goto("about:blank");
    await open(page, baseUrl, `embed.html?clock=virtual&autorun=1&readonly=1${hash}`);
    const pg = playground(page);
    assert.equal(await codeOf(pg), program);
    assert.equal(await pg.locator("#code").evaluate((t) => t.readOnly), true);
    assert.equal(await pg.locator("#format").isHidden(), true);
    // The query parameter wins over the link's own clock: the embedding page decides.
    assert.equal(await pg.getAttribute("clock"), "virtual");
    const rows = await waitForRunEnd(pg);
    assert.deepEqual(
      rows.map((r) => [r.label, r.value, r.idealMs]),
      [["half a minute", "6", 30000]],
    );
    await screenshot("embed");
  },
};
