import asyncio
import decimal
import math
import random
import time


async def call():
    for value in [1]:
        await asyncio.sleep(random_delay("fixed", 0.1, spike=(1, 2)))
        yield value


async def main():
    random.seed(1)  # the program's seed line; Python draws its own numbers
    await report("100 calls: ", gather(*(first(call()) for _ in range(100))))
    await report("100 hedged calls: ", gather(*(race(first(call()), first(delayed(call(), 0.15))) for _ in range(100))))
    await report("100 calls, 300ms fallback: ", gather(*(race(first(call()), first(paced([0], after=[0.3]))) for _ in range(100))))


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


def random_delay(kind, a, b=None, spike=None):
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


async def delayed(values, seconds):
    """Start `seconds` later (`| delay`): the duplicate of a hedged request."""
    if seconds > 0:
        await asyncio.sleep(seconds)
    async for value in values:
        yield value


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


async def gather(*tasks):
    """All at once (asyncio.gather); results in input order, errors as results.
    An async def, so the tasks start when the gather is reached, not before."""
    return await asyncio.gather(*tasks, return_exceptions=True)


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
