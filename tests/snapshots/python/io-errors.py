import asyncio
import csv
import decimal
import io
import math
import sqlite3
import time
import urllib.parse

import aiohttp  # pip install aiohttp


async def main():
    await report("", gather(
        total(finite(fetch_text("slow/data/numbers.txt?latency=200", lines))),
        total(finite(fetch_text("slow/data/numbers.txt?status=503", lines))),
        total(finite(fetch_text("data/bad-row.csv", csv_column("age")))),
        total(finite(fetch_text("data/bad-value.csv", csv_column("age")))),
        total(finite(fetch_text("data/features.csv", csv_column("agee")))),
        count(finite(database("featurs", "age"))),
    ))


# The playground's building blocks, in plain asyncio.


class TaskError(Exception):
    """A task's failure: shown as its result, so one failure doesn't stop its siblings."""


# The playground resolves fetch() URLs against its page; aiohttp needs whole
# URLs. `./dev serve` serves the playground here. (Its slow/... URLs are
# answered by the page's service worker, which Python doesn't have: drop the
# slow/ prefix and the latency options to read the same files.)
BASE_URL = "http://127.0.0.1:8000/"


async def fetch_text(url, parse):
    """The post's aiohttp client: GET the body, then yield its numbers."""
    async with aiohttp.ClientSession() as client:
        async with client.get(urllib.parse.urljoin(BASE_URL, url)) as resp:
            resp.raise_for_status()
            body = await resp.text()
    for number in parse(body):
        yield number


def lines(body):
    """One number per line; blank lines are skipped."""
    return [float(line) for line in body.splitlines() if line.strip()]


def csv_column(name):
    """A CSV column by its header name."""
    def parse(body):
        return [float(row[name]) for row in csv.DictReader(io.StringIO(body))]
    return parse


async def database(store, field, keys=None, limit=None):
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


async def finite(values):
    """Aggregators take finite numbers only (a map can make inf or nan)."""
    position = 0
    async for value in values:
        position += 1
        if not math.isfinite(value):
            shown = "NaN" if math.isnan(value) else ("inf" if value > 0 else "-inf")
            raise TaskError(f"value #{position} is {shown}: aggregators take finite numbers only")
        yield value


def overflow(name, value):
    if not math.isfinite(value):
        raise TaskError(f"{name} overflowed the range of f64")
    return value


async def count(values):
    n = 0
    async for _ in values:
        n += 1
    return n


async def total(values):
    """sum: named so as not to shadow Python's sum."""
    result = 0.0
    async for value in values:
        result += value
    return overflow("sum", result)


async def settle(task):
    """A task's result, or its error as a value."""
    try:
        return await task
    except TaskError as error:
        return error


async def gather(*tasks):
    """All at once (asyncio.gather); results in input order, errors as results.
    An async def, so the tasks start when the gather is reached, not before."""
    return await asyncio.gather(*tasks, return_exceptions=True)


def show_number(x):
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


def show(result):
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


async def report(label, task):
    """Runs one statement, then prints its result and how long it took."""
    start = time.perf_counter()
    result = await settle(task)
    elapsed = time.perf_counter() - start
    print(f"{label}{show(result)}  ({elapsed * 1000:.0f} ms)")


asyncio.run(main())
