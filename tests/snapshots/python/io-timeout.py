import asyncio
import decimal
import math
import time
import urllib.parse

import aiohttp  # pip install aiohttp


async def main():
    await report("", deadline(
        0.5,
        total(finite(fetch_text("slow/data/numbers.txt?latency=2000", lines))),
    ))
    await report("", deadline(2, total(finite(fetch_text("slow/data/numbers.txt?latency=300", lines)))))
    await report("", collect(finite(value_timeout(fetch_text("slow/data/numbers.txt?latency=100&chunk=6&pace=400", lines), 0.3))))


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


async def value_timeout(values, seconds):
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


async def collect(values):
    return [value async for value in values]


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


async def deadline(seconds, *tasks):
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


def show_duration(seconds):
    if seconds == 0:
        return "0s"
    # The program's milliseconds: the shortest number that gives these seconds
    # (seconds * 1000 can miss it: 1.013 * 1000 is 1012.9999999999999).
    candidates = (float(f"{seconds * 1000:.{digits}g}") for digits in range(1, 18))
    ms = next((m for m in candidates if m / 1000 == seconds), seconds * 1000)
    return f"{show_number(seconds)}s" if ms >= 1000 and seconds * 1000 == ms else f"{show_number(ms)}ms"


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
