"""The load driver: N closed-loop clients, each on its own keep-alive connection, for a fixed time.

A *phase* runs one scenario: every client repeats the scenario's step (which may send several requests, each
timed into a named *series*) until the deadline. A warm-up precedes the measured window (caches, connection
set-up, the index loading its floor-days); only requests that *start* inside the window are recorded. On a slow
(or busy) machine the window is stretched until every expected series has ``min_requests`` recorded requests, so
that no row is left empty; throughput is computed over the window actually measured.
"""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from smartoffice.bench.http import HttpConnection

MAX_STRETCH_SECONDS = 120.0


class Outcome(StrEnum):
    OK = "ok"
    CONFLICT = "conflict"
    """An expected, typed refusal (the desk was taken): the server did its job."""
    BUSY = "busy"
    """The typed overload answer: HTTP 503 with ``Retry-After``, or a GraphQL error with the code ``BUSY``."""
    MASKED = "masked"
    """A bug's answer: HTTP 500, or a GraphQL error masked as "Unexpected error." (``INTERNAL_SERVER_ERROR``)."""
    ERROR = "error"
    """Anything else that is not the answer asked for (a wrong shape, a refused connection, an untyped 503)."""

    @property
    def is_failure(self) -> bool:
        """Not the operation's own answer (an ordinary row counts these as errors)."""
        return self not in (Outcome.OK, Outcome.CONFLICT)


@dataclass
class Series:
    latencies: list[float] = field(default_factory=list)
    """Seconds, one per recorded request."""
    outcomes: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    first_error: str | None = None
    """The first failure's detail (whatever its kind)."""
    first_of: dict[Outcome, str] = field(default_factory=dict)
    """The first failure's detail of each kind."""


@dataclass
class Recorder:
    """Collects the timings of one phase; requests started outside the measured window are not recorded."""

    series: dict[str, Series] = field(default_factory=dict)
    window_start: float = float("inf")
    window_end: float = float("inf")
    record_late: bool = False
    """Also record requests that a client's step starts after the window (the overload counts every answer)."""

    def add(self, name: str, started: float, seconds: float, outcome: Outcome, error: str | None = None) -> None:
        if started < self.window_start or (started >= self.window_end and not self.record_late):
            return
        series = self.series.setdefault(name, Series())
        series.latencies.append(seconds)
        series.outcomes[outcome] += 1
        if outcome.is_failure and series.first_error is None:
            series.first_error = error
        if outcome.is_failure and error is not None:
            series.first_of.setdefault(outcome, error)

    async def timed(self, name: str, call: Awaitable[tuple[Outcome, str | None]]) -> tuple[Outcome, str | None]:
        """Await ``call`` (one request and its check) and record how long it took under ``name``."""
        started = time.perf_counter()
        try:
            outcome, detail = await call
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            outcome, detail = Outcome.ERROR, repr(exc)
        self.add(name, started, time.perf_counter() - started, outcome, detail)
        return outcome, detail


Step = Callable[[HttpConnection, Recorder, int], Awaitable[None]]
"""One iteration of a client: ``(connection, recorder, client number)``."""


@dataclass(frozen=True)
class PhaseResult:
    series: dict[str, Series]
    seconds: float
    """The measured window."""
    client_cpu_seconds: float
    """CPU this process (the load generator) used during the window."""
    server_cpu_seconds: float = float("nan")
    """CPU the server's processes used during the window (what a request costs, whatever else the machine runs)."""


async def run_phase(
    step: Step,
    *,
    host: str,
    port: int,
    concurrency: int,
    duration: float,
    warmup: float,
    server_cpu: Callable[[], float] | None = None,
    expected_series: tuple[str, ...] = (),
    min_requests: int = 1,
    address_of: Callable[[int], tuple[str, int]] | None = None,
    record_late: bool = False,
) -> PhaseResult:
    """``address_of(client)``: the server a client talks to, when not every client talks to ``host:port``;
    ``record_late``: see :attr:`Recorder.record_late`."""
    recorder = Recorder(record_late=record_late)
    connections = [HttpConnection(*(address_of(n) if address_of else (host, port))) for n in range(concurrency)]
    loop_start = time.perf_counter()
    recorder.window_start = loop_start + warmup
    recorder.window_end = recorder.window_start + duration

    hard_end = recorder.window_end + MAX_STRETCH_SECONDS

    def more() -> bool:
        now = time.perf_counter()
        if now < recorder.window_end:
            return True
        short = any(len(recorder.series.get(n, Series()).latencies) < min_requests for n in expected_series)
        if short and now < hard_end:
            recorder.window_end = now + 0.05  # stretch the window: requests starting now still count
            return True
        return False

    async def client(number: int) -> None:
        connection = connections[number]
        while more():
            try:
                await step(connection, recorder, number)
            except (OSError, asyncio.IncompleteReadError):
                await asyncio.sleep(0.01)  # a refused or reset connection: counted by ``timed``; do not spin

    def cpu_now() -> tuple[float, float]:
        return time.process_time(), server_cpu() if server_cpu else float("nan")

    async def cpu_at_window_start() -> tuple[float, float]:
        await asyncio.sleep(max(0.0, recorder.window_start - time.perf_counter()))
        return cpu_now()

    try:
        cpu_task = asyncio.ensure_future(cpu_at_window_start())
        await asyncio.gather(*(client(n) for n in range(concurrency)))
        # Until the last request recorded has finished: the CPU it cost belongs to the window.
        (cpu_start, server_start), (cpu_end, server_end) = await cpu_task, cpu_now()
        cpu, server = cpu_end - cpu_start, server_end - server_start
    finally:
        for connection in connections:
            await connection.close()
    return PhaseResult(recorder.series, recorder.window_end - recorder.window_start, cpu, server)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (``nan`` when empty)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]
