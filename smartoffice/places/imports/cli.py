"""``smartoffice places import FILE [--dry-run]``: the places import from the command line, with a summary."""

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smartoffice.db import utcnow
from smartoffice.import_commands import command_stores, import_file, outcome_line, problem_lines
from smartoffice.places.imports.plan import PlacesPlan
from smartoffice.places.imports.service import PlacesImportResult, PlacesImportService
from smartoffice.settings import Settings

LABELS = ("sites", "buildings", "floors", "zones", "spaces")


def add_places_commands(commands: Any) -> None:
    places = commands.add_parser("places", help="places commands").add_subparsers(title="places commands")
    importing = places.add_parser(
        "import",
        help="create and update sites, buildings, floors, zones, desks and meeting rooms from a CSV or XLSX file",
        description="One row per space. New places are created and changed ones updated, in one transaction; "
        "places the file does not name are left as they are (nothing is retired). A file with any error changes "
        "nothing (exit status 1); importing the same file again changes nothing.",
    )
    importing.add_argument("file", type=Path, help="the CSV (any delimiter) or XLSX file")
    importing.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    importing.set_defaults(run=_import)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    async def run(content: bytes) -> tuple[PlacesPlan, Iterator[str]]:
        async with command_stores(settings) as (db, redis):
            # With a shared Redis the import also bumps the layout version running servers check.
            service = PlacesImportService(db, redis, utcnow)
            outcome = await (service.preview(content) if args.dry_run else service.run(content))
        if isinstance(outcome, PlacesPlan):
            return outcome, summary(outcome, None)
        return outcome.plan, summary(outcome.plan, outcome)

    return import_file("places import", args.file, run)


def summary(plan: PlacesPlan, result: PlacesImportResult | None) -> Iterator[str]:
    if plan.errors:
        yield f"The file has {len(plan.errors)} error(s); nothing was written."
    else:
        counts = ", ".join(
            f"{label} {new} new/{changed} changed" for label in LABELS for new, changed in [plan.count(label)]
        )
        yield f"{counts}; {plan.unchanged} spaces unchanged"
        imported = "Imported. Places the file does not name were left as they are (nothing is retired)."
        yield outcome_line(None if result is None else result.written, imported)
    yield from problem_lines(plan.problems)
