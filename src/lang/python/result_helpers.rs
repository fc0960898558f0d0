//! The Python export's helpers for results: finite input, groups
//! (sequential ... deadline) and how results are shown. An aggregator's
//! helpers live in its own file in `aggregate/`.

use crate::source::PythonHelper;

/// Helpers for an aggregator's input, printed before the aggregators' own.
pub(super) const INPUT_HELPERS: &[PythonHelper] = &[
    PythonHelper {
        name: "finite",
        needs: &["TaskError", "show_number"],
        imports: &["math"],
        code: r#"async def finite(values):
    """Aggregators take finite numbers only (a map can make inf or nan)."""
    position = 0
    async for value in values:
        position += 1
        if not math.isfinite(value):
            shown = "NaN" if math.isnan(value) else ("inf" if value > 0 else "-inf")
            raise TaskError(f"value #{position} is {shown}: aggregators take finite numbers only")
        yield value
"#,
    },
    PythonHelper {
        name: "overflow",
        needs: &["TaskError"],
        imports: &["math"],
        code: r#"def overflow(name, value):
    if not math.isfinite(value):
        raise TaskError(f"{name} overflowed the range of f64")
    return value
"#,
    },
];

/// Group and report helpers, printed after the aggregators'.
pub(super) const HELPERS: &[PythonHelper] = &[
    PythonHelper {
        name: "settle",
        needs: &["TaskError"],
        imports: &[],
        code: r#"async def settle(task):
    """A task's result, or its error as a value."""
    try:
        return await task
    except TaskError as error:
        return error
"#,
    },
    PythonHelper {
        name: "sequential",
        needs: &["settle"],
        imports: &[],
        code: r#"async def sequential(*tasks):
    """One after the other."""
    return [await settle(task) for task in tasks]
"#,
    },
    PythonHelper {
        name: "gather",
        needs: &["TaskError"],
        imports: &[],
        code: r#"async def gather(*tasks):
    """All at once (asyncio.gather); results in input order, errors as results.
    An async def, so the tasks start when the gather is reached, not before."""
    return await asyncio.gather(*tasks, return_exceptions=True)
"#,
    },
    PythonHelper {
        name: "race",
        needs: &[],
        imports: &[],
        code: r#"async def race(*tasks):
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
    },
    PythonHelper {
        name: "any_success",
        needs: &["TaskError"],
        imports: &[],
        code: r#"async def any_success(*tasks):
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
    },
    PythonHelper {
        name: "limit",
        needs: &["settle"],
        imports: &[],
        code: r#"async def limit(k, *tasks):
    """At most k at once (asyncio.Semaphore); results in input order."""
    semaphore = asyncio.Semaphore(k)
    async def slot(task):
        async with semaphore:
            return await settle(task)
    return await asyncio.gather(*(slot(task) for task in tasks))
"#,
    },
    PythonHelper {
        name: "deadline",
        needs: &["settle", "TaskError", "show_duration"],
        imports: &[],
        code: r#"async def deadline(seconds, *tasks):
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
    },
    PythonHelper {
        name: "show_number",
        needs: &[],
        imports: &["decimal", "math"],
        code: r#"def show_number(x):
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
    },
    PythonHelper {
        name: "show_duration",
        needs: &["show_number"],
        imports: &[],
        code: r#"def show_duration(seconds):
    if seconds == 0:
        return "0s"
    # The program's milliseconds: the shortest number that gives these seconds
    # (seconds * 1000 can miss it: 1.013 * 1000 is 1012.9999999999999).
    candidates = (float(f"{seconds * 1000:.{digits}g}") for digits in range(1, 18))
    ms = next((m for m in candidates if m / 1000 == seconds), seconds * 1000)
    return f"{show_number(seconds)}s" if ms >= 1000 and seconds * 1000 == ms else f"{show_number(ms)}ms"
"#,
    },
    PythonHelper {
        name: "show",
        needs: &["show_number", "TaskError"],
        imports: &[],
        code: r#"def show(result):
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
    },
    PythonHelper {
        name: "report",
        needs: &["show", "settle"],
        imports: &["time"],
        code: r#"async def report(label, task):
    """Runs one statement, then prints its result and how long it took."""
    start = time.perf_counter()
    result = await settle(task)
    elapsed = time.perf_counter() - start
    print(f"{label}{show(result)}  ({elapsed * 1000:.0f} ms)")
"#,
    },
];
