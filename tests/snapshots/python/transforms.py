import asyncio
import decimal
import math
import time


async def afeat1():
    for value in [10, 20, 40]:
        await asyncio.sleep(0.1)
        yield value


async def main():
    await report("doubled: ", collect(finite(apply(afeat1(), lambda v: v * 2))))
    await report("over 15: ", collect(keep(afeat1(), lambda v: v > 15)))
    await report("first two: ", total(take(afeat1(), 2)))
    await report("chain: ", total(finite(value_timeout(take(keep(apply(afeat1(), lambda v: v * 2), lambda v: v > 25), 2), 2))))


# The playground's building blocks, in plain asyncio.


class TaskError(Exception):
    """A task's failure: shown as its result, so one failure doesn't stop its siblings."""


async def take(values, count):
    """The first `count` values, then stop."""
    if count == 0:
        return
    seen = 0
    async for value in values:
        yield value
        seen += 1
        if seen == count:
            return


async def apply(values, function):
    async for value in values:
        yield function(value)


async def keep(values, test):
    async for value in values:
        if test(value):
            yield value


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
