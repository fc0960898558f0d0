import asyncio
import decimal
import math
import time


async def mirror1():
    for value in [10, 20, 40]:
        await asyncio.sleep(0.3)
        yield value


async def mirror2():
    for value in [50, 500, 5000]:
        await asyncio.sleep(0.1)
        yield value


async def main():
    await report("", race(first(mirror1()), first(mirror2())))


# The playground's building blocks, in plain asyncio.


class TaskError(Exception):
    """A task's failure: shown as its result, so one failure doesn't stop its siblings."""


async def first(values):
    async for value in values:
        return value
    return None


async def settle(task):
    """A task's result, or its error as a value."""
    try:
        return await task
    except TaskError as error:
        return error


async def race(*tasks):
    """All at once; the first to finish wins and the rest are cancelled."""
    if not tasks:
        return None
    running = [asyncio.ensure_future(task) for task in tasks]
    done, pending = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    winner = next(task for task in running if task in done)
    return await winner


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
