"""The Friday reminder: next week's required office days, each said booked or not, with a link that books them.

**When.** From Friday 14:00 until the end of Sunday in the person's zone (their home building's, else
:data:`~smartoffice.notifications.produce.DEFAULT_ZONE`, as their quiet hours are read), about the week starting
the Monday after. The job runs every few minutes in every process; each person gets one reminder a week (dedupe
``weekly:<monday>``), so a run cut off (or a server down at 14:00) is finished by a later run.

**Who.** Every active person with at least one required office day (``Requirement.REQUIRED``: anchor days, every
day when not eligible for remote work, ...) from Monday to Friday that is not planned as leave or duty travel, the
days "book my required days" (:mod:`smartoffice.bookings.required_days`) would book or find booked. Nobody else:
a week that asks nothing of someone is not worth a message. ``produce.notify`` applies their preferences; people
who turned the kind off on both channels are not even planned.

**In bulk.** The requirements come from the policy engine through
:class:`~smartoffice.planning.demand_needs.WeekNeedsPlanner`, which runs :func:`~smartoffice.policies.engine.plan_week`
once per *kind* of person (same policies, anchor days, exemptions, ...), not once per person: the policies in force
and the calendar are read once per run, the people (:func:`~smartoffice.policies.facts.load_people`), their desk
bookings and their days away :data:`BATCH` at a time, in id order. Each batch's notifications are made in a
short write transaction of their own, so 12,000 people are 24 of them, never one long one.

**Resuming.** Who was already reminded is in the database (the dedupe key): that alone makes any run correct, and
a later run plans only the people not reminded yet (those with no required day, and newcomers): 0.1 s for 6,000
people on SQLite, measured.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.db import Database
from smartoffice.notifications.kinds import RequiredDay, WeekFacts
from smartoffice.notifications.models import Notification, NotificationKind, NotificationPreference
from smartoffice.notifications.produce import DEFAULT_ZONE, Draft, notify
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.planning.demand_needs import PolicyIndex, WeekNeedsPlanner
from smartoffice.policies.day_rules import AWAY
from smartoffice.policies.engine import counted_mode, next_monday
from smartoffice.policies.facts import load_people, load_policies
from smartoffice.policies.models import WorkDay
from smartoffice.workcalendar.service import load_calendar

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime


KIND = NotificationKind.WEEKLY_REMINDER
REMINDER_WEEKDAY = 4
"""Friday."""
REMINDER_AT = time(14, 0)
"""Local time on Friday from which the reminder is made (until the end of Sunday)."""
BATCH = 500


def dedupe_key(monday: date) -> str:
    return f"weekly:{monday.isoformat()}"


def week_to_remind(now: datetime, zone: str) -> date | None:
    """The Monday of the week to remind people in ``zone`` of at ``now``, or None outside Friday 14:00-Sunday."""
    local = now.astimezone(ZoneInfo(zone))
    weekday = local.weekday()
    if weekday > REMINDER_WEEKDAY or (weekday == REMINDER_WEEKDAY and local.time() >= REMINDER_AT):
        return next_monday(local.date())
    return None


async def send_weekly_reminders(db: Database, now: datetime) -> int:
    """Make the weekly reminders due at ``now``; returns how many notifications were made."""
    async with db.read() as session:
        zones = set(await session.scalars(select(Building.time_zone).distinct())) | {DEFAULT_ZONE}
    due = {zone: monday for zone in sorted(zones) if (monday := week_to_remind(now, zone)) is not None}
    planners: dict[date, WeekPlanner] = {}
    made = 0
    for zone, monday in due.items():
        if monday not in planners:
            async with db.read() as session:
                planners[monday] = await WeekPlanner.load(session, monday)
        made += await _remind_zone(db, planners[monday], zone, now)
    return made


async def _remind_zone(db: Database, planner: "WeekPlanner", zone: str, now: datetime) -> int:
    made = 0
    after = 0
    while True:
        async with db.read() as session:
            people = list(await session.scalars(_to_remind(zone, planner.monday, after)))
            if not people:
                break
            drafts = await planner.drafts(session, people, zone)
        if drafts:
            async with db.write() as session:
                made += await notify(session, drafts, now)
        after = people[-1]
        if len(people) < BATCH:
            break
    return made


def _to_remind(zone: str, monday: date, after: int) -> Select[int]:
    """The next batch of active people in ``zone`` not yet reminded of the week, who have not turned it off."""
    in_zone: ColumnElement[bool] = Building.time_zone == zone
    if zone == DEFAULT_ZONE:
        in_zone = or_(in_zone, Employee.home_building_id.is_(None))
    reminded = exists().where(Notification.recipient_id == Employee.id, Notification.dedupe_key == dedupe_key(monday))
    turned_off = exists().where(
        NotificationPreference.employee_id == Employee.id,
        NotificationPreference.kind == KIND,
        NotificationPreference.email.is_(False),
        NotificationPreference.in_app.is_(False),
    )
    return (
        select(Employee.id)
        .outerjoin(Building, Building.id == Employee.home_building_id)
        .where(Employee.active.is_(True), Employee.id > after, in_zone, ~reminded, ~turned_off)
        .order_by(Employee.id)
        .limit(BATCH)
    )


@dataclass(slots=True)
class WeekPlanner:
    """The requirements of one week for many people: the policies and the calendar read once, each kind of person
    planned once (:class:`WeekNeedsPlanner`)."""

    monday: date
    needs: WeekNeedsPlanner

    @classmethod
    async def load(cls, session: AsyncSession, monday: date) -> "WeekPlanner":
        sunday = monday + timedelta(days=6)
        # Every policy in force (a few hundred rows), a superset of each person's: applies_to picks theirs.
        policies = PolicyIndex(await load_policies(session, monday, sunday))
        return cls(monday, WeekNeedsPlanner(policies, await load_calendar(session, monday, sunday)))

    @property
    def friday(self) -> date:
        return self.monday + timedelta(days=REMINDER_WEEKDAY)

    async def required_days(self, session: AsyncSession, employee_ids: Sequence[int]) -> dict[int, list[RequiredDay]]:
        """Employee id → their required office days from Monday to Friday not planned away, each with whether a
        desk is booked (people with none are left out)."""
        persons = await load_people(session, employee_ids, self.monday, self.monday + timedelta(days=6))
        booked = await self._desk_days(session, employee_ids)
        away = await self._away_days(session, employee_ids)
        found: dict[int, list[RequiredDay]] = {}
        for person in persons.values():
            days = [
                RequiredDay(date=day.isoformat(), booked=(person.id, day) in booked)
                for day in sorted(self.needs.needs(person, self.monday).required)
                if day <= self.friday and ((person.id, day) in booked or (person.id, day) not in away)
            ]
            if days:
                found[person.id] = days
        return found

    async def drafts(self, session: AsyncSession, employee_ids: Sequence[int], zone: str) -> list[Draft]:
        return [
            Draft(
                recipient_id=employee_id,
                kind=KIND,
                dedupe_key=dedupe_key(self.monday),
                data=dict(WeekFacts(weekStart=self.monday.isoformat(), timeZone=zone, days=days)),
                # Once the week has begun, "next week" is late news: the email is dropped, the bell keeps it.
                expires_at=datetime.combine(self.monday, time(), ZoneInfo(zone)).astimezone(UTC),
            )
            for employee_id, days in (await self.required_days(session, employee_ids)).items()
        ]

    async def _desk_days(self, session: AsyncSession, employee_ids: Sequence[int]) -> set[tuple[int, date]]:
        """``(employee, local day)`` of the week's active desk bookings (as "book my required days" finds them)."""
        since = datetime.combine(self.monday - timedelta(days=1), time(), UTC)
        until = datetime.combine(self.friday + timedelta(days=2), time(), UTC)
        rows = await session.execute(
            select(Booking.employee_id, Booking.start_at, Building.time_zone)
            .join(Space, Booking.space_id == Space.id)
            .join(Floor, Space.floor_id == Floor.id)
            .join(Building, Floor.building_id == Building.id)
            .where(
                Booking.employee_id.in_(employee_ids),
                Booking.space_kind == SpaceKind.DESK,
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.start_at >= since,
                Booking.start_at < until,
            )
        )
        return {(employee, start_at.astimezone(ZoneInfo(zone)).date()) for employee, start_at, zone in rows}

    async def _away_days(self, session: AsyncSession, employee_ids: Sequence[int]) -> set[tuple[int, date]]:
        """``(employee, day)`` planned (or reported) as leave or duty travel: not to be booked."""
        rows = await session.execute(
            select(WorkDay.employee_id, WorkDay.day, WorkDay.planned, WorkDay.actual).where(
                WorkDay.employee_id.in_(employee_ids), WorkDay.day.between(self.monday, self.friday)
            )
        )
        return {
            (employee, day)
            for employee, day, planned, actual in rows
            if counted_mode(planned, actual, is_past=False) in AWAY
        }


async def run_weekly_reminders(runtime: "Runtime") -> int:
    """The periodic job; returns how many notifications it made."""
    return await send_weekly_reminders(runtime.db, runtime.clock())
