"""``smartoffice people import FILE [--dry-run]``: the import from the command line, with a summary in English."""

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from smartoffice.availability.index import AvailabilityIndex
from smartoffice.availability.service import AvailabilityService
from smartoffice.db import Database, utcnow
from smartoffice.identity.sessions import SessionStore
from smartoffice.people.imports.plan import ChangeKind, ImportPlan
from smartoffice.people.imports.service import ImportResult, PeopleImportService
from smartoffice.settings import Settings

SHOWN_PROBLEMS = 20


def add_people_commands(commands: Any) -> None:
    people = commands.add_parser("people", help="people commands").add_subparsers(title="people commands")
    importing = people.add_parser(
        "import",
        help="import organisations, units and employees from a SIASN-shaped CSV or XLSX file",
        description="Creates and updates organisations, units and employees from the file, deactivates the active "
        "employees of the file's agencies that it does not list (their future bookings cancelled, their sessions "
        "and app tokens revoked), all in one transaction. A file with any error changes nothing (exit status 1).",
    )
    importing.add_argument("file", type=Path, help="the CSV (any delimiter) or XLSX file")
    importing.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    importing.set_defaults(run=_import)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        print(f"smartoffice people import: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1

    async def run() -> ImportPlan | ImportResult:
        async with _service(settings) as service:
            return await (service.preview(content) if args.dry_run else service.run(content))

    outcome = asyncio.run(run())
    plan = outcome if isinstance(outcome, ImportPlan) else outcome.plan
    for line in summary(plan, outcome if isinstance(outcome, ImportResult) else None):
        print(line)
    return 0 if plan.is_valid else 1


@asynccontextmanager
async def _service(settings: Settings) -> AsyncIterator[PeopleImportService]:
    """The service on the database; with a shared Redis (``SMARTOFFICE_REDIS_URL``) it also frees the cancelled
    bookings in the availability index and ends the leavers' login sessions."""
    from smartoffice.runtime import redis_client

    db = Database.from_settings(settings)
    redis = None if settings.is_embedded_redis or settings.redis_url is None else redis_client(settings.redis_url)
    try:
        availability = AvailabilityService(db, AvailabilityIndex(redis)) if redis else None
        sessions = SessionStore(redis, settings.session_ttl_seconds) if redis else None
        yield PeopleImportService(db, availability, sessions, utcnow)
    finally:
        if redis is not None:
            await redis.aclose()
        await db.dispose()


def summary(plan: ImportPlan, result: ImportResult | None) -> Iterator[str]:
    """The lines the command prints: counts per kind, then the first problems with their lines."""
    if plan.errors:
        yield f"The file has {len(plan.errors)} error(s); nothing was written."
    else:
        people = {kind: plan.count(kind) for kind in ChangeKind}
        yield (
            f"people: {people[ChangeKind.NEW]} new, {people[ChangeKind.CHANGED]} changed, {plan.unchanged} unchanged,"
            f" {len(plan.leavers)} leaving, {people[ChangeKind.REACTIVATED]} reactivated"
        )
        for label, changes in (("units", plan.units), ("organisations", plan.organisations)):
            new = sum(1 for c in changes if c.kind == ChangeKind.NEW)
            yield f"{label}: {new} new, {len(changes) - new} changed"
        if result is None:
            yield "Dry run: nothing was written."
        elif result.written:
            yield (
                f"Imported. Bookings cancelled: {result.cancelled_bookings}; recurring series ended: "
                f"{result.cancelled_series}; desks unassigned: {result.unassigned_desks}; app tokens revoked: "
                f"{result.revoked_tokens}; login sessions ended: {result.ended_sessions}."
            )
        else:
            yield "Nothing to change: the database already matches the file."
    for problem in plan.problems[:SHOWN_PROBLEMS]:
        where = f"line {problem.line}" + (f", {problem.column}" if problem.column else "")
        kind = "warning" if problem.is_warning else "error"
        yield f"  {where}: {kind} {problem.code.name}: {problem.message_in('en')}"
    if len(plan.problems) > SHOWN_PROBLEMS:
        yield f"  ... and {len(plan.problems) - SHOWN_PROBLEMS} more"
