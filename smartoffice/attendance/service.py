"""Attendance for the pages, the command line and apps: ``runtime.attendance``, one per process.

``preview`` reads a file and compares it with the database (nothing is written); ``run`` does the same inside one
write transaction and writes the plan when the file is valid and changes something (:mod:`.apply`): a file with any
problem writes nothing, and a file that changes nothing writes nothing either (re-importing is a no-op, not even an
audit entry). ``report`` does the same for an app's records. Imports are one at a time: SQLite's write lock
serialises them, and on PostgreSQL a transaction-level advisory lock does.

Files are for administrators (``PermissionDenied`` else); the command line acts as the system. An app's records may
also come from a unit manager's app, for people of the units they manage (each other record is refused by index).
The reconciliation is for administrators, unit managers over the unit, and facilities managers of the building.
"Today" is WITA's (as for the policies): a day after it cannot be reported.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.attendance import reconcile
from smartoffice.attendance.apply import ImportSource, apply_plan
from smartoffice.attendance.errors import AttendanceCode, AttendancePermissionCode
from smartoffice.attendance.models import AttendanceImport
from smartoffice.attendance.plan import AttendancePlan, plan_attendance
from smartoffice.attendance.reader import read_attendance_file
from smartoffice.attendance.reconcile import MAX_DAYS, Reconciliation, Scope, subtree
from smartoffice.attendance.records import ITEM_NAMES, AttendanceItem, item_records
from smartoffice.audit.record import Actor
from smartoffice.db import Database
from smartoffice.errors import CommonPermissionCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.people import roles
from smartoffice.people.models import OrgUnit, Role, RoleAssignment
from smartoffice.people.siasn.problems import Problem
from smartoffice.places.models import Building
from smartoffice.policies.service import POLICY_TIME_ZONE
from smartoffice.uploads import UploadShelf

CLI_ACTOR = Actor.system("cli")
MAX_RECORDS = 1_000
"""Records per GraphQL call: a call is one transaction, and its problems are listed in one answer."""
LOCK_KEY = 0x41545445_4E44414E  # "ATTENDAN": the advisory lock all attendance imports take on PostgreSQL
UPLOAD_TTL_SECONDS = 30 * 60
RECENT_IMPORTS = 10


@dataclass(frozen=True, slots=True)
class AttendanceImportResult:
    plan: AttendancePlan
    written: bool
    """Whether anything was written (valid, and changing something)."""


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ReconciliationChoices:
    """What the actor may reconcile: units (their subtrees) and buildings."""

    units: tuple[Choice, ...]
    buildings: tuple[Choice, ...]


class AttendanceService:
    def __init__(self, db: Database, redis: Redis | None, clock: Callable[[], datetime]) -> None:
        """Without ``redis`` (the command line) nothing can be staged for a later confirmation."""
        self.db, self.redis, self.clock = db, redis, clock

    def today(self) -> date:
        return self.clock().astimezone(POLICY_TIME_ZONE).date()

    # importing

    async def preview(self, content: bytes, *, actor: Actor = CLI_ACTOR) -> AttendancePlan:
        """What importing ``content`` would change, or its problems. Writes nothing."""
        parsed = read_attendance_file(content, today=self.today())
        async with self.db.read() as session:
            await _require_admin(session, actor)
            return await plan_attendance(session, parsed.records, parsed.problems, parsed.names)

    async def run(
        self, content: bytes, *, actor: Actor = CLI_ACTOR, file_name: str | None = None
    ) -> AttendanceImportResult:
        """Import ``content`` in one transaction: everything it changes, or (any problem) nothing."""
        now = self.clock()
        parsed = read_attendance_file(content, today=self.today())
        source = ImportSource(file_name, hashlib.sha256(content).hexdigest())
        async with self.db.write() as session:
            await _require_admin(session, actor)
            await _one_import_at_a_time(session)
            plan = await plan_attendance(session, parsed.records, parsed.problems, parsed.names)
            if not plan.is_valid or plan.changes_nothing:
                return AttendanceImportResult(plan, written=False)
            await apply_plan(session, plan, actor=actor, now=now, source=source)
        return AttendanceImportResult(plan, written=True)

    async def report(self, items: Sequence[AttendanceItem], *, actor: Actor) -> AttendanceImportResult:
        """An app's records: all of them or, with any bad record (its index named), none. More than
        :data:`MAX_RECORDS` is refused (``InvalidInput``), as is an owner who is neither an administrator nor a unit
        manager; a record of someone outside the units the owner manages is a problem of that record."""
        if len(items) > MAX_RECORDS:
            raise InvalidInput("records", AttendanceCode.ATTENDANCE_TOO_MANY_RECORDS, max=MAX_RECORDS)
        now = self.clock()
        problems: list[Problem] = []
        records = item_records(items, problems, self.today())
        async with self.db.write() as session:
            managed = await _reporting_units(session, actor)
            await _one_import_at_a_time(session)
            plan = await plan_attendance(session, records, problems, ITEM_NAMES, managed_units=managed, is_list=True)
            if not plan.is_valid or plan.changes_nothing:
                return AttendanceImportResult(plan, written=False)
            await apply_plan(session, plan, actor=actor, now=now, source=ImportSource())
        return AttendanceImportResult(plan, written=True)

    async def recent_imports(self, actor_id: int) -> list[AttendanceImport]:
        """The latest imports, newest first: administrators only."""
        async with self.db.read() as session:
            await _require_admin(session, Actor(actor_id, "page"))
            rows = await session.scalars(
                select(AttendanceImport).order_by(AttendanceImport.at.desc(), AttendanceImport.id.desc())
                .limit(RECENT_IMPORTS)
            )  # fmt: skip
            return list(rows)

    def _shelf(self) -> UploadShelf:
        assert self.redis is not None
        return UploadShelf(self.redis, "attendance", UPLOAD_TTL_SECONDS)

    async def stage(self, actor_id: int, file_name: str, content: bytes) -> str:
        """Keep an uploaded file until its preview is confirmed: the key to confirm it with, for ``actor_id`` only."""
        return await self._shelf().keep(actor_id, file_name, content)

    async def staged(self, actor_id: int, key: str) -> tuple[str, bytes] | None:
        """The file name and bytes staged under ``key`` by ``actor_id``, or None."""
        kept = await self._shelf().get(actor_id, key)
        return None if kept is None else (kept.label, kept.content)

    async def unstage(self, key: str) -> None:
        await self._shelf().drop(key)

    # reconciling

    async def reconciliation(self, actor_id: int, scope: Scope, first: date, last: date) -> Reconciliation:
        """Bookings against attendance for a unit's subtree or a building, ``first`` to ``last`` (at most
        :data:`~smartoffice.attendance.reconcile.MAX_DAYS` days; days after today are left out). Raises
        InvalidInput, NotFound or PermissionDenied."""
        if (scope.unit_id is None) == (scope.building_id is None):
            raise InvalidInput("unitId", AttendanceCode.RECONCILIATION_SCOPE)
        if first > last or reconcile.days_between(first, last) > MAX_DAYS:
            raise InvalidInput("to", AttendanceCode.RECONCILIATION_RANGE, first=first, last=last, max=MAX_DAYS)
        last = min(last, self.today())
        async with self.db.read() as session:
            name = await _require_reconciler(session, actor_id, scope)
            if last < first:
                return Reconciliation(scope, name, first, last, ())
            return await reconcile.reconcile(session, scope, name, first, last)

    async def reconciliation_choices(self, actor_id: int) -> ReconciliationChoices:
        async with self.db.read() as session:
            is_admin = await roles.is_admin(session, actor_id)
            units = select(OrgUnit.id, OrgUnit.name).order_by(OrgUnit.name, OrgUnit.id)
            if not is_admin:
                units = units.where(OrgUnit.id.in_(subtree(roles.managed_unit_roots(actor_id), "managed")))
            buildings = select(Building.id, Building.name).order_by(Building.name, Building.id)
            if not is_admin:
                sites = roles.granted(actor_id, Role.FACILITIES_MANAGER).with_only_columns(RoleAssignment.site_id)
                buildings = buildings.where(Building.site_id.in_(sites))
            return ReconciliationChoices(
                tuple(Choice(*row) for row in await session.execute(units)),
                tuple(Choice(*row) for row in await session.execute(buildings)),
            )


async def _require_admin(session: AsyncSession, actor: Actor) -> None:
    if actor.employee_id is not None and not await roles.is_admin(session, actor.employee_id):
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)


async def _reporting_units(session: AsyncSession, actor: Actor) -> frozenset[int] | None:
    """The units whose people ``actor`` may report: None for everyone (an administrator, the system)."""
    if actor.employee_id is None or await roles.is_admin(session, actor.employee_id):
        return None
    units = frozenset(await session.scalars(subtree(roles.managed_unit_roots(actor.employee_id), "managed")))
    if not units:
        raise PermissionDenied(AttendancePermissionCode.NOT_YOUR_PERSON)
    return units


async def _require_reconciler(session: AsyncSession, actor_id: int, scope: Scope) -> str:
    """The scope's name, if ``actor_id`` may reconcile it."""
    if scope.unit_id is not None:
        unit = await session.get(OrgUnit, scope.unit_id)
        if unit is None:
            raise NotFound("OrgUnit", scope.unit_id)
        if not await roles.manages_unit(session, actor_id, unit.id):
            raise PermissionDenied(AttendancePermissionCode.NOT_YOUR_RECONCILIATION)
        return unit.name
    building = await session.get(Building, scope.building_id)
    if building is None:
        raise NotFound("Building", scope.building_id)
    if not await roles.is_facilities_manager(session, actor_id, building.site_id):
        raise PermissionDenied(AttendancePermissionCode.NOT_YOUR_RECONCILIATION)
    return building.name


async def _one_import_at_a_time(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
