"""``smartoffice hr import-ratings FILE [--dry-run]`` and ``smartoffice hr import-discipline FILE [--dry-run]``:
the imports from the command line, with a summary in English. Audited as ``cli``."""

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smartoffice.db import utcnow
from smartoffice.hr.plan import ChangeKind, HrPlan
from smartoffice.hr.records import RecordKind
from smartoffice.hr.service import HrImportResult, HrRecordsService
from smartoffice.import_commands import command_stores, import_file, outcome_line, problem_lines
from smartoffice.settings import Settings

LABELS = {RecordKind.RATINGS: "ratings", RecordKind.CASES: "discipline cases"}


def add_hr_commands(commands: Any) -> None:
    hr = commands.add_parser("hr", help="HR records: performance ratings and discipline cases").add_subparsers(
        title="hr commands"
    )
    for name, kind, help_text in (
        ("import-ratings", RecordKind.RATINGS, "load performance ratings (SKP predikat) from a CSV or XLSX file"),
        ("import-discipline", RecordKind.CASES, "load discipline cases from a CSV or XLSX file"),
    ):
        command = hr.add_parser(
            name,
            help=help_text,
            description=f"Creates and updates {LABELS[kind]} from the file (matched by NIP and "
            f"{'period' if kind == RecordKind.RATINGS else 'case number'}), in one transaction, each change "
            "audited. What the file does not mention is left as it is. A file with any error changes nothing "
            "(exit status 1).",
        )
        command.add_argument("file", type=Path, help="the CSV (any delimiter) or XLSX file")
        command.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        command.set_defaults(run=_import, kind=kind, command=name)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    async def run(content: bytes) -> tuple[HrPlan, Iterator[str]]:
        async with command_stores(settings) as (db, _redis):
            service = HrRecordsService(db, None, utcnow)
            outcome = await (service.preview(args.kind, content) if args.dry_run else service.run(args.kind, content))
        if isinstance(outcome, HrPlan):
            return outcome, summary(outcome, None)
        return outcome.plan, summary(outcome.plan, outcome)

    return import_file(f"hr {args.command}", args.file, run)


def summary(plan: HrPlan, result: HrImportResult | None) -> Iterator[str]:
    """The lines the command prints: counts, then the first problems with their lines."""
    if plan.problems:
        yield f"The file has {len(plan.problems)} error(s); nothing was written."
    else:
        new, changed = plan.count(ChangeKind.NEW), plan.count(ChangeKind.CHANGED)
        yield f"{LABELS[plan.kind]}: {new} new, {changed} changed, {plan.unchanged} unchanged"
        yield outcome_line(None if result is None else result.written)
    yield from problem_lines(plan.problems)
