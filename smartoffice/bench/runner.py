"""``smartoffice bench``: seed a tier, start the server as real processes, drive it, audit, report."""

import asyncio
import math
import os
import platform
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from rich.console import Console
from sqlalchemy import func, select

from smartoffice.bench.audit import audit_bookings
from smartoffice.bench.driver import PhaseResult, Step, run_phase
from smartoffice.bench.operations import (
    ProbedOperation,
    probe_my_week,
    probe_occupancy,
)
from smartoffice.bench.overload import OverloadReport, OverloadSettings, run_overload
from smartoffice.bench.report import KEYS, Report, Row
from smartoffice.bench.scenarios import (
    BookingWorkload,
    Targets,
    find_rooms_step,
    floor_availability_step,
    floor_page_step,
    load_targets,
    occupancy_report_step,
    plan_anchor_days_step,
    probed_step,
    schema_and_context,
    site_buildings,
    typename_step,
)
from smartoffice.bench.servers import ServerProcess, start_server, wait_ready
from smartoffice.bench.tiers import SeedReport, check_tier, prepare_database, seed_tier
from smartoffice.bookings.models import Booking
from smartoffice.db import Database, is_sqlite
from smartoffice.demo import TIERS
from smartoffice.embedded_redis import EmbeddedRedis
from smartoffice.people.models import Employee
from smartoffice.places.models import Space, SpaceKind
from smartoffice.runtime import redis_client

SEED_TIME_ZONE = "Asia/Makassar"


@dataclass(frozen=True)
class BenchOptions:
    tier: str = "S"
    database_url: str | None = None
    """None: a new SQLite file in a temporary directory."""
    redis_url: str | None = None
    """None: an embedded Redis server for the run. A given Redis database is flushed first."""
    duration: float = 10.0
    """Seconds measured per row (after a warm-up)."""
    concurrency: int = 32
    workers: int = 2
    json_path: Path | None = None
    markdown_path: Path | None = None
    reset: bool = False
    reuse: bool = False
    show_progress: bool = True
    keep_logs: bool = False
    """Keep the servers' logs (and say where) even when the run succeeds."""
    command: str = "smartoffice bench"
    warmup_seconds: float | None = None
    """Default: a quarter of ``duration``, between 0.3 and 2 s."""
    repeat: int = 1
    """Run every row this many times (seeded once, the servers started once) and report medians and spreads."""
    overload_settings: OverloadSettings = field(default_factory=OverloadSettings)
    """For :func:`run_overload_bench`: how many clients, for how long."""
    server_settings: tuple[tuple[str, str], ...] = ()
    """``SMARTOFFICE_*`` settings (names without the prefix) for the servers, e.g. ``("DATABASE_POOL_SIZE", "2")``."""

    @property
    def warmup(self) -> float:
        if self.warmup_seconds is not None:
            return self.warmup_seconds
        return min(2.0, max(0.3, self.duration / 4))


async def run_bench(options: BenchOptions, console: Console | None = None) -> Report:
    """Every row, ``options.repeat`` times (seeded once, the servers started once): one table."""

    async def rows(url: str, seed: SeedReport, servers: list[ServerProcess], console: Console) -> Report:
        runs = []
        for run in range(options.repeat):
            if options.repeat > 1:
                console.print(f"run {run + 1} of {options.repeat}", highlight=False)
            measured = await _measure(options, url, seed, servers, console)
            measured.compute_ratios()  # within the run: its rows share that moment's machine
            runs.append(measured)
        report = Report.combined(runs)
        report.audit = _audit_summary(runs)
        return report

    return await _seeded_and_served(options, rows, console or Console(stderr=True))


async def run_overload_bench(options: BenchOptions, console: Console | None = None) -> OverloadReport:
    """The overload scenario (:mod:`smartoffice.bench.overload`) on a seeded tier."""

    async def overload(url: str, seed: SeedReport, servers: list[ServerProcess], console: Console) -> OverloadReport:
        return await run_overload(options.overload_settings, url, seed, servers, console)

    return await _seeded_and_served(options, overload, console or Console(stderr=True))


R = TypeVar("R", Report, OverloadReport)


async def _seeded_and_served(
    options: BenchOptions,
    measure: Callable[[str, SeedReport, list[ServerProcess], Console], Awaitable[R]],
    console: Console,
) -> R:
    tier = TIERS[options.tier]
    workdir = Path(tempfile.mkdtemp(prefix="smartoffice-bench-"))
    url = options.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    check_tier(tier, url)
    started_at = datetime.now(UTC)
    reused = await prepare_database(url, reset=options.reset, reuse=options.reuse)
    if reused:
        seed = await _describe_existing(url)
        console.print(f"reusing the data already in the database ({seed.desks:,} desks, {seed.bookings:,} bookings)")
    else:
        today = datetime.now(ZoneInfo(SEED_TIME_ZONE)).date()
        seed = await seed_tier(url, tier, today=today, show_progress=options.show_progress)
    succeeded = False
    async with _redis(options.redis_url) as redis_url:
        servers = _start_servers(options, url, redis_url, workdir)
        try:
            await asyncio.gather(*(wait_ready(s) for s in servers))
            report = await measure(url, seed, servers, console)
            succeeded = True
        finally:
            for server in servers:
                server.stop()
            if not succeeded or options.keep_logs:
                console.print(f"server logs kept in {workdir}")
    if succeeded and not options.keep_logs:
        shutil.rmtree(workdir, ignore_errors=True)
    report.started_at = f"{started_at:%Y-%m-%d %H:%M} UTC"
    report.database = "SQLite" if is_sqlite(url) else "PostgreSQL"
    report.redis = "embedded Redis" if options.redis_url is None else "Redis server"
    return report


def _audit_summary(runs: list[Report]) -> str:
    if len(runs) == 1:
        return runs[0].audit
    verdict = "OK: " if all(r.audit.startswith("OK") for r in runs) else "FAILED: "
    return verdict + "; ".join(f"run {i + 1}: {r.audit.partition(': ')[2]}" for i, r in enumerate(runs))


@asynccontextmanager
async def _redis(url: str | None) -> AsyncIterator[str]:
    if url is None:
        with EmbeddedRedis() as embedded:
            yield embedded.url
        return
    client = redis_client(url)
    try:
        await client.flushdb()  # a previous run's index would describe another database's bookings
    finally:
        await client.aclose()
    yield url


def _start_servers(options: BenchOptions, url: str, redis_url: str, workdir: Path) -> list[ServerProcess]:
    # Demo mode: the clients act as employees through the X-Demo-Employee header, and introspect the schema.
    # No background jobs: their CPU (turning the run's bookings into notifications, the weekend's Friday reminders
    # for every person, the no-show release) would be counted in whichever row runs beside them as "server CPU per
    # request". ``--server-setting RUN_JOBS=1`` measures with them.
    common = {
        "RUN_JOBS": "0",
        **dict(options.server_settings),
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DEMO_MODE": "1",
    }
    return [
        start_server(settings_env=common, workers=options.workers, data_dir=workdir / "indexed", name="server"),
        start_server(
            settings_env={**common, "AVAILABILITY_INDEX": "off"},
            workers=options.workers,
            data_dir=workdir / "sql-only",
            name="server-sql-only",
        ),
    ]


async def _describe_existing(url: str) -> SeedReport:
    db = Database.from_url(url)
    try:
        async with db.read() as session:
            desks = await session.scalar(select(func.count()).where(Space.kind == SpaceKind.DESK))
            employees = await session.scalar(select(func.count()).select_from(Employee))
            bookings = await session.scalar(select(func.count()).select_from(Booking))
    finally:
        await db.dispose()
    return SeedReport("?", desks or 0, employees or 0, bookings or 0, 0.0, reused=True)


async def _measure(
    options: BenchOptions, url: str, seed: SeedReport, servers: list[ServerProcess], console: Console
) -> Report:
    indexed, sql_only = servers
    db = Database.from_url(url)
    try:
        targets = await load_targets(db)
        schema, context = await schema_and_context(targets, indexed)
        my_week, occupancy = probe_my_week(schema, context), probe_occupancy(schema, context)

        async def phase(server: ServerProcess, step: Step, label: str, *series: str) -> PhaseResult:
            console.print(f"measuring {label} ({options.warmup:g} s warm-up + {options.duration:g} s)", highlight=False)
            return await run_phase(
                step,
                host=server.host,
                port=server.port,
                concurrency=options.concurrency,
                duration=options.duration,
                warmup=options.warmup,
                server_cpu=server.cpu_seconds,
                expected_series=series,
            )

        f90, fmax = targets.floor_90, targets.floor_max
        days = targets.availability_days
        rows: list[Row] = []
        result = await phase(indexed, typename_step(), "(g) { __typename }", "typename")
        rows.append(Row.from_phase("g", "`{ __typename }` (the framework's floor)", result, "typename"))

        workload = BookingWorkload(targets, options.concurrency)
        result = await phase(indexed, workload.step, "(b) bookDesk + cancelBooking", "bookDesk", "cancelBooking")
        tally = workload.tally
        audit = await audit_bookings(db, tally, targets.max_booking_id)
        note = (
            f"{tally.booked:,} booked, {tally.conflicts:,} conflicts, {tally.cancelled:,} cancelled "
            "(with the warm-up; the audit covers them all)"
        )
        rows.append(
            Row.from_phase("b", "bookDesk on a random free desk (ok/s = bookings/s)", result, "bookDesk", note=note)
        )
        rows.append(Row.from_phase("b", "cancelBooking (half of the bookings)", result, "cancelBooking"))

        floors = [(f90, "90")] + ([(fmax, "max")] if fmax.id != f90.id else [])
        for key, server, what in (("a", indexed, "Redis index"), ("f", sql_only, "SQL only")):
            for floor, pair in floors:
                step = floor_availability_step(f"{key}{pair}", floor, days, targets.employees)
                label = f"floor availability, {floor.desks}-desk floor ({what})"
                result = await phase(server, step, f"({key}) {label}", f"{key}{pair}")
                rows.append(Row.from_phase(key, label, result, f"{key}{pair}", pair=pair))

        rows.append(await _probed_row("c", '"my week" (`myWeek`)', my_week, indexed, targets, phase))

        for floor, pair in floors:
            label = f"floor page HTML, {floor.desks}-desk floor"
            result = await phase(indexed, floor_page_step(f"d{pair}", floor, days), f"(d) {label}", f"d{pair}")
            rows.append(Row.from_phase("d", label, result, f"d{pair}", pair=pair))

        rows.append(await _probed_row("e", "building occupancy for a month", occupancy, indexed, targets, phase))
        quarter_last = days[0]
        step = occupancy_report_step(
            "e-quarter", fmax.building_id, quarter_last - timedelta(days=91), quarter_last, targets.report_reader
        )
        result = await phase(indexed, step, "(e) occupancy report (building, quarter)", "e-quarter")
        rows.append(Row.from_phase("e", "occupancy report (building, quarter)", result, "e-quarter"))
        rows.append(await _planner_row(db, indexed, targets, options))

        room_building, rooms = targets.room_building
        label = f"room search (findRooms), building with {rooms} rooms"
        step = find_rooms_step("h", room_building, days, targets.employees)
        result = await phase(indexed, step, f"(h) {label}", "h")
        rows.append(Row.from_phase("h", label, result, "h"))
    finally:
        await db.dispose()
    rows = _ordered(rows)
    cpu = [r.client_cpu_percent for r in rows if r.measured and not math.isnan(r.client_cpu_percent)]
    return Report(
        tier=options.tier,
        database="",
        redis="",
        workers=options.workers,
        concurrency=options.concurrency,
        duration_s=options.duration,
        seed={"desks": seed.desks, "staff": seed.employees, "bookings": seed.bookings, "seed_s": round(seed.seconds)},
        rows=rows,
        audit=("OK: " if audit.ok else "FAILED: ") + audit.summary(),
        client_cpu=f"up to {max(cpu, default=0):.0f} % of one core (see client_cpu_percent per row in the JSON)",
        machine=f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        command=options.command,
    )


PhaseRunner = Callable[..., Awaitable[PhaseResult]]


async def _probed_row(
    key: str, label: str, operation: ProbedOperation, server: ServerProcess, targets: Targets, phase: PhaseRunner
) -> Row:
    if operation.document is None:
        return Row(key, label, note=f"n/a ({operation.reason})")
    employees = [targets.report_reader] if key == "e" else targets.employees
    step = probed_step(key, operation, employees)
    result = await phase(server, step, f"({key}) {label}", key)
    note = f"measured through `{operation.reason}`" if operation.reason != "myWeek" else ""
    return Row.from_phase(key, label, result, key, note=note)


async def _planner_row(db: Database, server: ServerProcess, targets: Targets, options: BenchOptions) -> Row:
    """The anchor-day planner over the whole site for next week, one plan at a time (a manager's tool, and each plan
    may use two cores for its time limit): p50/p95 are the whole answer's time, the note the solver's own."""
    buildings = await site_buildings(db, targets.site_id)
    first = targets.availability_days[0]
    week = first + timedelta(days=(7 - first.weekday()) % 7)
    last: dict[str, object] = {}
    step = plan_anchor_days_step("e-planner", buildings, week, targets.report_reader, last)
    label = f"anchor-day planner, {len(buildings)} buildings (planAnchorDays)"
    result = await run_phase(
        step,
        host=server.host,
        port=server.port,
        concurrency=1,
        duration=options.duration,
        warmup=options.warmup,
        server_cpu=server.cpu_seconds,
        expected_series=("e-planner",),
        min_requests=3,
    )
    note = f"one client; last: {last.get('status')}, solver {last.get('solve_seconds')} s, {last.get('moved')} moved"
    return Row.from_phase("e", label, result, "e-planner", note=note)


def _ordered(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: KEYS.index(r.key))
