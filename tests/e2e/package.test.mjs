// The npm package (tools/pack.mjs, `./dev pack`): packed, installed into a fresh
// project with npm (offline: it has no dependencies), served as a "CDN" on one
// origin and embedded by a page on another, with no build step.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { OUT_DIR, ROOT, assert, startServer, waitFor } from "./harness.mjs";
import { waitForRunEnd } from "./playground-helpers.mjs";

export const tests = {
  "the packed tarball, installed elsewhere, embeds and runs from another origin": {
    timeout: 180_000,
    run: async ({ page }) => {
      const work = mkdtempSync(path.join(os.tmpdir(), "ap-package-"));
      const servers = [];
      try {
        const tarball = execFileSync(
          "node",
          [path.join(ROOT, "tools", "pack.mjs"), "--out", path.join(work, "packed")],
          { encoding: "utf8" },
        )
          .trim()
          .split("\n")
          .pop();
        const project = path.join(work, "site");
        execFileSync("mkdir", ["-p", project]);
        writeFileSync(path.join(project, "package.json"), '{ "name": "a-blog", "private": true }\n');
        execFileSync("npm", ["install", tarball, "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
          cwd: project,
          stdio: "pipe",
        });
        const installed = path.join(project, "node_modules", "async-playground");
        for (const file of [
          "async-playground.js",
          "async-playground.bundle.js",
          "async-playground.d.ts",
          "timeline-view.js",
          "share-link.js",
          "embed.html",
          "README.md",
          "pkg/async_playground.js",
          "pkg/async_playground_bg.wasm",
          "pkg/async_playground.d.ts",
          "pkg-studio/async_playground_studio.js",
          "pkg-studio/async_playground_studio_bg.wasm",
          "pkg-studio/async_playground_studio.d.ts",
        ]) {
          assert.ok(existsSync(path.join(installed, file)), `the package has ${file}`);
        }
        // No build step: every import in the package is relative.
        for (const file of readdirSync(installed).filter((f) => f.endsWith(".js"))) {
          const text = readFileSync(path.join(installed, file), "utf8");
          for (const [, spec] of text.matchAll(/^\s*import\s[^'";]*?["']([^"']+)["']/gm)) {
            assert.match(spec, /^\.\.?\//, `${file} imports ${spec}`);
          }
        }
        const cdn = await startServer({ dir: installed, logFile: path.join(OUT_DIR, "e2e-cdn-server.log") });
        servers.push(cdn);
        writeFileSync(
          path.join(project, "post.html"),
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>post</title>
        <link rel="icon" href="data:,"><script type="module" src="${cdn.baseUrl}/async-playground.js"></script></head><body>
        <async-playground clock="virtual" speed="instant" autorun>
          source a = [10, 20, 40] every 1s
          gather(sum(a), max(a))
        </async-playground></body></html>`,
        );
        const blog = await startServer({ dir: project, logFile: path.join(OUT_DIR, "e2e-blog-server.log") });
        servers.push(blog);
        await page.goto(`${blog.baseUrl}/post.html`);
        const el = page.locator("async-playground");
        const rows = await waitForRunEnd(el, { timeout: 30_000 });
        assert.deepEqual(
          rows.map((r) => r.value),
          ["[70, 40]"],
        );
        await waitFor(
          () =>
            el.evaluate(
              (e) =>
                e.shadowRoot.querySelector("timeline-view")?.shadowRoot?.querySelectorAll('circle[data-kind="value"]')
                  .length === 6,
            ),
          { message: "the timeline (two lanes of three values)" },
        );
        // The replay transport comes from the studio package, loaded from the CDN's origin too.
        await waitFor(
          () =>
            el.evaluate((e) => {
              const transport = e.shadowRoot.querySelector("timeline-view")?.shadowRoot?.querySelector(".transport");
              return Boolean(transport && !transport.hidden);
            }),
          { message: "the replay transport (the studio package, cross-origin)" },
        );
      } finally {
        for (const server of servers) server.stop();
        rmSync(work, { recursive: true, force: true });
      }
    },
  },
};
