import asyncio
import decimal
import math
import time


async def afeat1():
    for value in [10, 20, 40]:
        await asyncio.sleep(1)
        yield value


async def afeat2():
    for value in [50, 500, 5000]:
        await asyncio.sleep(1)
        yield value


def flaky():
    return fail_after(paced([1, 2, 3], every=1), 2, "connection reset")


async def main():
    await report("", gather(collect(afeat1()), collect(flaky()), collect(afeat2())))


# The playground's building blocks, in plain asyncio.


class TaskError(Exception):
    """A task's failure: shown as its result, so one failure doesn't stop its siblings."""


async def paced(values, every=None, after=None, blocking=False):
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


async def fail_after(values, count, message):
    """Pass `count` values through, then fail (unless the source ends first)."""
    if count == 0:
        raise TaskError(message)
    seen = 0
    async for value in values:
        yield value
        seen += 1
        if seen == count:
            raise TaskError(message)


async def collect(values):
    return [value async for value in values]


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
