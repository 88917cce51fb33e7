"""Loading ratings and discipline cases: ``runtime.hr_records``, for the command line, GraphQL and the admin page.

``preview`` reads a file and compares it with the database (nothing is written); ``run`` does the same inside one
write transaction and writes the plan in it when the file is valid (:mod:`.apply`). A file with any problem
writes nothing; a file that changes nothing writes nothing either, not even an audit entry. ``import_items`` does
the same for a GraphQL list. Imports are one at a time: SQLite's write lock serialises them, and on PostgreSQL a
transaction-level advisory lock does (two imports of the same new rating would otherwise both insert it).

People act as administrators only (``PermissionDenied`` else); the command line acts as the system (``cli``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor
from smartoffice.db import Database
from smartoffice.errors import CommonPermissionCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.hr.apply import apply_plan
from smartoffice.hr.errors import HrRecordCode
from smartoffice.hr.plan import HrPlan, plan_records
from smartoffice.hr.reader import read_records_file
from smartoffice.hr.records import ITEM_NAMES, CaseItem, RatingItem, RecordKind, item_records
from smartoffice.people import roles
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.siasn.problems import Problem
from smartoffice.policies.models import CaseStatus, DisciplineCase, PerformanceRating, Rating
from smartoffice.uploads import UploadShelf

CLI_ACTOR = Actor.system("cli")
MAX_ITEMS = 5_000
"""Items per GraphQL call: a call is one transaction, and its problems are listed in one answer."""
LOCK_KEY = 0x48525F494D504F52  # "HR_IMPOR": the advisory lock all HR imports take on PostgreSQL
UPLOAD_TTL_SECONDS = 30 * 60
"""How long an uploaded file waits in Redis for the admin to confirm its preview."""


@dataclass(frozen=True, slots=True)
class HrImportResult:
    plan: HrPlan
    written: bool
    """Whether anything was written (valid, and changing something)."""


@dataclass(frozen=True, slots=True)
class StoredRating:
    period: int
    rating: Rating


@dataclass(frozen=True, slots=True)
class StoredCase:
    reference: str | None
    """None for a case not loaded from an HR system (the demo's)."""
    status: CaseStatus
    opened_on: date
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class PersonRecords:
    """What SmartOffice holds of one person's ratings (latest period first) and cases (latest opened first)."""

    employee_id: int
    nip: str
    name: str
    unit_name: str
    active: bool
    ratings: tuple[StoredRating, ...]
    cases: tuple[StoredCase, ...]


@dataclass(frozen=True, slots=True)
class StagedUpload:
    kind: RecordKind
    content: bytes


class HrRecordsService:
    def __init__(self, db: Database, redis: Redis | None, clock: Callable[[], datetime]) -> None:
        """Without ``redis`` (the command line) nothing can be staged for a later confirmation."""
        self.db, self.redis, self.clock = db, redis, clock

    async def preview(self, kind: RecordKind, content: bytes, *, actor: Actor = CLI_ACTOR) -> HrPlan:
        """What importing ``content`` would change, or its problems. Writes nothing."""
        parsed = read_records_file(kind, content, today=self.clock().date())
        async with self.db.read() as session:
            await _require_admin(session, actor)
            return await plan_records(session, kind, parsed.records, parsed.problems, parsed.names)

    async def run(self, kind: RecordKind, content: bytes, *, actor: Actor = CLI_ACTOR) -> HrImportResult:
        """Import ``content`` in one transaction: everything it changes, or (any problem) nothing."""
        now = self.clock()
        parsed = read_records_file(kind, content, today=now.date())
        async with self.db.write() as session:
            await _require_admin(session, actor)
            await _one_import_at_a_time(session)
            plan = await plan_records(session, kind, parsed.records, parsed.problems, parsed.names)
            if not plan.is_valid or plan.changes_nothing:
                return HrImportResult(plan, written=False)
            await apply_plan(session, plan, actor=actor, now=now)
        return HrImportResult(plan, written=True)

    async def import_items(
        self, kind: RecordKind, items: Sequence[RatingItem] | Sequence[CaseItem], *, actor: Actor
    ) -> HrImportResult:
        """Upsert a GraphQL list of ratings or cases: all of them or, with any bad item (its index named), none.
        More than :data:`MAX_ITEMS` is refused (``InvalidInput``), as is an actor who is no administrator."""
        if len(items) > MAX_ITEMS:
            raise InvalidInput(kind.value, HrRecordCode.TOO_MANY_ITEMS, max=MAX_ITEMS)
        now = self.clock()
        problems: list[Problem] = []
        records = item_records(items, problems, now.date())
        async with self.db.write() as session:
            await _require_admin(session, actor)
            await _one_import_at_a_time(session)
            plan = await plan_records(session, kind, records, problems, ITEM_NAMES, is_list=True)
            if not plan.is_valid or plan.changes_nothing:
                return HrImportResult(plan, written=False)
            await apply_plan(session, plan, actor=actor, now=now)
        return HrImportResult(plan, written=True)

    async def records_of(self, actor_id: int, nip: str) -> PersonRecords:
        """One person's ratings and cases, for an administrator; ``NotFound`` for a NIP nobody has."""
        async with self.db.read() as session:
            await _require_admin(session, Actor(actor_id, "page"))
            row = (
                await session.execute(
                    select(Employee.id, Employee.nip, Employee.name, Employee.active, OrgUnit.name)
                    .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
                    .where(Employee.nip == nip)
                )
            ).first()
            if row is None:
                raise NotFound("Employee", nip)
            employee_id = row[0]
            ratings = await session.execute(
                select(PerformanceRating.period, PerformanceRating.rating)
                .where(PerformanceRating.employee_id == employee_id)
                .order_by(PerformanceRating.period.desc())
            )
            cases = await session.execute(
                select(
                    DisciplineCase.reference, DisciplineCase.status, DisciplineCase.opened_on, DisciplineCase.closed_on
                )
                .where(DisciplineCase.employee_id == employee_id)
                .order_by(DisciplineCase.opened_on.desc(), DisciplineCase.id.desc())
            )
            return PersonRecords(
                employee_id, row[1], row[2], row[4], row[3],
                tuple(StoredRating(*r) for r in ratings), tuple(StoredCase(*c) for c in cases),
            )  # fmt: skip

    def _shelf(self) -> UploadShelf:
        assert self.redis is not None
        return UploadShelf(self.redis, "hr-records", UPLOAD_TTL_SECONDS)

    async def stage(self, actor_id: int, kind: RecordKind, content: bytes) -> str:
        """Keep an uploaded file for :data:`UPLOAD_TTL_SECONDS` until its preview is confirmed: the key to
        confirm it with, good for ``actor_id`` only."""
        return await self._shelf().keep(actor_id, kind.value, content)

    async def staged(self, actor_id: int, key: str) -> StagedUpload | None:
        """The file staged under ``key`` by ``actor_id``, or None (expired, someone else's, or never staged)."""
        kept = await self._shelf().get(actor_id, key)
        return None if kept is None else StagedUpload(RecordKind(kept.label), kept.content)

    async def unstage(self, key: str) -> None:
        await self._shelf().drop(key)


async def _require_admin(session: AsyncSession, actor: Actor) -> None:
    if actor.employee_id is not None and not await roles.is_admin(session, actor.employee_id):
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)


async def _one_import_at_a_time(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
