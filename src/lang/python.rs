//! [`Program`] → the same program as Python asyncio, in the idiom of the post
//! the playground grew from: sources are `async def` generators that
//! `await asyncio.sleep(...)` then `yield`, aggregators are `async for`
//! loops, groups are `asyncio.gather`, `asyncio.wait`, `asyncio.Semaphore`
//! and `asyncio.timeout`, and `main()` times each statement with
//! `time.perf_counter()` and prints its result as the playground shows it.
//!
//! Helpers are emitted only when the program uses them, so a small program
//! reads like the post's code.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use super::format::{number, string};
use crate::display::seconds;
use crate::program::{
    Aggregator, ArithOp, Delays, FetchFormat, Group, Pacing, Program, SourceExpr, SourceKind, Task,
    TaskKind,
};

/// How the exported program starts its event loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PythonStyle {
    /// A script: ends with `asyncio.run(main())`.
    Script,
    /// A Jupyter cell: ends with `await main()`, because Jupyter's loop is
    /// already running and `asyncio.run` would refuse to start another.
    Notebook,
}

/// The Python helpers, in the order they are printed. Each is emitted only
/// when used; some need others (listed after the name).
const HELPERS: &[(&str, &[&str], &str)] = &[
    (
        "TaskError",
        &[],
        r#"class TaskError(Exception):
    """A task's failure: shown as its result, so one failure doesn't stop its siblings."""
"#,
    ),
    (
        "paced",
        &[],
        r#"async def paced(values, every=None, after=None, blocking=False):
    """A literal source: wait `every` seconds before each value, or one delay
    per value (`after`); with neither, all values at once. `blocking` waits
    with time.sleep, freezing the event loop like the post's sleepy generators."""
    delays = after if after is not None else [every] * len(values)
    for value, delay in zip(values, delays):
        if blocking and delay:
            time.sleep(delay)
        elif delay is not None:
            await asyncio.sleep(delay)
        yield value
"#,
    ),
    (
        "seeded",
        &[],
        r#"def seeded(count, low, high, seed):
    """`count` whole numbers in low..=high from SplitMix64, the playground's generator."""
    mask = (1 << 64) - 1
    bottom = float(math.ceil(low))
    span = min(int(max(float(math.floor(high)) - bottom, 0.0)), mask) + 1
    values = []
    for index in range(count):
        z = (seed + index + 0x9E3779B97F4A7C15) & mask
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        values.append(bottom + float((z ^ (z >> 31)) % span))
    return values
"#,
    ),
    (
        "BASE_URL",
        &[],
        r#"# The playground resolves fetch() URLs against its page; aiohttp needs whole
# URLs. `./dev serve` serves the playground here. (Its slow/... URLs are
# answered by the page's service worker, which Python doesn't have: drop the
# slow/ prefix and the latency options to read the same files.)
BASE_URL = "http://127.0.0.1:8000/"
"#,
    ),
    (
        "fetch_text",
        &["aiohttp", "BASE_URL"],
        r#"async def fetch_text(url, parse):
    """The post's aiohttp client: GET the body, then yield its numbers."""
    async with aiohttp.ClientSession() as client:
        async with client.get(urllib.parse.urljoin(BASE_URL, url)) as resp:
            resp.raise_for_status()
            body = await resp.text()
    for number in parse(body):
        yield number
"#,
    ),
    (
        "lines",
        &[],
        r#"def lines(body):
    """One number per line; blank lines are skipped."""
    return [float(line) for line in body.splitlines() if line.strip()]
"#,
    ),
    (
        "csv_column",
        &[],
        r#"def csv_column(name):
    """A CSV column by its header name."""
    def parse(body):
        return [float(row[name]) for row in csv.DictReader(io.StringIO(body))]
    return parse
"#,
    ),
    (
        "json_field",
        &[],
        r#"def json_field(name):
    """A field of each JSON line (NDJSON)."""
    def parse(body):
        return [float(json.loads(line)[name]) for line in body.splitlines() if line.strip()]
    return parse
"#,
    ),
    (
        "database",
        &[],
        r#"async def database(store, field, keys=None, limit=None):
    """The playground reads the browser's IndexedDB with a cursor; Python has no
    IndexedDB, so this reads a SQLite table of the same name the same way: rows
    in key order, one field, an optional key range and limit. The file name is
    a stand-in; point it at your own data."""
    query = f'SELECT "{field}" FROM "{store}"'
    if keys is not None:
        query += f" WHERE key BETWEEN {keys[0]} AND {keys[1]}"
    query += " ORDER BY key"
    if limit is not None:
        query += f" LIMIT {limit}"
    with sqlite3.connect("playground.db") as connection:
        for (value,) in connection.execute(query):
            await asyncio.sleep(0)  # a cursor step is one trip through the loop
            yield float(value)
"#,
    ),
    (
        "merge",
        &[],
        r#"async def merge(*sources):
    """Values of all sources as they arrive, each source asked for one value
    at a time; ends when all have ended, or at the first error."""
    async def next_of(source):
        return await anext(source)
    sources = [aiter(source) for source in sources]
    pending = {asyncio.ensure_future(next_of(s)): s for s in sources}
    try:
        while pending:
            done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for step in [step for step in pending if step in done]:
                source = pending.pop(step)
                try:
                    value = step.result()
                except StopAsyncIteration:
                    continue
                yield value
                pending[asyncio.ensure_future(next_of(source))] = source
    finally:
        for step in pending:
            step.cancel()
"#,
    ),
    (
        "take",
        &[],
        r#"async def take(values, count):
    """The first `count` values, then stop."""
    if count == 0:
        return
    seen = 0
    async for value in values:
        yield value
        seen += 1
        if seen == count:
            return
"#,
    ),
    (
        "skip",
        &[],
        r#"async def skip(values, count):
    """Drops the first `count` values, then passes the rest."""
    seen = 0
    async for value in values:
        seen += 1
        if seen > count:
            yield value
"#,
    ),
    (
        "apply",
        &[],
        r#"async def apply(values, function):
    async for value in values:
        yield function(value)
"#,
    ),
    (
        "divide",
        &[],
        r#"def divide(x, y):
    """x / y as the playground (IEEE 754) computes it: dividing by 0 gives inf or nan."""
    if y == 0:
        return math.nan if x == 0 else math.copysign(math.inf, x) * math.copysign(1, y)
    return x / y
"#,
    ),
    (
        "keep",
        &[],
        r#"async def keep(values, test):
    async for value in values:
        if test(value):
            yield value
"#,
    ),
    (
        "value_timeout",
        &["TaskError", "show_duration"],
        r#"async def value_timeout(values, seconds):
    """Fail if the next value takes longer than `seconds`."""
    values = aiter(values)
    while True:
        try:
            async with asyncio.timeout(seconds):
                value = await anext(values)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise TaskError(f"no value within {show_duration(seconds)}") from None
        yield value
"#,
    ),
    (
        "fail_after",
        &["TaskError"],
        r#"async def fail_after(values, count, message):
    """Pass `count` values through, then fail (unless the source ends first)."""
    if count == 0:
        raise TaskError(message)
    seen = 0
    async for value in values:
        yield value
        seen += 1
        if seen == count:
            raise TaskError(message)
"#,
    ),
    (
        "finite",
        &["TaskError", "show_number"],
        r#"async def finite(values):
    """Aggregators take finite numbers only (a map can make inf or nan)."""
    position = 0
    async for value in values:
        position += 1
        if not math.isfinite(value):
            shown = "NaN" if math.isnan(value) else ("inf" if value > 0 else "-inf")
            raise TaskError(f"value #{position} is {shown}: aggregators take finite numbers only")
        yield value
"#,
    ),
    (
        "overflow",
        &["TaskError"],
        r#"def overflow(name, value):
    if not math.isfinite(value):
        raise TaskError(f"{name} overflowed the range of f64")
    return value
"#,
    ),
    (
        "collect",
        &[],
        r#"async def collect(values):
    return [value async for value in values]
"#,
    ),
    (
        "count",
        &[],
        r#"async def count(values):
    n = 0
    async for _ in values:
        n += 1
    return n
"#,
    ),
    (
        "total",
        &["overflow"],
        r#"async def total(values):
    """sum: named so as not to shadow Python's sum."""
    result = 0.0
    async for value in values:
        result += value
    return overflow("sum", result)
"#,
    ),
    (
        "smallest",
        &[],
        r#"async def smallest(values):
    """min: None (shown as "empty") when no value arrives."""
    result = None
    async for value in values:
        result = value if result is None else min(result, value)
    return result
"#,
    ),
    (
        "largest",
        &[],
        r#"async def largest(values):
    """max: None (shown as "empty") when no value arrives."""
    result = None
    async for value in values:
        result = value if result is None else max(result, value)
    return result
"#,
    ),
    (
        "mean",
        &[],
        r#"async def mean(values):
    """A running mean, one pass."""
    n, result = 0, 0.0
    async for value in values:
        n += 1
        result += (value - result) / n
    return result if n else None
"#,
    ),
    (
        "stats",
        &[],
        r#"async def stats(values):
    """The post's complex_task in one pass, starting from the first value
    (the post starts min_ at 0, so no value is ever below it)."""
    n, low, high, mean = 0, None, None, 0.0
    async for value in values:
        n += 1
        low = value if low is None else min(low, value)
        high = value if high is None else max(high, value)
        mean += (value - mean) / n
    return {"count": n, "min": low, "max": high, "mean": mean} if n else None
"#,
    ),
    (
        "spread",
        &["TaskError", "overflow"],
        r#"async def spread(values, name):
    """Sample variance (var) or standard deviation (std), by Welford's one-pass method."""
    n, mean, squares = 0, 0.0, 0.0
    async for value in values:
        n += 1
        delta = value - mean
        mean += delta / n
        squares += delta * (value - mean)
    if n == 0:
        return None
    if n == 1:
        raise TaskError(f"{name} needs at least 2 values (sample variance), got 1")
    variance = squares / (n - 1)
    return overflow(name, variance if name == "var" else math.sqrt(variance))
"#,
    ),
    (
        "first",
        &[],
        r#"async def first(values):
    async for value in values:
        return value
    return None
"#,
    ),
    (
        "last",
        &[],
        r#"async def last(values):
    result = None
    async for value in values:
        result = value
    return result
"#,
    ),
    (
        "settle",
        &["TaskError"],
        r#"async def settle(task):
    """A task's result, or its error as a value."""
    try:
        return await task
    except TaskError as error:
        return error
"#,
    ),
    (
        "sequential",
        &["settle"],
        r#"async def sequential(*tasks):
    """One after the other."""
    return [await settle(task) for task in tasks]
"#,
    ),
    (
        "gather",
        &["TaskError"],
        r#"async def gather(*tasks):
    """All at once (asyncio.gather); results in input order, errors as results.
    An async def, so the tasks start when the gather is reached, not before."""
    return await asyncio.gather(*tasks, return_exceptions=True)
"#,
    ),
    (
        "race",
        &[],
        r#"async def race(*tasks):
    """All at once; the first to finish wins and the rest are cancelled."""
    if not tasks:
        return None
    running = [asyncio.ensure_future(task) for task in tasks]
    done, pending = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    winner = next(task for task in running if task in done)
    return await winner
"#,
    ),
    (
        "any_success",
        &["TaskError"],
        r#"async def any_success(*tasks):
    """All at once; the first to succeed wins and the rest are cancelled
    (like Promise.any); if every task fails, one error naming the failures."""
    if not tasks:
        return None
    running = [asyncio.ensure_future(task) for task in tasks]
    failures = []
    try:
        for finished in asyncio.as_completed(running):
            try:
                return await finished
            except TaskError as error:
                failures.append(str(error))
    finally:
        for task in running:
            task.cancel()
    shown = "; ".join(failures[:3])
    if len(failures) > 3:
        shown += f"; and {len(failures) - 3} more"
    raise TaskError(f"every task failed: {shown}")
"#,
    ),
    (
        "limit",
        &["settle"],
        r#"async def limit(k, *tasks):
    """At most k at once (asyncio.Semaphore); results in input order."""
    semaphore = asyncio.Semaphore(k)
    async def slot(task):
        async with semaphore:
            return await settle(task)
    return await asyncio.gather(*(slot(task) for task in tasks))
"#,
    ),
    (
        "deadline",
        &["settle", "TaskError", "show_duration"],
        r#"async def deadline(seconds, *tasks):
    """The tasks one after the other, cancelled after `seconds` (asyncio.timeout)."""
    try:
        async with asyncio.timeout(seconds):
            results = [await settle(task) for task in tasks]
    except TimeoutError:
        raise TaskError(f"timed out after {show_duration(seconds)}") from None
    finally:
        for task in tasks:
            task.close()  # the ones the deadline never reached
    return results[0] if len(results) == 1 else results
"#,
    ),
    (
        "show_number",
        &[],
        r#"def show_number(x):
    """A number as the playground shows it: 70, not 70.0; 1e+308 as 1e308."""
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if x == int(x) and abs(x) < 9e15:
        return str(int(x))
    exact = decimal.Decimal(repr(x))
    if 1e-6 <= abs(x) < 1e21:
        return format(exact, "f")
    sign, digits, exponent = exact.normalize().as_tuple()
    mantissa = str(digits[0]) + ("." + "".join(map(str, digits[1:])) if len(digits) > 1 else "")
    return ("-" if sign else "") + f"{mantissa}e{exponent + len(digits) - 1}"
"#,
    ),
    (
        "show_duration",
        &["show_number"],
        r#"def show_duration(seconds):
    ms = seconds * 1000
    if ms == 0:
        return "0s"
    return f"{show_number(seconds)}s" if ms >= 1000 and seconds * 1000 == ms else f"{show_number(ms)}ms"
"#,
    ),
    (
        "show",
        &["show_number", "TaskError"],
        r#"def show(result):
    """A result in the playground's own text form."""
    if result is None:
        return "empty"
    if isinstance(result, TaskError):
        return f"error: {result}"
    if isinstance(result, dict):
        return "{" + ", ".join(f"{key}: {show(value)}" for key, value in result.items()) + "}"
    if isinstance(result, list):
        shown = [show(item) for item in result[:100]]
        if len(result) > 100:
            shown.append(f"… {len(result) - 100} more")
        return "[" + ", ".join(shown) + "]"
    return show_number(result)
"#,
    ),
    (
        "report",
        &["show", "settle"],
        r#"async def report(label, task):
    """Runs one statement, then prints its result and how long it took."""
    start = time.perf_counter()
    result = await settle(task)
    elapsed = time.perf_counter() - start
    print(f"{label}{show(result)}  ({elapsed * 1000:.0f} ms)")
"#,
    ),
];

/// Names a source can't take in Python: keywords, the builtins and modules
/// the export uses, and `main`.
const RESERVED: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "match",
    "case",
    "type",
    "main",
    "asyncio",
    "time",
    "math",
    "decimal",
    "csv",
    "io",
    "json",
    "sqlite3",
    "aiohttp",
    "min",
    "max",
    "len",
    "zip",
    "list",
    "print",
    "float",
    "int",
    "str",
    "dict",
    "isinstance",
    "next",
    "aiter",
    "anext",
    "map",
    "repr",
    "format",
    "abs",
    "TimeoutError",
    "StopAsyncIteration",
    "Exception",
];

/// Lines longer than this (PEP 8 with Black's allowance) break a group's
/// children over several lines.
const MAX_LINE: usize = 88;

/// Python's name for an aggregator function, and a second argument if any.
fn aggregator_call(aggregator: Aggregator) -> (&'static str, Option<&'static str>) {
    match aggregator {
        Aggregator::Collect => ("collect", None),
        Aggregator::Count => ("count", None),
        Aggregator::Sum => ("total", None),
        Aggregator::Min => ("smallest", None),
        Aggregator::Max => ("largest", None),
        Aggregator::Mean => ("mean", None),
        Aggregator::Stats => ("stats", None),
        Aggregator::Var => ("spread", Some("\"var\"")),
        Aggregator::Std => ("spread", Some("\"std\"")),
        Aggregator::First => ("first", None),
        Aggregator::Last => ("last", None),
    }
}

/// The program as Python asyncio code that prints each statement's result
/// (as the playground shows it) and its time.
///
/// ```
/// use async_playground::lang::{parse, to_python, PythonStyle};
/// let program = parse("source afeat1 = [10, 20, 40] every 1s\nsum(afeat1)").unwrap();
/// let python = to_python(&program, PythonStyle::Script);
/// assert!(python.contains("async def afeat1():\n    for value in [10, 20, 40]:\n        await asyncio.sleep(1)\n        yield value\n"));
/// assert!(python.contains("await report(\"\", total(afeat1()))"));
/// assert!(python.ends_with("asyncio.run(main())\n"));
/// ```
pub(crate) fn program(program: &Program, style: PythonStyle) -> String {
    let mut writer = Writer::default();
    for def in &program.sources {
        let mut name = def.name.clone();
        while RESERVED.contains(&name.as_str())
            || HELPERS.iter().any(|(helper, ..)| *helper == name)
            || program
                .sources
                .iter()
                .any(|d| d.name == name && d.name != def.name)
        {
            name.push('_');
        }
        writer.names.insert(def.name.clone(), name);
    }
    let mut sources = String::new();
    for def in &program.sources {
        if may_be_non_finite(&def.body, &writer.non_finite) {
            writer.non_finite.insert(def.name.clone());
        }
        let name = writer.names[&def.name].clone();
        sources.push_str(&writer.source_def(&name, &def.body));
        sources.push_str("\n\n");
    }
    let mut main = String::from("async def main():\n");
    if program.statements.is_empty() {
        main.push_str("    pass  # an empty program has nothing to run\n");
    }
    for statement in &program.statements {
        writer.use_helper("report");
        let label = statement
            .label
            .as_ref()
            .map_or_else(|| "\"\"".to_string(), |l| python_string(&format!("{l}: ")));
        let call = writer.task(statement, 1);
        let _ = writeln!(main, "    await report({label}, {call})");
    }

    let mut out = String::new();
    let mut imports = vec!["asyncio"];
    for (helper, module) in [
        ("seeded", "math"),
        ("divide", "math"),
        ("finite", "math"),
        ("overflow", "math"),
        ("spread", "math"),
        ("show_number", "decimal"),
        ("show_number", "math"),
        ("lines", ""),
        ("csv_column", "csv"),
        ("csv_column", "io"),
        ("json_field", "json"),
        ("database", "sqlite3"),
        ("fetch_text", "urllib.parse"),
        ("report", "time"),
    ] {
        if writer.helpers.contains(helper) && !module.is_empty() && !imports.contains(&module) {
            imports.push(module);
        }
    }
    if writer.blocking && !imports.contains(&"time") {
        imports.push("time");
    }
    imports.sort_unstable();
    for module in imports {
        let _ = writeln!(out, "import {module}");
    }
    if writer.helpers.contains("aiohttp") {
        out.push_str("\nimport aiohttp  # pip install aiohttp\n");
    }
    // The program first, as a person reads it; the building blocks after:
    // Python looks names up when main() runs, at the very end.
    out.push_str("\n\n");
    out.push_str(&sources);
    out.push_str(&main);
    out.push_str("\n\n# The playground's building blocks, in plain asyncio.\n\n\n");
    for (name, _, code) in HELPERS {
        if writer.helpers.contains(name) {
            out.push_str(code);
            out.push_str("\n\n");
        }
    }
    match style {
        PythonStyle::Script => out.push_str("asyncio.run(main())\n"),
        PythonStyle::Notebook => out.push_str(
            "# In Jupyter the event loop is already running, so asyncio.run(main()) would raise\n\
             # \"RuntimeError: asyncio.run() cannot be called from a running event loop\".\n\
             # A notebook cell may await at the top level instead:\n\
             await main()\n",
        ),
    }
    out
}

/// Collects which helpers the program needs while writing its parts.
#[derive(Default)]
struct Writer {
    helpers: BTreeSet<&'static str>,
    /// Source names as Python names (one that is a Python word gets a `_`).
    names: HashMap<String, String>,
    /// Sources whose values may be inf or nan (a map somewhere inside).
    non_finite: HashSet<String>,
    blocking: bool,
}

impl Writer {
    fn use_helper(&mut self, name: &'static str) {
        if !self.helpers.insert(name) {
            return;
        }
        if let Some((_, needs, _)) = HELPERS.iter().find(|(n, ..)| *n == name) {
            for need in *needs {
                self.use_helper(need);
            }
        }
    }

    /// A named source: an `async def` generator, written out in the post's
    /// style when it is a paced list, or returning a composed stream.
    fn source_def(&mut self, name: &str, body: &SourceExpr) -> String {
        let literal = match &body.kind {
            SourceKind::Values { values, pacing } => Some((list(values), pacing)),
            SourceKind::Range { count, pacing } => Some((format!("range({count})"), pacing)),
            SourceKind::Random {
                count,
                low,
                high,
                seed,
                pacing,
            } => {
                self.use_helper("seeded");
                Some((
                    format!("seeded({count}, {}, {}, {seed})", float(*low), float(*high)),
                    pacing,
                ))
            }
            _ => None,
        };
        let Some((values, pacing)) = literal else {
            let stream = self.source(body);
            return format!("def {name}():\n    return {stream}\n");
        };
        let mut out = format!("async def {name}():\n");
        match &pacing.delays {
            Delays::None => {
                let _ = writeln!(out, "    for value in {values}:\n        yield value");
            }
            Delays::Every(ms) => {
                let _ = writeln!(out, "    for value in {values}:");
                let _ = writeln!(out, "        {}", self.wait(&seconds(*ms), pacing.blocking));
                out.push_str("        yield value\n");
            }
            Delays::Each(list) => {
                let delays: Vec<String> = list.iter().map(|ms| seconds(*ms)).collect();
                let _ = writeln!(
                    out,
                    "    for value, delay in zip({values}, [{}]):",
                    delays.join(", ")
                );
                if pacing.blocking {
                    self.blocking = true;
                    out.push_str("        if delay > 0:\n            time.sleep(delay)  # blocks the event loop\n        else:\n            await asyncio.sleep(0)\n");
                } else {
                    out.push_str("        await asyncio.sleep(delay)\n");
                }
                out.push_str("        yield value\n");
            }
        }
        out
    }

    /// `await asyncio.sleep(s)`, or the post's blocking `time.sleep(s)`.
    fn wait(&mut self, seconds: &str, blocking: bool) -> String {
        if blocking && seconds != "0" {
            self.blocking = true;
            format!("time.sleep({seconds})  # blocks the event loop")
        } else {
            format!("await asyncio.sleep({seconds})")
        }
    }

    /// A Python expression making a fresh async iterator.
    fn source(&mut self, expr: &SourceExpr) -> String {
        match &expr.kind {
            SourceKind::Named(name) => format!("{}()", self.names.get(name).unwrap_or(name)),
            SourceKind::Values { values, pacing } => self.paced(list(values), pacing),
            SourceKind::Range { count, pacing } => self.paced(format!("range({count})"), pacing),
            SourceKind::Random {
                count,
                low,
                high,
                seed,
                pacing,
            } => {
                self.use_helper("seeded");
                let values = format!("seeded({count}, {}, {}, {seed})", float(*low), float(*high));
                self.paced(values, pacing)
            }
            SourceKind::Fetch { url, format } => {
                self.use_helper("fetch_text");
                let parse = match format {
                    FetchFormat::Lines => {
                        self.use_helper("lines");
                        "lines".to_string()
                    }
                    FetchFormat::Csv { column } => {
                        self.use_helper("csv_column");
                        format!("csv_column({})", python_string(column))
                    }
                    FetchFormat::Ndjson { field } => {
                        self.use_helper("json_field");
                        format!("json_field({})", python_string(field))
                    }
                };
                format!("fetch_text({}, {parse})", python_string(url))
            }
            SourceKind::Database {
                store,
                field,
                keys,
                limit,
            } => {
                self.use_helper("database");
                let mut call = format!(
                    "database({}, {}",
                    python_string(store),
                    python_string(field)
                );
                if let Some((low, high)) = keys {
                    let _ = write!(call, ", keys=({}, {})", float(*low), float(*high));
                }
                if let Some(limit) = limit {
                    let _ = write!(call, ", limit={limit}");
                }
                call.push(')');
                call
            }
            SourceKind::Merge(inputs) => {
                self.use_helper("merge");
                let inputs: Vec<String> = inputs.iter().map(|i| self.source(i)).collect();
                format!("merge({})", inputs.join(", "))
            }
            SourceKind::Take { source, count } => {
                self.use_helper("take");
                format!("take({}, {count})", self.source(source))
            }
            SourceKind::Skip { source, count } => {
                self.use_helper("skip");
                format!("skip({}, {count})", self.source(source))
            }
            SourceKind::Map {
                source,
                op,
                operand,
            } => {
                self.use_helper("apply");
                let operand = float(*operand);
                let function = if *op == ArithOp::Div {
                    self.use_helper("divide");
                    format!("divide(v, {operand})")
                } else {
                    format!("v {} {operand}", op.symbol())
                };
                format!("apply({}, lambda v: {function})", self.source(source))
            }
            SourceKind::Filter {
                source,
                op,
                operand,
            } => {
                self.use_helper("keep");
                format!(
                    "keep({}, lambda v: v {} {})",
                    self.source(source),
                    op.symbol(),
                    float(*operand)
                )
            }
            SourceKind::Timeout { source, ms } => {
                self.use_helper("value_timeout");
                format!("value_timeout({}, {})", self.source(source), seconds(*ms))
            }
            SourceKind::FailAfter {
                source,
                count,
                message,
            } => {
                self.use_helper("fail_after");
                format!(
                    "fail_after({}, {count}, {})",
                    self.source(source),
                    python_string(message)
                )
            }
        }
    }

    /// An inline literal source: `paced(values, every=...)`.
    fn paced(&mut self, values: String, pacing: &Pacing) -> String {
        self.use_helper("paced");
        let mut call = format!("paced({values}");
        match &pacing.delays {
            Delays::None => {}
            Delays::Every(ms) => {
                let _ = write!(call, ", every={}", seconds(*ms));
            }
            Delays::Each(list) => {
                let items: Vec<String> = list.iter().map(|ms| seconds(*ms)).collect();
                let _ = write!(call, ", after=[{}]", items.join(", "));
            }
        }
        if pacing.blocking && !matches!(pacing.delays, Delays::None) {
            self.blocking = true;
            call.push_str(", blocking=True");
        }
        call.push(')');
        call
    }

    /// A Python expression making the task's coroutine; a long group puts
    /// one child per line, `depth` levels of 4 spaces in.
    fn task(&mut self, task: &Task, depth: usize) -> String {
        match &task.kind {
            TaskKind::Aggregate { aggregator, source } => {
                let (name, extra) = aggregator_call(*aggregator);
                self.use_helper(name);
                let mut stream = self.source(source);
                if may_be_non_finite(source, &self.non_finite) {
                    self.use_helper("finite");
                    stream = format!("finite({stream})");
                }
                match extra {
                    Some(extra) => format!("{name}({stream}, {extra})"),
                    None => format!("{name}({stream})"),
                }
            }
            TaskKind::Repeat { count, task } => {
                format!("*({} for _ in range({count}))", self.task(task, depth))
            }
            TaskKind::Group { group, children } => {
                let (name, parameter) = match group {
                    Group::Sequential => ("sequential", None),
                    Group::Gather => ("gather", None),
                    Group::Race => ("race", None),
                    Group::Any => ("any_success", None),
                    Group::Limit(k) => ("limit", Some(k.to_string())),
                    Group::Timeout(ms) => ("deadline", Some(seconds(*ms))),
                };
                self.use_helper(name);
                let arguments: Vec<String> = parameter
                    .into_iter()
                    .chain(children.iter().map(|child| self.task(child, depth + 1)))
                    .collect();
                let one_line = format!("{name}({})", arguments.join(", "));
                if one_line.len() + 4 * depth <= MAX_LINE && !one_line.contains('\n') {
                    return one_line;
                }
                let inner = "    ".repeat(depth + 1);
                let mut call = format!("{name}(\n");
                for argument in arguments {
                    let _ = writeln!(call, "{inner}{argument},");
                }
                call.push_str(&"    ".repeat(depth));
                call.push(')');
                call
            }
        }
    }
}

/// Whether a map or outside data somewhere in the source could make inf or
/// nan; `named` holds the defined sources that could.
fn may_be_non_finite(expr: &SourceExpr, named: &HashSet<String>) -> bool {
    match &expr.kind {
        SourceKind::Map { .. } | SourceKind::Fetch { .. } | SourceKind::Database { .. } => true,
        SourceKind::Named(name) => named.contains(name),
        _ => expr
            .inputs()
            .iter()
            .any(|input| may_be_non_finite(input, named)),
    }
}

/// A Python list of numbers, as short as the canonical text.
fn list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| float(*v)).collect();
    format!("[{}]", items.join(", "))
}

/// A number as a Python literal: the canonical form, which Python reads
/// back to the same float (`1e308`, `-2.5`, `70`).
fn float(value: f64) -> String {
    if value == 0.0 && value.is_sign_negative() {
        return "-0.0".to_string();
    }
    number(value)
}

/// A Python string literal: the playground's escapes are Python's too.
fn python_string(text: &str) -> String {
    string(text)
}
