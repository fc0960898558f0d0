// Where the bytes of a wasm module go: code bytes per crate (and per module of
// ours), data, and the biggest functions, from the module's "name" section.
//
//   node bench/size.mjs file.wasm [--top 40] [--depth 2] [--grep REGEX]...
//
// bench/size.sh builds a names-kept copy of the release package (same
// wasm-opt flags, plus -g) and runs this on it. A function's crate is the
// first path segment of its demangled name; for `<T as Trait>::f` it is T's.
import { readFileSync } from "node:fs";
import { gzipSync, constants as zc } from "node:zlib";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const file = args.find((a) => a.endsWith(".wasm"));
if (!file) {
  console.error("usage: node bench/size.mjs file.wasm [--top N] [--depth N]");
  process.exit(2);
}
const TOP = opt("--top", 40);
const DEPTH = opt("--depth", 2);
// Each --grep REGEX: the total size of the functions whose name matches (e.g. 'flt2dec|fmt::float').
const GREPS = args.flatMap((a, i) => (args[i - 1] === "--grep" ? [a] : []));

const bytes = readFileSync(file);
let pos = 8; // magic and version
const u8 = () => bytes[pos++];
function leb() {
  let result = 0;
  let shift = 0;
  let b;
  do {
    b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return result;
}
const str = () => {
  const n = leb();
  const s = bytes.toString("utf8", pos, pos + n);
  pos += n;
  return s;
};
const limits = () => {
  const flags = u8();
  leb();
  if (flags & 1) leb();
};

const SECTION = [
  "custom",
  "type",
  "import",
  "function",
  "table",
  "memory",
  "global",
  "export",
  "start",
  "element",
  "code",
  "data",
  "datacount",
  "tag",
];
const sections = [];
let importedFuncs = 0;
const bodies = []; // [size in bytes, including its size prefix]
const names = new Map();
while (pos < bytes.length) {
  const id = u8();
  const size = leb();
  const start = pos;
  const end = pos + size;
  let label = SECTION[id] || `section ${id}`;
  if (id === 0) {
    const name = str();
    label = `custom "${name}"`;
    if (name === "name") {
      while (pos < end) {
        const sub = u8();
        const subSize = leb();
        const subEnd = pos + subSize;
        if (sub === 1) {
          const n = leb();
          for (let i = 0; i < n; i++) {
            const idx = leb();
            names.set(idx, str());
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      str();
      str();
      const kind = u8();
      if (kind === 0) {
        leb();
        importedFuncs++;
      } else if (kind === 1) {
        u8();
        limits();
      } else if (kind === 2) limits();
      else if (kind === 3) {
        u8();
        u8();
      } else if (kind === 4) {
        u8();
        leb();
      }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      const p0 = pos;
      const s = leb();
      pos += s;
      bodies.push(pos - p0);
    }
  }
  sections.push({ label, size: end - start });
  pos = end;
}

/** The crate and module path of a demangled Rust name (or a wasm-bindgen/JS import name). */
function pathOf(name) {
  let n = name;
  // `<T as Trait>::f` and `<T>::f`: attribute to T.
  while (n.startsWith("<")) {
    let depth = 0;
    let i = 0;
    for (; i < n.length; i++) {
      if (n[i] === "<") depth++;
      else if (n[i] === ">" && --depth === 0) break;
    }
    const inner = n.slice(1, i);
    const as = inner.search(/ as /);
    n = (as >= 0 ? inner.slice(0, as) : inner)
      .replace(/^&(mut )?/, "")
      .replace(/^\[/, "slice::[")
      .replace(/^dyn /, "");
  }
  const segs = n.split("::").map((s) => s.replace(/<.*$/, ""));
  if (segs.length === 1) {
    if (/^__wbg|^__wbindgen|^wasm_bindgen| shim$/.test(n)) return ["wasm-bindgen (imports, exports and shims)"];
    return [/^[a-z_0-9]+$/i.test(n) ? "(C and compiler builtins: memcpy, memset, ...)" : `(other: ${n})`];
  }
  return segs;
}

const total = bytes.length;
const codeTotal = bodies.reduce((a, b) => a + b, 0);
const byCrate = new Map();
const byModule = new Map();
const fns = bodies.map((size, i) => {
  // v0 demangling adds crate disambiguators (`core[c5930c85a12de822]`) and legacy names a hash suffix.
  const name = (names.get(importedFuncs + i) || `func[${importedFuncs + i}]`)
    .replace(/\[[0-9a-f]{1,16}\]/g, "")
    .replace(/::h[0-9a-f]{16}$/, "");
  const segs = pathOf(name);
  const crate = segs[0];
  byCrate.set(crate, (byCrate.get(crate) || 0) + size);
  if (crate === "async_playground") {
    const mod = segs.slice(0, Math.min(DEPTH + 1, segs.length - 1)).join("::") || crate;
    byModule.set(mod, (byModule.get(mod) || 0) + size);
  }
  return { name, size };
});

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const pct = (n, of) => `${((100 * n) / of).toFixed(1)} %`;
const print = (title, entries, of) => {
  console.log(`\n${title}`);
  for (const [k, v] of entries) console.log(`  ${kb(v).padStart(9)}  ${pct(v, of).padStart(7)}  ${k}`);
};
const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);

console.log(
  `${file}: ${kb(total)} raw, ${kb(gzipSync(bytes, { level: zc.Z_BEST_COMPRESSION }).length)} gzip -9; ` +
    `${bodies.length} functions (${importedFuncs} imported), ${names.size ? "names present" : "NO name section: build with bench/size.sh"}`,
);
print(
  "sections",
  sections.map((s) => [s.label, s.size]),
  total,
);
print("code by crate", sorted(byCrate), codeTotal);
print(`code of async_playground by module (depth ${DEPTH})`, sorted(byModule), codeTotal);
print(
  `top ${TOP} functions`,
  fns
    .sort((a, b) => b.size - a.size)
    .slice(0, TOP)
    .map((f) => [f.name, f.size]),
  codeTotal,
);
const clocks = ["VirtualClock", "RealClock"].map((c) => [
  c,
  fns.filter((f) => f.name.includes(c)).reduce((a, f) => a + f.size, 0),
]);
print("code in functions whose name mentions a clock (v0 mangling shows generic arguments)", clocks, codeTotal);
if (GREPS.length) {
  print(
    "code in functions matching",
    GREPS.map((g) => {
      const re = new RegExp(g);
      return [g, fns.filter((f) => re.test(f.name)).reduce((a, f) => a + f.size, 0)];
    }),
    codeTotal,
  );
}
