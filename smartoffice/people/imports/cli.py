"""``smartoffice people import FILE [--dry-run]``: the import from the command line, with a summary in English."""

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smartoffice.availability.index import AvailabilityIndex
from smartoffice.availability.service import AvailabilityService
from smartoffice.db import utcnow
from smartoffice.identity.sessions import SessionStore
from smartoffice.import_commands import command_stores, import_file, outcome_line, problem_lines
from smartoffice.people.imports.plan import ChangeKind, ImportPlan
from smartoffice.people.imports.service import ImportResult, PeopleImportService
from smartoffice.settings import Settings


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
    async def run(content: bytes) -> tuple[ImportPlan, Iterator[str]]:
        async with command_stores(settings) as (db, redis):
            # With a shared Redis it also frees the cancelled bookings in the availability index and ends the
            # leavers' login sessions.
            availability = AvailabilityService(db, AvailabilityIndex(redis)) if redis else None
            sessions = SessionStore(redis, settings.session_ttl_seconds) if redis else None
            service = PeopleImportService(db, availability, sessions, utcnow)
            outcome = await (service.preview(content) if args.dry_run else service.run(content))
        if isinstance(outcome, ImportPlan):
            return outcome, summary(outcome, None)
        return outcome.plan, summary(outcome.plan, outcome)

    return import_file("people import", args.file, run)


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
        if result is None or not result.written:
            yield outcome_line(None if result is None else False)
        else:
            yield (
                f"Imported. Bookings cancelled: {result.cancelled_bookings}; recurring series ended: "
                f"{result.cancelled_series}; desks unassigned: {result.unassigned_desks}; app tokens revoked: "
                f"{result.revoked_tokens}; login sessions ended: {result.ended_sessions}; notification emails"
                f" not sent: {result.expired_emails}."
            )
    yield from problem_lines(plan.problems)
