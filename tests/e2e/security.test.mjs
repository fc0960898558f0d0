// Program text is data: labels, values and messages are shown as text, and
// every page works under its strict Content-Security-Policy.
import { assert } from "./harness.mjs";
import { CSP, open, playground, runAndWait, setCode } from "./playground-helpers.mjs";

const IMG = "<img src=x onerror=window.__xss=1>";

/** Every <img> in the document, including inside shadow roots. */
const countImages = (page) =>
  page.evaluate(() => {
    let count = 0;
    const visit = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.tagName === "IMG") count++;
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return count;
  });

export const tests = {
  "markup in labels, error messages and diagnostics shows as text and runs nothing": async ({
    page,
    baseUrl,
    screenshot,
  }) => {
    await open(page, baseUrl);
    const pg = playground(page);
    await setCode(
      pg,
      [
        `"${IMG}": sum([1])`,
        `source bad = [1, 2] every 10ms | fail after 1 "<img src=x onerror=window.__xss=2>"`,
        `"<script>window.__xss=3</script>": collect(bad)`,
      ].join("\n"),
    );
    const rows = await runAndWait(pg);
    assert.equal(rows[0].label, IMG);
    assert.equal(rows[0].value, "1");
    assert.equal(rows[1].label, "<script>window.__xss=3</script>");
    assert.match(rows[1].value, /<img src=x onerror=window.__xss=2>/);
    assert.equal(rows[1].state, "error");

    // A diagnostic that quotes the text back.
    await setCode(pg, `"${IMG}": sum(${"<b>"})`);
    await pg.locator(".diagnostic").first().waitFor();
    await page.waitForTimeout(200); // an onerror would fire on the failed image load
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await countImages(page), 0, "an <img> element was created");
    await screenshot("security-xss");
  },

  "every page runs under its meta CSP with no violations": async ({ page, baseUrl }) => {
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) => {
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    const consoleCsp = [];
    page.on("console", (msg) => {
      if (/Content Security Policy/i.test(msg.text())) consoleCsp.push(msg.text());
    });
    for (const path of ["index.html", "tutorial.html", "embed.html?clock=virtual&speed=instant"]) {
      await open(page, baseUrl, path);
      const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      assert.equal(meta, CSP, `${path} has another CSP`);
      const pg = playground(page);
      await setCode(pg, "source a = [1, 2, 3] every 20ms\nsum(a)");
      const [row] = await runAndWait(pg);
      assert.equal(row.value, "6", `${path} did not run`);
      await pg.locator("#share").click();
      await pg.locator("#share-url").waitFor({ state: "visible" });
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], `${path} violated its CSP`);
      // No inline scripts or handlers, so the policy never needs 'unsafe-inline' for scripts.
      const inline = await page.evaluate(() => ({
        scripts: [...document.scripts].filter((s) => !s.src).length,
        handlers: [...document.querySelectorAll("*")].filter((el) =>
          [...el.attributes].some((a) => a.name.startsWith("on")),
        ).length,
      }));
      assert.deepEqual(inline, { scripts: 0, handlers: 0 }, path);
    }
    assert.deepEqual(consoleCsp, []);
  },
};
