//! The Python export's helpers for sources: pacing, random delays, fetch
//! and database readers, merge.
//!
//! A transform's helpers live in its own file in `source/`.

use crate::source::PythonHelper;

/// Source helpers, in the order they are printed.
pub(super) const HELPERS: &[PythonHelper] = &[
    PythonHelper {
        name: "TaskError",
        needs: &[],
        imports: &[],
        code: r#"class TaskError(Exception):
    """A task's failure: shown as its result, so one failure doesn't stop its siblings."""
"#,
    },
    PythonHelper {
        name: "paced",
        needs: &[],
        imports: &[],
        code: r#"async def paced(values, every=None, after=None, blocking=False):
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
    },
    PythonHelper {
        name: "random_delay",
        needs: &[],
        imports: &["math", "random"],
        code: r#"def random_delay(kind, a, b=None, spike=None):
    """A delay in seconds drawn like the playground's `every uniform(a..b)`,
    `exp(a)`, `lognormal(a, p99 b)` and `spike P% S` (spike=(P, S)): the same
    distributions, from Python's random, so other numbers than its seeds."""
    if spike is not None and random.random() * 100 < spike[0]:
        return spike[1]
    if kind == "uniform":
        return random.uniform(a, b)
    if kind == "exp":
        return random.expovariate(1 / a) if a > 0 else 0.0
    if kind == "lognormal":
        sigma = math.log(b / a) / 2.3263478740408408
        return min(a * math.exp(sigma * random.gauss(0, 1)), 3600.0)
    return a
"#,
    },
    PythonHelper {
        name: "jittered",
        needs: &["random_delay"],
        imports: &[],
        code: r#"async def jittered(values, delay):
    """A literal source with a random delay before each value: `delay()` draws it."""
    for value in values:
        await asyncio.sleep(delay())
        yield value
"#,
    },
    PythonHelper {
        name: "seeded",
        needs: &[],
        imports: &["math"],
        code: r#"def seeded(count, low, high, seed):
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
    },
    PythonHelper {
        name: "BASE_URL",
        needs: &[],
        imports: &[],
        code: r#"# The playground resolves fetch() URLs against its page; aiohttp needs whole
# URLs. `./dev serve` serves the playground here. (Its slow/... URLs are
# answered by the page's service worker, which Python doesn't have: drop the
# slow/ prefix and the latency options to read the same files.)
BASE_URL = "http://127.0.0.1:8000/"
"#,
    },
    PythonHelper {
        name: "fetch_text",
        needs: &["aiohttp", "BASE_URL"],
        imports: &["urllib.parse"],
        code: r#"async def fetch_text(url, parse):
    """The post's aiohttp client: GET the body, then yield its numbers."""
    async with aiohttp.ClientSession() as client:
        async with client.get(urllib.parse.urljoin(BASE_URL, url)) as resp:
            resp.raise_for_status()
            body = await resp.text()
    for number in parse(body):
        yield number
"#,
    },
    PythonHelper {
        name: "lines",
        needs: &[],
        imports: &[],
        code: r#"def lines(body):
    """One number per line; blank lines are skipped."""
    return [float(line) for line in body.splitlines() if line.strip()]
"#,
    },
    PythonHelper {
        name: "csv_column",
        needs: &[],
        imports: &["csv", "io"],
        code: r#"def csv_column(name):
    """A CSV column by its header name."""
    def parse(body):
        return [float(row[name]) for row in csv.DictReader(io.StringIO(body))]
    return parse
"#,
    },
    PythonHelper {
        name: "json_field",
        needs: &[],
        imports: &["json"],
        code: r#"def json_field(name):
    """A field of each JSON line (NDJSON)."""
    def parse(body):
        return [float(json.loads(line)[name]) for line in body.splitlines() if line.strip()]
    return parse
"#,
    },
    PythonHelper {
        name: "database",
        needs: &[],
        imports: &["sqlite3"],
        code: r#"async def database(store, field, keys=None, limit=None):
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
    },
    PythonHelper {
        name: "merge",
        needs: &[],
        imports: &[],
        code: r#"async def merge(*sources):
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
    },
];
