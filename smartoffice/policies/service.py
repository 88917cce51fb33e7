"""Office-day policies for people and apps: :class:`PolicyService`, one per process, owns their transactions.

Each method opens one transaction (a read for an answer, a write for a change) and does its work with the functions
that run inside one: :mod:`~smartoffice.policies.weeks` (a person's week, a unit's compliance),
:mod:`~smartoffice.policies.work_days` (plans and attendance), :mod:`~smartoffice.policies.exemptions`,
:mod:`~smartoffice.policies.anchor_days`, :mod:`~smartoffice.policies.policy_changes` and
:mod:`~smartoffice.policies.lists`. They check who may act and raise domain errors; a write that raises changes
nothing; the changes a manager or an administrator makes are audited in the same transaction. ``via`` (default
``api``) says through what a change came, as ``AuditEntry.via`` records it: the pages pass ``page``.

"Today" is the date in WITA by the runtime's clock: the policies are national, and IKN's offices keep WITA.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from smartoffice.db import Database, utcnow
from smartoffice.people import service as people
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.policies import anchor_days, exemptions, lists, policy_changes, weeks, work_days
from smartoffice.policies.exemptions import ExemptionRequest
from smartoffice.policies.models import AnchorDay, Exemption, Policy, WorkDay, WorkMode
from smartoffice.policies.policy_changes import PolicyDraft
from smartoffice.policies.weeks import MyWeek, UnitWeek

POLICY_TIME_ZONE = ZoneInfo("Asia/Makassar")
"""Weeks and "today" for policies are in the capital's time zone (WITA)."""


@dataclass(frozen=True, slots=True)
class WeekOverview:
    """A person's week and where the week page links to, read in one transaction."""

    week: MyWeek
    home_floor_id: int | None
    """Where "book a desk" points: the floor of the hot-desk zone nearest the person's unit (None: no zone)."""
    managed_units: Sequence[OrgUnit]
    """The units whose compliance the viewer monitors."""


class PolicyService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def today(self) -> date:
        """Today in WITA: the day weeks are judged on, and before which plans can no longer change."""
        return self.clock().astimezone(POLICY_TIME_ZONE).date()

    # weeks

    async def my_week(self, actor_id: int, employee_id: int, week_of: date | None = None) -> MyWeek:
        """The week holding ``week_of`` (default: this week) of a person the actor may see (see
        :func:`~smartoffice.policies.weeks.can_see_week`). Raises NotFound, PermissionDenied or InvalidInput."""
        today = self.today()
        async with self.db.read() as session:
            return await weeks.my_week(session, actor_id, employee_id, week_of or today, today)

    async def week_overview(self, actor_id: int, employee_id: int, week_of: date | None = None) -> WeekOverview:
        """:meth:`my_week` with the floors its links lead to and the units the actor monitors (the week page)."""
        today = self.today()
        async with self.db.read() as session:
            week = await weeks.my_week(session, actor_id, employee_id, week_of or today, today)
            home_floor = await weeks.home_floor_id(session, week.plan.person.unit_path)
            managed = await weeks.units_managed_by(session, actor_id)
        return WeekOverview(week, home_floor, managed)

    async def unit_week(self, actor_id: int, unit_id: int, week_of: date | None = None) -> UnitWeek:
        """Compliance of a unit's subtree for the week holding ``week_of`` (default: this week): unit managers over
        it and administrators. Raises NotFound, PermissionDenied or InvalidInput."""
        today = self.today()
        async with self.db.read() as session:
            return await weeks.unit_week(session, actor_id, unit_id, week_of or today, today)

    # lists

    async def policies_in_force(self, actor_id: int, day: date | None = None) -> Sequence[Policy]:
        """The policies in force on ``day`` (default: today) that the actor may see, national first."""
        async with self.db.read() as session:
            return await lists.policies_in_force(session, actor_id, day or self.today())

    async def policies_by_id(self, ids: Sequence[int]) -> dict[int, Policy]:
        """The policies with these ids that exist, in one query (for a DataLoader's batch)."""
        async with self.db.read() as session:
            return {row.id: row for row in await session.scalars(select(Policy).where(Policy.id.in_(ids)))}

    async def exemptions_of(self, employee_id: int) -> list[tuple[Exemption, Employee]]:
        async with self.db.read() as session:
            return await lists.exemptions_of(session, employee_id)

    async def exemptions_to_decide(self, actor_id: int) -> list[tuple[Exemption, Employee]]:
        async with self.db.read() as session:
            return await lists.exemptions_to_decide(session, actor_id)

    # changes

    async def set_work_plan(self, actor_id: int, employee_id: int, day: date, mode: WorkMode | None) -> WorkDay | None:
        """Plan a day from today on, or clear its plan (``mode`` None); None when the day then holds nothing.
        Raises PolicyRefusal for a remote day the policies forbid (see :func:`work_days.set_work_day`)."""
        async with self.db.write() as session:
            return await work_days.set_work_day(session, actor_id, employee_id, day, self.today(), planned=mode)

    async def record_attendance(
        self, actor_id: int, employee_id: int, day: date, mode: WorkMode | None
    ) -> WorkDay | None:
        async with self.db.write() as session:
            return await work_days.record_attendance(session, actor_id, employee_id, day, mode)

    async def request_exemption(self, actor_id: int, request: ExemptionRequest) -> tuple[Exemption, Employee]:
        """The new request and its person (with their unit and organisation)."""
        async with self.db.write() as session:
            exemption = await exemptions.request_exemption(session, actor_id, request, self.today(), self.clock())
            return exemption, await people.get_employee(session, exemption.employee_id)

    async def decide_exemption(
        self, actor_id: int, exemption_id: int, *, approve: bool, note: str | None, via: str = "api"
    ) -> tuple[Exemption, Employee]:
        """The decided request and its person (with their unit and organisation)."""
        async with self.db.write() as session:
            exemption = await exemptions.decide_exemption(
                session, actor_id, exemption_id, approve=approve, note=note, now=self.clock(), via=via
            )
            return exemption, await people.get_employee(session, exemption.employee_id)

    async def set_anchor_days(
        self, actor_id: int, unit_id: int, weekdays: Sequence[int], effective_from: date, *, via: str = "api"
    ) -> list[AnchorDay]:
        """Replace a unit's anchor days (weekday numbers, 0 = Monday) from ``effective_from`` on."""
        async with self.db.write() as session:
            return await anchor_days.set_anchor_days(
                session, actor_id, unit_id, list(weekdays), effective_from, self.today(), now=self.clock(), via=via
            )

    async def create_policy(self, actor_id: int, draft: PolicyDraft, *, via: str = "api") -> Policy:
        async with self.db.write() as session:
            return await policy_changes.create_policy(session, actor_id, draft, self.clock(), via=via)

    async def end_policy(self, actor_id: int, policy_id: int, last_day: date, *, via: str = "api") -> Policy:
        async with self.db.write() as session:
            return await policy_changes.end_policy(session, actor_id, policy_id, last_day, now=self.clock(), via=via)
