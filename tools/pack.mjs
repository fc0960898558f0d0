#!/usr/bin/env node
// Builds the npm package of the playground from www/ (after `./dev build`) and
// packs it: a tarball that unpacks into any static site or CDN path and works
// with no build step (every import is relative).
//
//   node tools/pack.mjs [--out DIR]     prints the tarball's path (default DIR: target/npm)
//
// The package: the element and its modules (and their bundle, which embed.html loads), the timeline, the share helpers,
// embed.html (+ embed-resize.js), the /slow/ worker, the two wasm packages (the
// core and the studio: glue, wasm, .d.ts, the glue's snippets), the .d.ts files, the examples and sample data, and README.md.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeBundle } from "./bundle.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WWW = path.join(ROOT, "www");
const outArg = process.argv.indexOf("--out");
const OUT = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(ROOT, "target", "npm"));
const STAGE = path.join(OUT, "package");

/** Front-end files that are pages of this site only (the benchmark, the demos, the tutorial), not part of the package. */
const SITE_ONLY = /^(bench|timeline-demo|tutorial)\b/;
/** The two wasm packages (./dev build, wasm-pack.toml [build] and [studio]): each directory's glue, wasm and types. */
const PACKAGES = {
  pkg: "async_playground",
  "pkg-studio": "async_playground_studio",
};
const GLUE = Object.entries(PACKAGES).flatMap(([dir, name]) =>
  [".js", "_bg.wasm", ".d.ts", "_bg.wasm.d.ts"].map((end) => `${dir}/${name}${end}`),
);

const cargo = readFileSync(path.join(ROOT, "Cargo.toml"), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];

for (const file of GLUE) {
  if (!existsSync(path.join(WWW, file))) throw new Error(`www/${file} is missing: run ./dev build first`);
}
// embed.html loads the element bundled: built from the sources being packed.
writeBundle(WWW);
rmSync(STAGE, { recursive: true, force: true });
for (const dir of Object.keys(PACKAGES)) mkdirSync(path.join(STAGE, dir), { recursive: true });
const files = readdirSync(WWW).filter((f) => /\.(js|css|html|d\.ts)$/.test(f) && !SITE_ONLY.test(f));
for (const file of files) copyFileSync(path.join(WWW, file), path.join(STAGE, file));
for (const file of GLUE) copyFileSync(path.join(WWW, file), path.join(STAGE, file));
// The JS modules a package's glue imports (wasm-bindgen's snippets: the core's browser I/O).
for (const dir of Object.keys(PACKAGES)) {
  const snippets = path.join(WWW, dir, "snippets");
  if (existsSync(snippets)) cpSync(snippets, path.join(STAGE, dir, "snippets"), { recursive: true });
}
for (const dir of ["examples", "data"]) cpSync(path.join(WWW, dir), path.join(STAGE, dir), { recursive: true });
copyFileSync(path.join(ROOT, "README.md"), path.join(STAGE, "README.md"));

const pkg = {
  name: field("name"),
  version: field("version"),
  description: field("description"),
  license: field("license"),
  type: "module",
  main: "./async-playground.js",
  types: "./async-playground.d.ts",
  exports: {
    ".": { types: "./async-playground.d.ts", default: "./async-playground.js" },
    "./*": "./*",
  },
  // Importing the element defines it; the service worker registers itself.
  sideEffects: true,
  files: [...files, ...Object.keys(PACKAGES).map((dir) => `${dir}/`), "examples/", "data/"],
};
writeFileSync(path.join(STAGE, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", OUT], { cwd: STAGE, encoding: "utf8" })
  .trim()
  .split("\n")
  .pop();
console.log(path.join(OUT, name));
