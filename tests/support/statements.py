"""The SQL a block of a test runs: how the cache tests prove that a read came from memory, or went to the database."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from smartoffice.db import Database


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every statement ``db``'s engine executes inside the block, in order."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


def reads(seen: list[str], table: str) -> int:
    """How many of ``seen`` read ``table``."""
    return sum(1 for s in seen if f"FROM {table}" in s)
