"""Importing people from a SIASN-shaped file: ``runtime.people_import``.

``preview`` reads the file and compares it with the database (nothing is written); ``run`` does the same inside
one write transaction and, when the file is valid, writes the plan in it (:mod:`.apply`). After the commit the
cancelled bookings are projected into the availability index and the leavers' login sessions (Redis) ended.
A file with any error writes nothing; a file that changes nothing writes nothing, not even an audit entry.

The administration page reviews first (``review``: the plan, what each leaver loses, the plan's fingerprint), then
confirms with ``run(..., expected_fingerprint=...)``, which re-plans inside its transaction and writes nothing
when the plan is no longer the one reviewed. A person acting (not the command line's system actor) must be an
administrator, checked in the same transaction.

"Today" (a leaver's ``left_on``, the NIP and TMT checks against the future) is the local date where the staff
work: the time zone the buildings share, else ``Asia/Makassar`` (WITA), as a site's closures read it. (The UTC
date is the day before from midnight to 08:00 WITA.)
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor
from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings.models import Booking
from smartoffice.db import Database
from smartoffice.errors import CommonPermissionCode, PermissionDenied
from smartoffice.identity.sessions import SessionStore
from smartoffice.people.imports.apply import apply_plan
from smartoffice.people.imports.plan import ImportPlan, load_existing, plan_import
from smartoffice.people.imports.review import ImportReview, future_bookings, plan_fingerprint
from smartoffice.people.roles import is_admin
from smartoffice.people.siasn import read_people_file
from smartoffice.places.closures import DEFAULT_TIME_ZONE
from smartoffice.places.models import Building, Floor, Space
from smartoffice.scim.accounts import link_pending

log = logging.getLogger(__name__)

IMPORT_ACTOR = Actor.system("import")


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: ImportPlan
    written: bool
    """Whether anything was written (a valid file that changes something)."""
    cancelled_bookings: int = 0
    revoked_tokens: int = 0
    ended_sessions: int = 0
    session_failures: list[int] = field(default_factory=list)
    """Leavers whose login sessions could not be ended (Redis unreachable); they cannot sign in again anyway."""
    cancelled_series: int = 0
    unassigned_desks: int = 0
    stale: bool = False
    """Nothing written because the plan was no longer the one reviewed (``expected_fingerprint``)."""
    expired_emails: int = 0
    """The leavers' notification emails that were waiting to be sent and now never will be."""


class PeopleImportService:
    def __init__(
        self,
        db: Database,
        availability: AvailabilityService | None,
        sessions: SessionStore | None,
        clock: Callable[[], datetime],
    ) -> None:
        """Without ``availability`` or ``sessions`` (the command line with an embedded Redis), cancelled bookings
        are not projected (the index reloads from SQL) and login sessions are not ended (a deactivated person's
        session is refused where it is checked)."""
        self.db, self.availability, self.sessions, self.clock = db, availability, sessions, clock

    async def preview(self, content: bytes, *, today: date | None = None) -> ImportPlan:
        """What importing ``content`` would change, or its problems. Writes nothing."""
        today = today or await self._local_today(self.clock())
        parsed = read_people_file(content, today=today)
        if not parsed.is_valid:
            return ImportPlan(parsed.problems)
        async with self.db.read() as session:
            return plan_import(parsed, await load_existing(session))

    async def review(self, actor_id: int, content: bytes) -> ImportReview:
        """Administrators: :meth:`preview` with the bookings each leaver would lose and the plan's fingerprint."""
        now = self.clock()
        parsed = read_people_file(content, today=await self._local_today(now))
        async with self.db.read() as session:
            await _require_admin(session, actor_id)
            if not parsed.is_valid:
                plan = ImportPlan(parsed.problems)
                return ImportReview(plan, plan_fingerprint(plan))
            plan = plan_import(parsed, await load_existing(session))
            lost = await future_bookings(session, [leaver.id for leaver in plan.leavers], now)
        return ImportReview(plan, plan_fingerprint(plan), lost)

    async def run(
        self,
        content: bytes,
        *,
        actor: Actor = IMPORT_ACTOR,
        today: date | None = None,
        expected_fingerprint: str | None = None,
    ) -> ImportResult:
        """Import ``content`` in one transaction: everything it changes, or (any error) nothing. With
        ``expected_fingerprint``, also nothing when the plan made now is not that one (``stale``)."""
        now = self.clock()
        today = today or await self._local_today(now)
        parsed = read_people_file(content, today=today)
        if not parsed.is_valid:
            return ImportResult(ImportPlan(parsed.problems), written=False)
        async with self.db.write() as session:
            if actor.employee_id is not None:
                await _require_admin(session, actor.employee_id)
            existing = await load_existing(session)
            plan = plan_import(parsed, existing)
            if expected_fingerprint is not None and plan_fingerprint(plan) != expected_fingerprint:
                return ImportResult(plan, written=False, stale=True)
            if not plan.is_valid or plan.changes_nothing:
                return ImportResult(plan, written=False)
            applied = await apply_plan(session, plan, existing, actor=actor, now=now, today=today)
            await link_pending(session, actor, now)  # SCIM accounts provisioned before their person arrived
        await self._project(applied.cancelled)
        ended, failures = await self._end_sessions(applied.leaver_ids)
        return ImportResult(
            plan,
            True,
            len(applied.cancelled),
            applied.revoked_tokens,
            ended,
            failures,
            applied.cancelled_series,
            applied.unassigned_desks,
            expired_emails=applied.expired_emails,
        )

    async def _local_today(self, now: datetime) -> date:
        """The date at ``now`` in the zone the buildings in service share, else WITA (see the module docstring)."""
        async with self.db.read() as session:
            zones = set(await session.scalars(select(Building.time_zone).where(Building.retired_at.is_(None))))
        zone = zones.pop() if len(zones) == 1 else DEFAULT_TIME_ZONE
        return now.astimezone(ZoneInfo(zone)).date()

    async def _end_sessions(self, employee_ids: list[int]) -> tuple[int, list[int]]:
        ended, failures = 0, []
        if self.sessions is None:
            return ended, list(employee_ids)
        for employee_id in employee_ids:
            try:
                ended += await self.sessions.revoke_all(employee_id)
            except RedisError:
                log.warning("could not end the login sessions of employee %s (Redis)", employee_id, exc_info=True)
                failures.append(employee_id)
        return ended, failures

    async def _project(self, bookings: list[Booking]) -> None:
        """Free the cancelled bookings' slots in the availability index (SQL already has)."""
        if not bookings or self.availability is None:
            return
        async with self.db.read() as session:
            rows = await session.execute(
                select(Space.id, Space.floor_id, Building.time_zone)
                .join(Floor, Floor.id == Space.floor_id)
                .join(Building, Building.id == Floor.building_id)
                .where(Space.id.in_(sorted({b.space_id for b in bookings})))
            )
            places = {space_id: (floor_id, time_zone) for space_id, floor_id, time_zone in rows}
        for booking in bookings:
            floor_id, time_zone = places[booking.space_id]
            await self.availability.project(booking, floor_id, time_zone)


async def _require_admin(session: AsyncSession, actor_id: int) -> None:
    if not await is_admin(session, actor_id):
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)
