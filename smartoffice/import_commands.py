"""What the import commands share (``people import``, ``places import``, ``hr import-ratings|import-discipline``):
reading the file, running the preview (``--dry-run``) or the import, the summary's last line and its first
problems, the exit status (1 when the file has errors, as nothing was written), and the database and shared Redis
a command works with."""

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

from redis.asyncio import Redis

from smartoffice.db import Database
from smartoffice.people.siasn.problems import Problem
from smartoffice.settings import Settings

SHOWN_PROBLEMS = 20


class FilePlan(Protocol):
    @property
    def is_valid(self) -> bool: ...


def import_file(
    command: str, path: Path, run: Callable[[bytes], Coroutine[Any, Any, tuple[FilePlan, Iterable[str]]]]
) -> int:
    """Read ``path``, ``run`` the preview or import on its bytes, print the summary lines it answers; the exit
    status."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"smartoffice {command}: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    plan, lines = asyncio.run(run(content))
    for line in lines:
        print(line)
    return 0 if plan.is_valid else 1


def outcome_line(written: bool | None, imported: str = "Imported.") -> str:
    """After the counts: a dry run (``written`` None), the import done, or nothing to change."""
    if written is None:
        return "Dry run: nothing was written."
    return imported if written else "Nothing to change: the database already matches the file."


def problem_lines(problems: Sequence[Problem]) -> Iterator[str]:
    """The first problems with their lines, in English."""
    for problem in problems[:SHOWN_PROBLEMS]:
        where = f"line {problem.line}" + (f", {problem.column}" if problem.column else "")
        kind = "warning" if problem.is_warning else "error"
        yield f"  {where}: {kind} {problem.code.name}: {problem.message_in('en')}"
    if len(problems) > SHOWN_PROBLEMS:
        yield f"  ... and {len(problems) - SHOWN_PROBLEMS} more"


@asynccontextmanager
async def command_stores(settings: Settings) -> AsyncIterator[tuple[Database, Redis | None]]:
    """The database, and the shared Redis when there is one (``SMARTOFFICE_REDIS_URL``; a command cannot reach a
    server's embedded Redis): what an import tells running servers through."""
    from smartoffice.runtime import redis_client

    db = Database.from_settings(settings)
    redis = None if settings.is_embedded_redis or settings.redis_url is None else redis_client(settings.redis_url)
    try:
        yield db, redis
    finally:
        if redis is not None:
            await redis.aclose()
        await db.dispose()
