"""Importing places from a file: ``runtime.places_import`` (the command line, and later the facilities console).

``preview`` reads the file and compares it with the database, writing nothing; ``run`` plans again inside one
write transaction and writes the plan there. A file with any problem writes nothing; a file that changes nothing
writes nothing, not even an audit entry. A person acting (the facilities console's actor, not the command line's
system actor) must be an administrator, checked in the same transaction: a file may create sites.

After a write the floor layout version (``places/layout.py``) is bumped, so every running process reloads the
floors it cached: the runtime's after-commit hook does it for a write through the runtime's database, and
:meth:`run` does it again explicitly for a database opened without that hook (the command line). The availability
index needs nothing: a new desk has no bookings (free), and an existing floor-day holds only taken slots.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from redis.exceptions import RedisError

from smartoffice.audit.record import Actor
from smartoffice.db import Database
from smartoffice.errors import CommonPermissionCode, PermissionDenied
from smartoffice.people.roles import is_admin
from smartoffice.places.imports.apply import apply_plan
from smartoffice.places.imports.plan import PlacesPlan, load_existing, plan_import
from smartoffice.places.imports.reader import read_places_file
from smartoffice.places.layout import bump_layout_version

log = logging.getLogger(__name__)

CLI_ACTOR = Actor.system("cli")


@dataclass(frozen=True, slots=True)
class PlacesImportResult:
    plan: PlacesPlan
    written: bool
    """Whether anything was written (a valid file that changes something)."""


class PlacesImportService:
    def __init__(self, db: Database, redis: Redis | None, clock: Callable[[], datetime]) -> None:
        """``redis``: where the layout version lives (None: a command line with an embedded Redis, whose server
        processes reload within ``LAYOUT_MAX_AGE_SECONDS``; new floors show at once, as missing floors are never
        cached)."""
        self.db, self.redis, self.clock = db, redis, clock

    async def preview(self, content: bytes) -> PlacesPlan:
        """What importing ``content`` would change, or its problems. Writes nothing."""
        parsed = read_places_file(content)
        if not parsed.is_valid:
            return PlacesPlan(parsed.problems)
        async with self.db.read() as session:
            return plan_import(parsed, await load_existing(session))

    async def run(self, content: bytes, *, actor: Actor = CLI_ACTOR) -> PlacesImportResult:
        """Import ``content`` in one transaction: everything it changes, or (any problem) nothing. Raises
        PermissionDenied when ``actor`` is a person who is not an administrator."""
        parsed = read_places_file(content)
        if not parsed.is_valid:
            return PlacesImportResult(PlacesPlan(parsed.problems), written=False)
        async with self.db.write() as session:
            if actor.employee_id is not None and not await is_admin(session, actor.employee_id):
                raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)
            existing = await load_existing(session)
            plan = plan_import(parsed, existing)
            if not plan.is_valid or plan.changes_nothing:
                return PlacesImportResult(plan, written=False)
            await apply_plan(session, plan, existing, actor=actor, now=self.clock())
        await self._layouts_changed()
        return PlacesImportResult(plan, written=True)

    async def _layouts_changed(self) -> None:
        if self.redis is None:
            return
        try:
            await bump_layout_version(self.redis)
        except RedisError:
            log.warning("places imported but the layout version could not be bumped", exc_info=True)
