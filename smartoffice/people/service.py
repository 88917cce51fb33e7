"""Reading people, and the few things a person changes about themselves.

:class:`PeopleService` owns its transactions; the module-level functions are the steps other domains' services
run inside their own sessions (a booking locks its person with :func:`get_employee`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.notifications.models import Notification
from smartoffice.notifications.service import unread
from smartoffice.people import roles
from smartoffice.people.models import Employee, Organisation, OrgUnit, Role
from smartoffice.people.present import PresentPeople
from smartoffice.people.visibility import Viewer

BELL_CAP = 100
"""The bell counts unread notifications up to this (it shows "99+" beyond): a page never counts a long backlog."""

WITH_UNIT = joinedload(Employee.org_unit).joinedload(OrgUnit.organisation)
"""What ``Employee.from_model`` and the pages need of a person: their unit and its organisation."""


@dataclass(frozen=True, slots=True)
class ViewerFacts:
    """What every page's header needs of the person acting (:meth:`PeopleService.find_viewer`)."""

    employee: Employee
    holds_role: bool
    unread_notifications: int
    """Unread in-app notifications, at most :data:`BELL_CAP`."""


class PeopleService:
    def __init__(self, db: Database, present: PresentPeople | None = None) -> None:
        self.db = db
        self.present = present if present is not None else PresentPeople(db, None)
        """Who has not left, cached per process (``people/present.py``); without one, each check reads SQL."""

    async def is_present(self, employee_id: int) -> bool:
        """Someone by that id exists and has not left (``Employee.active``): the demo identity's check, cached."""
        return await self.present.is_present(employee_id)

    async def employee(self, employee_id: int) -> Employee:
        """With their unit and organisation. Raises NotFound."""
        async with self.db.read() as session:
            return await get_employee(session, employee_id)

    async def find_employee(self, employee_id: int) -> Employee | None:
        """With their unit and organisation, or ``None`` when there is no such person."""
        return (await self.employees_by_id([employee_id])).get(employee_id)

    async def find_viewer(self, employee_id: int) -> ViewerFacts | None:
        """The person (with unit and organisation), whether they hold a role (granted while active, or head of a
        unit by position) and their unread in-app notifications (at most :data:`BELL_CAP`), or ``None``. One
        query: every page's header links to the administration pages and shows the bell by it, so the role check
        (two indexed EXISTS) and the count (the partial index ``ix_notifications_unread``) ride along instead of
        costing every page a query of their own."""
        holds_a_role = or_(roles.granted(employee_id, *Role).exists(), roles.headed_units(employee_id).exists())
        unread_rows = select(Notification.id).where(*unread(employee_id)).limit(BELL_CAP).subquery()
        unread_count = select(func.count()).select_from(unread_rows).scalar_subquery()
        query = (
            select(Employee, holds_a_role, unread_count)
            .where(Employee.id == employee_id)
            .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        )
        async with self.db.read() as session:
            row = (await session.execute(query)).first()
        return None if row is None else ViewerFacts(row[0], bool(row[1]), int(row[2] or 0))

    async def search(self, text: str, limit: int = 20) -> Sequence[Employee]:
        """Employees whose name contains ``text`` (case-insensitive), by name."""
        async with self.db.read() as session:
            return await search_employees(session, text, limit)

    async def set_presence_sharing(self, actor_id: int, share: bool) -> Employee:
        """The actor opts in to (or out of) showing their name on the spaces they book. Raises NotFound."""
        async with self.db.write() as session:
            return await set_presence_sharing(session, actor_id, share)

    async def saved_language(self, employee_id: int) -> str | None:
        """The page language the person chose (``id``, ``en``), or None: not chosen, or no such employee."""
        async with self.db.read() as session:
            return await session.scalar(select(Employee.language).where(Employee.id == employee_id))

    async def save_language(self, employee_id: int, language: str) -> None:
        """Remember the page language the person chose, for browsers without the language cookie."""
        async with self.db.write() as session:
            await session.execute(update(Employee).where(Employee.id == employee_id).values(language=language))

    # Batches for the per-request DataLoaders: one IN query each, in a short session of its own, so that
    # concurrent batches never share a session.

    async def employees_by_id(self, ids: Sequence[int]) -> dict[int, Employee]:
        """With their unit and organisation, in the same query; missing ids are absent."""
        query = select(Employee).where(Employee.id.in_(ids)).options(WITH_UNIT)
        async with self.db.read() as session:
            return {e.id: e for e in await session.scalars(query)}

    async def org_units_by_id(self, ids: Sequence[int]) -> dict[int, OrgUnit]:
        query = select(OrgUnit).where(OrgUnit.id.in_(ids)).options(joinedload(OrgUnit.organisation))
        async with self.db.read() as session:
            return {u.id: u for u in await session.scalars(query)}

    async def organisations_by_id(self, ids: Sequence[int]) -> Sequence[Organisation]:
        async with self.db.read() as session:
            return await get_organisations(session, ids)

    async def nips_by_employee_id(self, viewer_id: int, ids: Sequence[int]) -> dict[int, str | None]:
        """The NIP of each person where the viewer may see it, else None: SQL selects only those it may."""
        visible = Viewer(viewer_id).may_see_nip(Employee)
        query = select(Employee.id, case((visible, Employee.nip), else_=null())).where(Employee.id.in_(ids))
        async with self.db.read() as session:
            return {ident: nip for ident, nip in (await session.execute(query)).all()}


async def get_employee(session: AsyncSession, employee_id: int, *, lock: bool = False) -> Employee:
    """The employee with their unit and organisation. ``lock`` also takes the person's row lock (``FOR NO KEY
    UPDATE``, PostgreSQL) in the same round trip."""
    query = select(Employee).where(Employee.id == employee_id).options(WITH_UNIT)
    if lock:
        query = query.with_for_update(of=Employee, key_share=True)
    employee = await session.scalar(query)
    if employee is None:
        raise NotFound("Employee", employee_id)
    return employee


async def search_employees(session: AsyncSession, text: str, limit: int = 20) -> Sequence[Employee]:
    """Employees whose name contains ``text`` (case-insensitive), for the demo's "who are you" picker."""
    pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        select(Employee)
        .where(Employee.name.ilike(pattern, escape="\\"))
        .options(WITH_UNIT)
        .order_by(Employee.name, Employee.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def get_organisations(session: AsyncSession, ids: Sequence[int]) -> Sequence[Organisation]:
    return (await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))).all()


async def set_presence_sharing(session: AsyncSession, employee_id: int, share: bool) -> Employee:
    """Opt in (or out): whether colleagues outside the person's unit see their name on the space they booked."""
    employee = await get_employee(session, employee_id)
    employee.share_presence = share
    return employee
