#!/usr/bin/env node
// Builds www/async-playground.bundle.js: the entry (async-playground.js) and the
// element's module graph in one file, for the site's own pages (index.html,
// embed.html, tutorial.html), which then ask for one module instead of twelve
// before ready (bench/README.md, B5). The source modules stay the truth: a page
// that includes async-playground.js loads them one by one, as before.
//
//   node tools/bundle.mjs [--www DIR]      writes DIR/async-playground.bundle.js (default www/)
//
// `./dev build`, `tests/e2e/run.mjs` and `tools/pack.mjs` run it, so the bundle
// never lags the sources.
//
// Each bundled module becomes a function evaluated once, on its first import
// (static imports at the top of the module, as ES modules hoist them); a dynamic
// import() of a bundled module evaluates it a task later. Modules with state
// that other modules share after ready (EXTERNAL: engine.js caches the loaded
// packages) stay real modules, imported by the bundle; a module added to the
// element's graph with such state belongs in EXTERNAL too (the modules loaded
// after ready, such as python-view.js, import their own copy of dom.js,
// format.js and io-ideal.js, which hold none). All files sit in www/, so
// `import.meta.url` and every relative URL resolve as in the sources.
//
// The syntax handled is the sources' (www/CONVENTIONS.md): named imports of
// "./file.js", `export function|class|const NAME`, and the entry's
// `export const { AsyncPlayground } = await element;`. Anything else stops the
// build with the file and line, rather than a bundle that behaves differently.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = "async-playground.js";
export const BUNDLE = "async-playground.bundle.js";
/** Kept as real modules: state shared with the modules loaded after ready. */
const EXTERNAL = new Set(["engine.js"]);
/**
 * Imported by the bundle for their evaluation alone: the core package's glue,
 * which the pages preload anyway. engine.js imports it dynamically (an embed
 * far below the fold fetches no engine); already evaluated, that import does
 * not wait a task behind the element's first render. The price: without its
 * glue the bundle does not run, so a site page served without `pkg/` shows the
 * program as text and no message (async-playground.js says what is missing).
 */
const EVALUATE_FIRST = ["pkg/async_playground.js"];

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*"\.\/([^"]+)";[ \t]*\n/gm;
const DYNAMIC = /import\("\.\/([^"]+)"\)/g;
const EXPORT = /^export (?:async )?(?:function\*? |class |const |let )([A-Za-z_$][\w$]*)/gm;

export class BundleError extends Error {}

/** Line number of `index` in `text`. */
const lineOf = (text, index) => text.slice(0, index).split("\n").length;

/** `{ a, b as c }` → `{ a, b: c }` (destructuring from a module's exports). */
const destructure = (names) =>
  `{ ${names
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => n.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, "$1: $2"))
    .join(", ")} }`;

/** Reads a module of `www`; returns { imports: [{ names, file }], dynamic: [file], body } with its import statements removed. */
function readModule(www, file) {
  const text = readFileSync(path.join(www, file), "utf8");
  const imports = [];
  const body = text.replace(IMPORT, (_, names, dep) => {
    imports.push({ names, file: dep });
    return "";
  });
  const stray = body.match(/^\s*import[\s{*]/m);
  if (stray) throw new BundleError(`${file}:${lineOf(body, stray.index)}: an import the bundler does not handle`);
  const dollar = body.match(/(?<![\w$])\$(?:bundle|\w+_js\b)/);
  if (dollar) throw new BundleError(`${file}:${lineOf(body, dollar.index)}: a name the bundle keeps for itself`);
  const dynamic = [...body.matchAll(DYNAMIC)].map(([, dep]) => dep);
  return { imports, dynamic, body };
}

/** The modules to bundle, each after its static imports: every module reachable from the entry except EXTERNAL. */
function collect(www) {
  const order = [];
  const modules = new Map();
  const visit = (file) => {
    if (modules.has(file) || EXTERNAL.has(file)) return;
    const module = readModule(www, file);
    modules.set(file, module);
    for (const { file: dep } of module.imports) visit(dep);
    order.push(file);
  };
  visit(ENTRY);
  // The entry's dynamic imports are the element's graph; later ones (python-view.js, …) load on their own.
  for (const dep of modules.get(ENTRY).dynamic) visit(dep);
  return { order, modules };
}

/** The bundle's own names start with `$`, which the sources do not use (checked as they are read): no module shadows them. */
const id = (file) => `$${file.replace(/\W/g, "_")}`;

/**
 * `import("./dep.js")` of a bundled module: evaluated a task later, as a real
 * import resolves (measured: done in a microtask, the element's code and first
 * render ran before the engine's wasm fetch was answered, 50-90 ms later under
 * load). Of an external module the bundle imports: its namespace, at once.
 */
function dynamicImports(text, bundled) {
  return text.replace(DYNAMIC, (call, dep) => {
    if (bundled.has(dep)) return `new Promise((resolve) => setTimeout(resolve)).then(() => $bundleLoad("${dep}"))`;
    return EXTERNAL.has(dep) ? `Promise.resolve(${id(dep)})` : call;
  });
}

/** A module's body as a function returning its exports. */
function wrap(file, { imports, body }, bundled) {
  const exported = [];
  let text = body.replace(EXPORT, (match, name) => {
    exported.push(name);
    return match.slice("export ".length);
  });
  const left = text.match(/^export\s/m);
  if (left) throw new BundleError(`${file}:${lineOf(text, left.index)}: an export the bundler does not handle`);
  text = dynamicImports(text, bundled);
  const head = imports
    .map(
      ({ names, file: dep }) =>
        `const ${destructure(names)} = ${EXTERNAL.has(dep) ? id(dep) : `$bundleLoad("${dep}")`};`,
    )
    .join("\n");
  return `// ---- ${file}\n"${file}": () => {\n${head}\n${text}\nreturn { ${exported.join(", ")} };\n},`;
}

/** The entry: its body at the bundle's top level, its element hints gone (the bundle has those modules inside). */
function entry({ imports, body }, bundled) {
  if (imports.length) throw new BundleError(`${ENTRY}: the entry has no static imports`);
  const hints = "\nhintElementModules();\n";
  if (body.split(hints).length !== 2)
    throw new BundleError(`${ENTRY}: the call hintElementModules() is not found once`);
  return dynamicImports(body.replace(hints, "\n// (no hintElementModules(): the modules are in this file)\n"), bundled);
}

/** The bundle of `www`'s sources: { text, order } (order: the bundled files, each after its imports). */
function bundle(www) {
  const { order, modules } = collect(www);
  const bundled = new Set(order);
  const external = [...new Set(order.flatMap((f) => modules.get(f).imports.map((i) => i.file)))].filter((f) =>
    EXTERNAL.has(f),
  );
  const parts = [
    `// Generated by tools/bundle.mjs from ${order.length} modules of www/ (${ENTRY} and the element's graph): do not edit.`,
    ...EVALUATE_FIRST.map((f) => `import "./${f}";`),
    ...external.map((f) => `import * as ${id(f)} from "./${f}";`),
    "const $bundleModules = {",
    ...order.filter((f) => f !== ENTRY).map((f) => wrap(f, modules.get(f), bundled)),
    "};",
    "const $bundleExports = new Map();",
    "/** A bundled module's exports, evaluating it on first use. */",
    "function $bundleLoad(file) {",
    "  if (!$bundleExports.has(file)) $bundleExports.set(file, $bundleModules[file]());",
    "  return $bundleExports.get(file);",
    "}",
    `// ---- ${ENTRY}`,
    entry(modules.get(ENTRY), bundled),
  ];
  return { text: `${parts.join("\n")}\n`, order };
}

/** Writes `www`/async-playground.bundle.js from `www`'s sources; returns { file, order, bytes }. Throws a BundleError on syntax it does not handle. */
export function writeBundle(www = path.join(ROOT, "www")) {
  const { text, order } = bundle(www);
  const file = path.join(www, BUNDLE);
  writeFileSync(file, text);
  return { file, order, bytes: Buffer.byteLength(text) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wwwArg = process.argv.indexOf("--www");
  try {
    const { file, order, bytes } = writeBundle(wwwArg > 0 ? path.resolve(process.argv[wwwArg + 1]) : undefined);
    console.log(`tools/bundle.mjs: ${file} (${order.length} modules, ${bytes} B)`);
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    console.error(`tools/bundle.mjs: ${error.message}`);
    process.exit(1);
  }
}
