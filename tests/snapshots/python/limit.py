import asyncio
import decimal
import math
import time


async def afeat1():
    for value in [10, 20, 40]:
        await asyncio.sleep(1)
        yield value


async def main():
    await report("", limit(2, total(afeat1()), total(afeat1()), total(afeat1()), total(afeat1())))


# The playground's building blocks, in plain asyncio.


class TaskError(Exception):
    """A task's failure: shown as its result, so one failure doesn't stop its siblings."""


def overflow(name, value):
    if not math.isfinite(value):
        raise TaskError(f"{name} overflowed the range of f64")
    return value


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


async def limit(k, *tasks):
    """At most k at once (asyncio.Semaphore); results in input order."""
    semaphore = asyncio.Semaphore(k)
    async def slot(task):
        async with semaphore:
            return await settle(task)
    return await asyncio.gather(*(slot(task) for task in tasks))


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
