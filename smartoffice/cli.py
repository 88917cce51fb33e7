"""The ``smartoffice`` command: ``serve``, ``demo``, ``db upgrade``, ``availability rebuild``, ``export-schema``,
``bench``, ``token ...``, ``secrets rotate``, ``accounts ...``, ``people import|export-data``, ``places import``,
``hr import-ratings|import-discipline``, ``attendance import``, ``retention run``."""

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from smartoffice.attendance.cli import add_attendance_commands
from smartoffice.db import Database
from smartoffice.embedded_redis import EmbeddedRedis
from smartoffice.hr.cli import add_hr_commands
from smartoffice.identity.cli import add_token_commands
from smartoffice.logs import configure_logging
from smartoffice.migrations import upgrade
from smartoffice.people.imports.cli import add_people_commands
from smartoffice.places.imports.cli import add_places_commands
from smartoffice.privacy.cli import add_privacy_commands
from smartoffice.runtime import open_runtime
from smartoffice.settings import PREFIX, Settings

DEFAULT_SCHEMA_PATH = Path("graphql/schema.graphql")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    return int(args.run(settings, args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smartoffice", description=__doc__)
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="run the web app and GraphQL API")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1, or SMARTOFFICE_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8000, or SMARTOFFICE_PORT)")
    serve.add_argument("--workers", type=int, help="worker processes (default 1, or SMARTOFFICE_WORKERS)")
    serve.add_argument("--demo", action="store_true", help="seed the demo dataset first if the database is empty")
    serve.set_defaults(run=_serve)

    demo = commands.add_parser("demo", help="seed the IKN demo dataset into an empty database")
    demo.set_defaults(run=_demo)

    db = commands.add_parser("db", help="database commands").add_subparsers(title="db commands")
    db.add_parser("upgrade", help="apply migrations up to the latest").set_defaults(run=_db_upgrade)

    availability = commands.add_parser("availability", help="availability index commands").add_subparsers(
        title="availability commands"
    )
    rebuild = availability.add_parser("rebuild", help="recompute the Redis index from SQL")
    rebuild.add_argument("--days", type=int, default=30, help="how many days from today (default 30)")
    rebuild.set_defaults(run=_availability_rebuild)

    stored = commands.add_parser("secrets", help="secrets stored encrypted").add_subparsers(title="secrets commands")
    stored.add_parser(
        "rotate",
        help="re-encrypt every stored webhook secret under SMARTOFFICE_SECRET_KEY (old keys: "
        "SMARTOFFICE_PREVIOUS_SECRET_KEYS), in one transaction",
    ).set_defaults(run=_secrets_rotate)

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", type=Path, default=DEFAULT_SCHEMA_PATH, help=f"default {DEFAULT_SCHEMA_PATH}")
    export.set_defaults(run=_export_schema)

    bench = commands.add_parser(
        "bench",
        help="seed a scale tier into a fresh database, serve it, drive it over HTTP and print latency/throughput",
        description="Seeds a tier (S: the demo, M: 15 towers, L: 100,000 staff and a year of bookings, PostgreSQL "
        "only), starts `smartoffice serve --workers N` (twice: with the Redis index and SQL-only), drives it with "
        "concurrent clients on loopback and prints one table. Never reads SMARTOFFICE_DATABASE_URL/REDIS_URL: "
        "it only touches what its options name.",
    )
    bench.add_argument("--tier", choices=("S", "M", "L"), default="S", help="dataset size (default S)")
    bench.add_argument(
        "--database-url",
        help="postgresql+asyncpg://... (created if missing; refused if it holds data, see --reset/--reuse); "
        "default: a new SQLite file in a temporary directory",
    )
    bench.add_argument(
        "--redis-url", help="a Redis database the benchmark may FLUSH (default: an embedded Redis server)"
    )
    bench.add_argument("--duration", type=float, default=10.0, help="seconds measured per row (default 10)")
    bench.add_argument("--concurrency", type=int, default=32, help="concurrent clients (default 32)")
    bench.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    bench.add_argument("--json", type=Path, dest="json_path", help="also write the table as JSON here")
    bench.add_argument("--markdown", type=Path, dest="markdown_path", help="also write the table as Markdown here")
    bench.add_argument(
        "--keep-logs", action="store_true", help="keep the servers' logs in the work directory (printed) after the run"
    )
    existing = bench.add_mutually_exclusive_group()
    existing.add_argument("--reset", action="store_true", help="wipe a PostgreSQL database that holds data")
    existing.add_argument("--reuse", action="store_true", help="benchmark the data already seeded (e.g. tier L)")
    bench.add_argument("--no-progress", action="store_true", help="no progress bar while seeding")
    bench.add_argument(
        "--repeat", type=_positive, default=1, help="run every row N times (seeded once): medians and min–max"
    )
    bench.add_argument(
        "--overload",
        action="store_true",
        help="instead of the rows: --overload-clients clients over the main operations, every answer counted by "
        "kind (OK, typed refusal, typed BUSY, masked), then the booking audit; fails on any masked answer",
    )
    bench.add_argument("--overload-clients", type=_positive, default=128, help="clients for --overload (128)")
    bench.add_argument("--overload-duration", type=float, default=20.0, help="seconds for --overload (20)")
    bench.add_argument(
        "--server-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a SMARTOFFICE_* setting for the servers (without the prefix), e.g. DATABASE_POOL_SIZE=2; repeatable",
    )
    bench.set_defaults(run=_bench)

    add_token_commands(commands)
    add_people_commands(commands)
    add_places_commands(commands)
    add_privacy_commands(commands)  # after the people commands: it adds `people export-data`
    add_hr_commands(commands)
    add_attendance_commands(commands)
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces

    settings = replace(
        settings,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
    ).with_secret()
    # Migrate (and seed) once here, not in each worker; start the embedded Redis here so that all workers
    # share one index.
    asyncio.run(_prepare(settings, seed=args.demo))
    embedded = EmbeddedRedis().start() if settings.is_embedded_redis else None
    env = {
        "DATA_DIR": str(settings.data_dir.resolve()),
        "DATABASE_URL": settings.resolved_database_url,
        "REDIS_URL": embedded.url if embedded else settings.redis_url,
        "SECRET_KEY": settings.secret_key,
        "MIGRATE_ON_START": "0",
        "DEMO_MODE": "1" if settings.is_demo else "0",  # workers get a database URL, so say it explicitly
    }
    os.environ.update({PREFIX + k: v for k, v in env.items() if v})
    print(f"SmartOffice Nusantara on http://{settings.host}:{settings.port}/  (GraphQL at /graphql)", flush=True)
    try:
        Granian(
            "smartoffice.app:app_from_env",
            factory=True,
            interface=Interfaces.ASGI,
            address=settings.host,
            port=settings.port,
            workers=settings.workers,
        ).serve()
    finally:
        if embedded:
            embedded.stop()
    return 0


async def _prepare(settings: Settings, *, seed: bool) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_settings(settings)
    try:
        if settings.migrate_on_start:
            await upgrade(db.engine)
        if seed:
            await _seed(db, settings)
            if settings.is_demo:
                from smartoffice.identity.demo_accounts import DEMO_PASSWORD, seed_demo_accounts

                accounts = await seed_demo_accounts(db)
                print(f"demo sign-in (password {DEMO_PASSWORD}): {', '.join(a.email for a in accounts)}", flush=True)
    finally:
        await db.dispose()


async def _seed(db: Database, settings: Settings) -> None:
    from zoneinfo import ZoneInfo

    from smartoffice.activity.seed import forget_loaded_availability
    from smartoffice.db import utcnow
    from smartoffice.demo import DEMO_TIME_ZONE, seed_demo

    # The activity (8 weeks back, 2 ahead) is drawn around the runtime clock's date in the towers' zone.
    summary = await seed_demo(db, today=utcnow().astimezone(ZoneInfo(DEMO_TIME_ZONE)).date())
    print(f"demo data: {summary}", flush=True)
    shared_redis = None if settings.is_embedded_redis else settings.redis_url  # an embedded one starts empty
    if shared_redis and not await forget_loaded_availability(shared_redis):
        print("note: Redis was unreachable; run `smartoffice availability rebuild` once it is up", file=sys.stderr)


def _demo(settings: Settings, _args: argparse.Namespace) -> int:
    asyncio.run(_prepare(settings, seed=True))
    return 0


def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    asyncio.run(_prepare(replace(settings, migrate_on_start=True), seed=False))
    print("database is at the latest migration")
    return 0


def _availability_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with open_runtime(settings) as runtime:
            today = runtime.clock().date()  # UTC; the range starts a day early for zones ahead of it
            return await runtime.availability.rebuild(today + timedelta(days=n) for n in range(-1, args.days))

    loaded = asyncio.run(run())
    print(f"availability index rebuilt: {loaded} floor-days loaded from SQL")
    if settings.is_embedded_redis:
        print(
            "note: with no SMARTOFFICE_REDIS_URL the index lives in the server's own embedded Redis, which loads "
            "itself from SQL on demand; this command only matters for a shared Redis.",
            file=sys.stderr,
        )
    return 0


def _secrets_rotate(settings: Settings, _args: argparse.Namespace) -> int:
    from smartoffice.integrations.sealing import SecretBox, SecretKeyMissing, SecretUnreadable
    from smartoffice.integrations.webhook_secrets import RotationReport, rotate_webhook_secrets

    settings = settings.with_secret()  # the key the server uses, also when it lives in the data directory

    from smartoffice.identity.second_factor import reseal_totp_secrets
    from smartoffice.identity.totp import secret_box

    async def run() -> tuple[RotationReport, int]:
        db = Database.from_settings(settings)
        try:
            report = await rotate_webhook_secrets(db, SecretBox.from_settings(settings))
            return report, await reseal_totp_secrets(db, secret_box(settings))
        finally:
            await db.dispose()

    try:
        report, totp_secrets = asyncio.run(run())
    except (SecretUnreadable, SecretKeyMissing) as exc:
        print(f"smartoffice secrets rotate: {exc}; nothing was changed", file=sys.stderr)
        return 1
    print(
        f"webhook secrets re-encrypted under the current key: {report.resealed + report.sealed} "
        f"({report.sealed} of them stored in plaintext until now)"
    )
    if totp_secrets:
        print(f"two-step sign-in secrets re-encrypted under the current key: {totp_secrets}")
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from smartoffice.api.schema import schema_sdl

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(schema_sdl())
    print(f"wrote {args.output}")
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


def _bench(_settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console

    from smartoffice.bench.overload import OverloadSettings
    from smartoffice.bench.runner import BenchOptions, run_bench, run_overload_bench
    from smartoffice.bench.tiers import BenchSetupError

    server_settings = []
    for item in args.server_setting:
        name, equals, value = item.partition("=")
        if not equals or not name:
            print(f"smartoffice bench: --server-setting {item}: expected NAME=VALUE", file=sys.stderr)
            return 2
        server_settings.append((name.strip().upper().removeprefix(PREFIX), value))
    command = " ".join(["smartoffice", *sys.argv[1:]]) if sys.argv[1:2] == ["bench"] else "smartoffice bench"
    options = BenchOptions(
        tier=args.tier,
        database_url=args.database_url,
        redis_url=args.redis_url,
        duration=args.duration,
        concurrency=args.concurrency,
        workers=args.workers,
        json_path=args.json_path,
        markdown_path=args.markdown_path,
        reset=args.reset,
        reuse=args.reuse,
        show_progress=not args.no_progress,
        keep_logs=args.keep_logs,
        command=command,
        repeat=args.repeat,
        server_settings=tuple(server_settings),
        overload_settings=OverloadSettings(
            tier=args.tier,
            clients=args.overload_clients,
            duration=args.overload_duration,
            workers=args.workers,
            command=command,
            server_settings=tuple(server_settings),
        ),
    )
    console = Console() if sys.stdout.isatty() else Console(width=200)
    try:
        if args.overload:
            overload = asyncio.run(run_overload_bench(options))
            overload.print(console)
            overload.write(options.json_path, options.markdown_path)
            return 0 if overload.ok else 1
        report = asyncio.run(run_bench(options))
    except BenchSetupError as exc:
        print(f"smartoffice bench: {exc}", file=sys.stderr)
        return 2
    report.print(console)
    report.write(options.json_path, options.markdown_path)
    return 0 if report.audit.startswith("OK") else 1
