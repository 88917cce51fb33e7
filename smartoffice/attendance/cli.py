"""``smartoffice attendance import FILE [--dry-run]``: attendance from a presensi export, from the command line, with
a summary in English. Audited as ``cli``."""

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smartoffice.attendance.plan import AttendancePlan, ChangeKind
from smartoffice.attendance.service import AttendanceImportResult, AttendanceService
from smartoffice.db import utcnow
from smartoffice.import_commands import command_stores, import_file, outcome_line, problem_lines
from smartoffice.settings import Settings


def add_attendance_commands(commands: Any) -> None:
    attendance = commands.add_parser("attendance", help="attendance from the presensi system").add_subparsers(
        title="attendance commands"
    )
    command = attendance.add_parser(
        "import",
        help="load attendance (NIP, date, status) from a CSV or XLSX file",
        description="Stores what each person did on each day (hadir/WFO, WFH, WFA, cuti, dinas luar, tidak hadir), "
        "matched by NIP and date, in one transaction, audited. Days the file does not mention are left as they are; "
        "the same file again changes nothing. A file with any error (an unknown NIP, a future date, a day twice) "
        "changes nothing (exit status 1).",
    )
    command.add_argument("file", type=Path, help="the CSV (any delimiter) or XLSX file")
    command.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    command.set_defaults(run=_import)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    async def run(content: bytes) -> tuple[AttendancePlan, Iterator[str]]:
        async with command_stores(settings) as (db, _redis):
            service = AttendanceService(db, None, utcnow)
            if args.dry_run:
                plan = await service.preview(content)
                return plan, summary(plan, None)
            result = await service.run(content, file_name=args.file.name)
        return result.plan, summary(result.plan, result)

    return import_file("attendance import", args.file, run)


def summary(plan: AttendancePlan, result: AttendanceImportResult | None) -> Iterator[str]:
    """The lines the command prints: counts, then the first problems with their lines."""
    if plan.problems:
        yield f"The file has {len(plan.problems)} error(s); nothing was written."
    else:
        new, changed = plan.count(ChangeKind.NEW), plan.count(ChangeKind.CHANGED)
        yield f"attendance: {new} new, {changed} changed, {plan.unchanged} unchanged"
        yield outcome_line(None if result is None else result.written)
    yield from problem_lines(plan.problems)
