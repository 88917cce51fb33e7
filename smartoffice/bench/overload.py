"""``smartoffice bench --overload``: far more clients than the server has CPU for, and every answer counted by kind.

128 closed-loop clients (by default) for 20 s, spread round-robin over the main operations (both floor reads, the
booking and its cancellation, "my week", the floor page, a building's occupancy, room search, ``{ __typename }``),
with no warm-up: every answer counts. An answer is OK, a typed refusal (the desk was taken), the typed BUSY
(HTTP 503 with ``Retry-After``, or a GraphQL error coded ``BUSY``), *masked* (HTTP 500, or a GraphQL error masked as
"Unexpected error.": a bug's answer, which the issue's target says must never happen) or another error (a
refused connection, a wrong shape, an untyped 503). Afterwards the booking audit (:mod:`smartoffice.bench.audit`)
proves that overload double-booked nothing and lost no acknowledged booking. The run passes when there were no
masked and no other errors and the audit is clean.

To make the pool, not the CPU, the bottleneck (the way the masked answers of 2026-12-04 appeared), give the
servers a small pool: ``--server-setting DATABASE_POOL_SIZE=2 --server-setting DATABASE_MAX_OVERFLOW=0
--server-setting DATABASE_POOL_TIMEOUT=0.5``.
"""

import json
import math
import os
import platform
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from smartoffice.bench.audit import audit_bookings
from smartoffice.bench.driver import Outcome, Recorder, Series, Step, percentile, run_phase
from smartoffice.bench.http import HttpConnection
from smartoffice.bench.operations import probe_my_week, probe_occupancy
from smartoffice.bench.report import json_ready
from smartoffice.bench.scenarios import (
    BookingWorkload,
    Targets,
    find_rooms_step,
    floor_availability_step,
    floor_page_step,
    load_targets,
    probed_step,
    schema_and_context,
    typename_step,
)
from smartoffice.bench.servers import ServerProcess
from smartoffice.bench.tiers import SeedReport
from smartoffice.db import Database


@dataclass(frozen=True)
class OverloadSettings:
    tier: str = "S"
    clients: int = 128
    duration: float = 20.0
    """Seconds; every answer in them counts (no warm-up)."""
    workers: int = 2
    command: str = "smartoffice bench --overload"
    server_settings: tuple[tuple[str, str], ...] = ()
    """What the servers were given (for the report)."""


@dataclass
class OverloadRow:
    operation: str
    requests: int = 0
    ok: int = 0
    refused: int = 0
    """Typed refusals of the operation itself (the desk was taken)."""
    busy: int = 0
    masked: int = 0
    errors: int = 0
    p50_ms: float = math.nan
    p99_ms: float = math.nan
    first_problem: str = ""
    """The first masked or other error's answer, for whoever has to find out why."""

    @classmethod
    def from_series(cls, operation: str, series: Series | None) -> "OverloadRow":
        if series is None or not series.latencies:
            return cls(operation)
        latencies = sorted(series.latencies)
        counts = series.outcomes
        return cls(
            operation,
            requests=len(latencies),
            ok=counts[Outcome.OK],
            refused=counts[Outcome.CONFLICT],
            busy=counts[Outcome.BUSY],
            masked=counts[Outcome.MASKED],
            errors=counts[Outcome.ERROR],
            p50_ms=percentile(latencies, 0.5) * 1000,
            p99_ms=percentile(latencies, 0.99) * 1000,
            first_problem=series.first_of.get(Outcome.MASKED) or series.first_of.get(Outcome.ERROR) or "",
        )


@dataclass
class OverloadReport:
    tier: str
    clients: int
    duration_s: float
    workers: int
    seed: dict[str, Any]
    rows: list[OverloadRow]
    audit: str
    audit_ok: bool
    server_settings: dict[str, str] = field(default_factory=dict)
    server_cpu_s: float = math.nan
    database: str = ""
    redis: str = ""
    started_at: str = ""
    machine: str = ""
    command: str = ""

    @property
    def masked(self) -> int:
        return sum(r.masked for r in self.rows)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rows)

    @property
    def ok(self) -> bool:
        """No masked answer, no other error, and the audit found nothing."""
        return self.masked == 0 and self.errors == 0 and self.audit_ok

    HEADERS = ("operation", "answers", "OK", "typed refusal", "typed BUSY", "masked", "other error", "p50 ms", "p99 ms")

    def cells(self, row: OverloadRow) -> list[str]:
        def num(value: float) -> str:
            return "" if math.isnan(value) else f"{value:,.0f}"

        counts = (row.requests, row.ok, row.refused, row.busy, row.masked, row.errors)
        return [row.operation, *(f"{n:,}" for n in counts), num(row.p50_ms), num(row.p99_ms)]

    def total(self) -> OverloadRow:
        rows = self.rows
        return OverloadRow(
            "all",
            requests=sum(r.requests for r in rows),
            ok=sum(r.ok for r in rows),
            refused=sum(r.refused for r in rows),
            busy=sum(r.busy for r in rows),
            masked=self.masked,
            errors=self.errors,
        )

    def context_lines(self) -> list[str]:
        settings = ", ".join(f"SMARTOFFICE_{k}={v}" for k, v in self.server_settings.items()) or "defaults"
        verdict = "PASSED" if self.ok else "FAILED"
        return [
            f"tier {self.tier}; {self.database} + {self.redis}; {self.workers} server worker(s) per server; "
            f"{self.clients} clients for {self.duration_s:g} s, no warm-up; server settings: {settings}",
            f"server CPU: {self.server_cpu_s:.1f} s (both servers)",
            f"audit after overload: {self.audit}",
            f"{verdict}: {self.masked} masked answers, {self.errors} other errors",
        ]

    def to_json(self) -> str:
        data = json_ready(asdict(self))
        data.update(masked=self.masked, errors=self.errors, ok=self.ok)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        lines = [f"`{self.command}` — {self.started_at}, {self.machine}", ""]
        lines += [f"{line}  " for line in self.context_lines()] + [""]
        lines.append("| " + " | ".join(self.HEADERS) + " |")
        lines.append("|---|" + "--:|" * (len(self.HEADERS) - 1))
        for row in [*self.rows, self.total()]:
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in self.cells(row)) + " |")
        problems = [f"- {r.operation}: {r.first_problem}" for r in self.rows if r.first_problem]
        return "\n".join(lines + (["", *problems] if problems else [])) + "\n"

    def print(self, console: Console | None = None) -> None:
        console = console or Console()
        table = Table(title=f"smartoffice bench --overload — tier {self.tier}", title_justify="left")
        for i, header in enumerate(self.HEADERS):
            table.add_column(header, justify="left" if i == 0 else "right", overflow="fold")
        for row in [*self.rows, self.total()]:
            table.add_row(*self.cells(row))
        console.print(table)
        for line in self.context_lines():
            console.print(line, highlight=False)
        for row in self.rows:
            if row.first_problem:
                console.print(f"{row.operation}: {row.first_problem}", highlight=False)

    def write(self, json_path: Path | None, markdown_path: Path | None) -> None:
        if json_path:
            json_path.write_text(self.to_json())
        if markdown_path:
            markdown_path.write_text(self.to_markdown())


@dataclass(frozen=True)
class _Operation:
    label: str
    series: tuple[str, ...]
    server: ServerProcess
    step: Step
    workload: BookingWorkload | None = None


async def run_overload(
    settings: OverloadSettings, url: str, seed: SeedReport, servers: list[ServerProcess], console: Console
) -> OverloadReport:
    indexed, sql_only = servers
    db = Database.from_url(url)
    try:
        targets = await load_targets(db)
        operations = await _operations(targets, indexed, sql_only, settings.clients)
        count = len(operations)

        async def step(connection: HttpConnection, recorder: Recorder, client: int) -> None:
            # Client n runs operation n mod count; the booking's clients are numbered among themselves.
            await operations[client % count].step(connection, recorder, client // count)

        def address_of(client: int) -> tuple[str, int]:
            server = operations[client % count].server
            return server.host, server.port

        console.print(
            f"overload: {settings.clients} clients for {settings.duration:g} s over {count} operations",
            highlight=False,
        )
        result = await run_phase(
            step,
            host=indexed.host,
            port=indexed.port,
            concurrency=settings.clients,
            duration=settings.duration,
            warmup=0.0,
            server_cpu=lambda: indexed.cpu_seconds() + sql_only.cpu_seconds(),
            address_of=address_of,
            record_late=True,
        )
        workload = next(o.workload for o in operations if o.workload is not None)
        audit = await audit_bookings(db, workload.tally, targets.max_booking_id)
    finally:
        await db.dispose()
    rows = [
        OverloadRow.from_series(_series_label(operation, name), result.series.get(name))
        for operation in operations
        for name in operation.series
    ]
    tally = workload.tally
    return OverloadReport(
        tier=settings.tier,
        clients=settings.clients,
        duration_s=settings.duration,
        workers=settings.workers,
        seed={"desks": seed.desks, "staff": seed.employees, "bookings": seed.bookings},
        rows=rows,
        audit=("OK: " if audit.ok else "FAILED: ")
        + audit.summary()
        + f" ({tally.booked:,} booked, {tally.conflicts:,} conflicts, {tally.cancelled:,} cancelled)",
        audit_ok=audit.ok,
        server_settings=dict(settings.server_settings),
        server_cpu_s=result.server_cpu_seconds,
        machine=f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        command=settings.command,
    )


def _series_label(operation: _Operation, series: str) -> str:
    return operation.label if len(operation.series) == 1 else f"{operation.label}: {series}"


async def _operations(
    targets: Targets, indexed: ServerProcess, sql_only: ServerProcess, clients: int
) -> list[_Operation]:
    """The operations, each made for the number of clients that will run it (client n runs operation n mod
    count)."""
    schema, context = await schema_and_context(targets, indexed)
    floor, days, employees = targets.floor_90, targets.availability_days, targets.employees

    def booking(clients: int) -> BookingWorkload:
        return BookingWorkload(targets, clients)

    rooms_in = targets.room_building[0]
    found: list[tuple[str, tuple[str, ...], ServerProcess, Callable[[int], Step | BookingWorkload]]] = [
        ("floor availability (Redis index)", ("a",), indexed,
         lambda _: floor_availability_step("a", floor, days, employees)),
        ("floor availability (SQL only)", ("f",), sql_only,
         lambda _: floor_availability_step("f", floor, days, employees)),
        ("bookDesk + cancelBooking", ("bookDesk", "cancelBooking"), indexed, booking),
        ("floor page HTML", ("d",), indexed, lambda _: floor_page_step("d", floor, days)),
        ("room search (findRooms)", ("h",), indexed, lambda _: find_rooms_step("h", rooms_in, days, employees)),
        ("`{ __typename }`", ("typename",), indexed, lambda _: typename_step()),
    ]  # fmt: skip
    my_week, occupancy = probe_my_week(schema, context), probe_occupancy(schema, context)
    if my_week.document is not None:
        found.insert(3, ('"my week" (myWeek)', ("c",), indexed, lambda _: probed_step("c", my_week, employees)))
    if occupancy.document is not None:
        reader = [targets.report_reader]
        label = f"building occupancy ({occupancy.reason})"
        found.insert(5, (label, ("e",), indexed, lambda _: probed_step("e", occupancy, reader)))
    count = len(found)
    operations = []
    for i, (label, series, server, make) in enumerate(found):
        made = make(len(range(i, clients, count)))
        if isinstance(made, BookingWorkload):
            operations.append(_Operation(label, series, server, made.step, made))
        else:
            operations.append(_Operation(label, series, server, made))
    return operations
