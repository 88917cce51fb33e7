"""``smartoffice retention run [--dry-run]`` and ``smartoffice people export-data <NIP|email> --format json|csv
--output FILE``: retention on demand, and an administrator answering a data subject's request (UU 27/2022).

No admin check, as for the other commands: whoever runs them holds the database's credentials. An export is
audited (``personal_data.export``, by the system through ``cli``, naming whose data and the format); the file is
written with permissions 0600, since it is that person's personal data.
"""

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from smartoffice.audit.record import Actor
from smartoffice.db import Database, utcnow
from smartoffice.errors import NotFound
from smartoffice.privacy.retention import run_retention
from smartoffice.privacy.service import PersonalDataService
from smartoffice.settings import Settings


def add_privacy_commands(commands: Any) -> None:
    """Adds ``retention run``, and ``export-data`` to the ``people`` commands (registered before this)."""
    retention = commands.add_parser("retention", help="personal data retention").add_subparsers(
        title="retention commands"
    )
    run = retention.add_parser(
        "run",
        help="fold expired days into the daily aggregates and delete their bookings, plans and attendance",
        description="Does now what the daily job does: local days older than SMARTOFFICE_RETENTION_DAYS (default "
        "730) are counted into occupancy_daily and attendance_daily, then their bookings (with their events), work "
        "plans, attendance and desk releases are deleted in batches. Safe while the servers run.",
    )
    run.add_argument("--dry-run", action="store_true", help="show what would be folded and deleted; change nothing")
    run.set_defaults(run=_retention_run)

    people = _subcommands(commands.choices["people"])
    export = people.add_parser(
        "export-data",
        help="write a person's personal data to a file (a data subject's request); audited",
        description="Everything SmartOffice holds about one person, as the person downloads it from "
        "/account/data: one JSON document, or a ZIP of one CSV per kind. The export is written to the audit log.",
    )
    export.add_argument("who", help="the person's NIP or email")
    export.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or csv (a ZIP)")
    export.add_argument("--output", type=Path, required=True, help="the file to write (created with mode 0600)")
    export.set_defaults(run=_export_data)


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    """The sub-command action of an existing parser: argparse offers no public way to add to it later."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"{parser.prog} has no sub-commands")


def _retention_run(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> list[str]:
        db = Database.from_settings(settings)
        try:
            report = await run_retention(db, utcnow(), settings.retention_days, dry_run=args.dry_run, via="cli")
        finally:
            await db.dispose()
        return report.lines()

    for line in asyncio.run(run()):
        print(line)
    return 0


def _export_data(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> bytes:
        from smartoffice.identity.sessions import SessionStore
        from smartoffice.runtime import redis_client

        db = Database.from_settings(settings)
        redis = None if settings.redis_url is None else redis_client(settings.redis_url)
        sessions = SessionStore(redis, settings.session_ttl_seconds) if redis is not None else None
        try:
            service = PersonalDataService(db, sessions, utcnow)
            data = await service.export_for_request(Actor.system("cli"), args.who, args.format)
        finally:
            if redis is not None:
                await redis.aclose()
            await db.dispose()
        return data.as_json() if args.format == "json" else data.as_csv_zip()

    try:
        content = asyncio.run(run())
    except NotFound:
        print(f"smartoffice people export-data: nobody has the NIP or email {args.who!r}", file=sys.stderr)
        return 1
    try:
        descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
    except OSError as exc:
        print(f"smartoffice people export-data: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {len(content)} bytes to {args.output}")
    return 0
