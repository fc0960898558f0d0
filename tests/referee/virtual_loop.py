"""CPython as the referee: runs exported programs on a virtual-time asyncio loop.

Reads programs from stdin, separated by NUL bytes: each is the output of
`lang::to_python(.., Script)` without its last line (`asyncio.run(main())`).
For each, prints one line per statement, `S <elapsed ms> <result text>`
(backslash, newline and tab escaped), then `END`, or `CRASH <traceback>`.

The loop is asyncio's own (SelectorEventLoop) with two changes: time is
virtual (the selector advances it instead of waiting, and time.sleep
advances it instead of blocking), and timers due at the same instant fire in
the order they were set, as they would with a real clock, where a later
call_at can't get an earlier deadline.
"""

import asyncio
import heapq
import itertools
import logging
import selectors
import sys
import time
import traceback
import warnings


class OrderedTimer(asyncio.TimerHandle):
    __slots__ = ("_order",)

    def __lt__(self, other):
        return (self._when, self._order) < (other._when, other._order)


class VirtualSelector(selectors.SelectSelector):
    def __init__(self, loop):
        super().__init__()
        self.loop = loop

    def select(self, timeout=None):
        if timeout is None:
            raise RuntimeError("deadlock: nothing ready and no timer set")
        self.loop.advance(timeout)
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._now = 0.0
        self._order = itertools.count()
        super().__init__(selector=VirtualSelector(self))

    def time(self):
        return self._now

    def advance(self, seconds):
        if seconds > 0:
            self._now += seconds

    def call_at(self, when, callback, *args, context=None):
        self._check_closed()
        timer = OrderedTimer(when, callback, args, self, context)
        timer._order = next(self._order)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer


LOOP = None


def virtual_sleep(seconds):
    """time.sleep on the virtual clock: blocks the loop and moves time on."""
    LOOP.advance(seconds)


def escape(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def run(source):
    global LOOP
    namespace = {"__name__": "exported"}
    exec(compile(source, "<exported>", "exec"), namespace)
    lines = []

    async def report(label, task):
        start = LOOP.time()
        result = await namespace["settle"](task)
        elapsed_ms = (LOOP.time() - start) * 1000
        lines.append(f"S {elapsed_ms!r} {escape(namespace['show'](result))}")

    namespace["report"] = report
    LOOP = VirtualLoop()
    try:
        LOOP.run_until_complete(namespace["main"]())
        # Cancelled racers finish unwinding; generators close, as at asyncio.run's end.
        LOOP.run_until_complete(LOOP.shutdown_asyncgens())
    finally:
        LOOP.close()
    return lines


def main():
    time.sleep = virtual_sleep
    time.perf_counter = lambda: LOOP.time()
    warnings.simplefilter("ignore")
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    sys.unraisablehook = lambda _: None  # generators closed during shutdown
    out = sys.stdout
    for source in sys.stdin.read().split("\0"):
        if not source.strip():
            continue
        try:
            lines = run(source)
            out.write("\n".join(lines + ["END"]) + "\n")
        except BaseException:
            out.write("CRASH " + escape(traceback.format_exc()) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
