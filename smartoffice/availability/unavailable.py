"""Which desks of a floor cannot be booked on a local day by a given person, and why: the one place that decides.

Floor availability (GraphQL, packed or not) and the floor page show what booking would answer, before anyone
clicks. So every reason here is decided by the same predicate the booking checks use
(``smartoffice.bookings.checks``), in the same order (the first reason that applies is the one booking gives):

1. ``NOT_BOOKABLE``: the desk is marked not bookable (retired desks, zones and floors are simply absent from the
   layout: see ``places.layout``);
2. ``CLOSED_WEEKDAY`` / ``OUTSIDE_HOURS``: the building is closed that weekday, or the asked-for window is
   outside its hours that day (``places.models.hours_on``);
3. ``HOLIDAY``: a public holiday or cuti bersama, when the building's desk rule closes on holidays
   (:func:`~smartoffice.bookings.checks.holiday_closure`), except a cuti bersama for a viewer whose policies make
   it a working day (public service: :func:`~smartoffice.policies.collective_leave.works_on_collective_leave`);
4. ``CLOSED``: a closure of the site, building, floor, the desk's zone or the desk overlapping the window,
   buffer included (:func:`~smartoffice.bookings.checks.closure_overlaps`);
5. ``ASSIGNED``: assigned to someone else, who has not released it that day
   (:func:`~smartoffice.bookings.checks.is_assigned_to_other`); the owner sees their desk as bookable;
6. ``QUOTA_FULL``: a seat quota binding the viewer on this floor is full (``quotas.standing``).

Cost: layout-level facts (bookable, owner, zone, hours) come from the cached ``FloorLayout``; the floor-day's
facts (the booking rule, the calendar's overrides, closures, desk releases: :func:`load_floor_day_facts`) are
cached beside it, under the same version (a committed change to any of those tables bumps it); only the
viewer's quota standings are read per request (counts of bookings, which change all day), and on a cuti bersama
the building closes for, whether the viewer works on it (their policies). All of it is merged
with the Redis index's booked slots at read time rather than stored in the index: assignment and quotas depend
on who is asking, and closures and holidays change through other services than bookings.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.checks import (
    closure_overlaps,
    closure_scope,
    depends_on_person,
    holiday_closure,
    is_assigned_to_other,
)
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.rules import rules_for
from smartoffice.errors import DomainError, InvalidInput
from smartoffice.i18n import N_, Language, gettext
from smartoffice.places.layout import FloorLayout, SpaceLayout
from smartoffice.places.models import Closure, DeskRelease, Space, SpaceKind
from smartoffice.policies.collective_leave import works_on_collective_leave
from smartoffice.quotas.errors import QuotaRefusal
from smartoffice.quotas.models import SeatQuota
from smartoffice.quotas.standing import QuotaStanding, quota_standings
from smartoffice.workcalendar.service import load_calendar

MAX_BUFFER = timedelta(hours=24)
"""Closures are read for the local day plus this much (a rule's buffer extends what a booking blocks)."""


class UnavailableReason(StrEnum):
    NOT_BOOKABLE = "not_bookable"
    CLOSED_WEEKDAY = "closed_weekday"
    OUTSIDE_HOURS = "outside_hours"
    HOLIDAY = "holiday"
    CLOSED = "closed"
    ASSIGNED = "assigned"
    QUOTA_FULL = "quota_full"


ASSIGNED_LABEL = N_("Assigned to someone else")
"""What the floor says of a desk assigned to someone else (booking's own message is for someone who tried)."""


@dataclass(frozen=True, slots=True, eq=False)
class Unavailability:
    reason: UnavailableReason
    refusal: DomainError
    """The very error booking the desk would be refused with (its code, its message)."""

    def message_in(self, language: Language) -> str:
        if self.reason is UnavailableReason.ASSIGNED:  # booking's wording is for someone who tried; this is a label
            return gettext(language, ASSIGNED_LABEL)
        return self.refusal.message_in(language)

    @property
    def code(self) -> str:
        return self.refusal.code

    @property
    def detail(self) -> str | None:
        """The closure's reason or the holiday's name, when that is the reason."""
        value = self.refusal.params.get("reason") or self.refusal.params.get("name")
        return str(value) if value else None


@dataclass(frozen=True, slots=True)
class ClosureFact:
    site_id: int | None
    building_id: int | None
    floor_id: int | None
    zone_id: int | None
    space_id: int | None
    start_at: datetime
    end_at: datetime
    reason: str

    def covers(self, space: SpaceLayout) -> bool:
        """The closure is of the desk, its zone, or the whole floor, building or site (loaded for this floor)."""
        if self.space_id is not None:
            return self.space_id == space.id
        if self.zone_id is not None:
            return self.zone_id == space.zone_id
        return True


@dataclass(frozen=True, slots=True)
class FloorDayFacts:
    """What, besides the layout and the bookings, decides a floor-day's availability for everyone: read only from
    tables whose changes bump the layout version, so it is cached beside the layout (``places.layout``)."""

    day: LocalDay
    buffer: timedelta
    holiday: str | None
    """The holiday's name when the desk rule closes the building for it, else None."""
    closures: tuple[ClosureFact, ...]
    released: frozenset[int]
    """Assigned desks their owners released that day."""
    has_quotas: bool = False
    """Some seat quota covers the floor on that weekday (else nobody's standing need be read)."""
    holiday_depends_on_person: bool = False
    """The holiday is a cuti bersama: closed only for viewers who are off (see :func:`viewer_works_on_holiday`)."""


@dataclass(frozen=True, slots=True)
class DayFacts:
    """A floor-day's facts for one viewer."""

    floor: FloorDayFacts
    quotas: tuple[QuotaStanding, ...]
    viewer_id: int | None
    works_on_holiday: bool = False
    """The viewer works on the day's cuti bersama: the building is open for them."""

    @property
    def day(self) -> LocalDay:
        return self.floor.day


async def load_floor_day_facts(session: AsyncSession, layout: FloorLayout, day: LocalDay) -> FloorDayFacts:
    """The day's facts for ``layout``: the desk rule, the calendar (only when the rule closes on holidays), the
    closures touching the day and the desk releases (only when the floor has assigned desks); 2–4 queries."""
    building = layout.building
    rule = await rules_for(session, building.id, SpaceKind.DESK)
    holiday, personal = None, False
    if rule.closed_on_holidays:
        calendar = await load_calendar(session, day.day, day.day)
        holiday, personal = holiday_closure(rule, calendar, day.day), depends_on_person(rule, calendar, day.day)
    scope = closure_scope(
        building.site_id,
        building.id,
        layout.id,
        (z.id for z in layout.zones),
        select(Space.id).where(Space.floor_id == layout.id).scalar_subquery(),
    )
    rows = await session.execute(
        select(
            Closure.site_id,
            Closure.building_id,
            Closure.floor_id,
            Closure.zone_id,
            Closure.space_id,
            Closure.start_at,
            Closure.end_at,
            Closure.reason,
        )
        .where(scope, Closure.start_at < day.end_at + MAX_BUFFER, Closure.end_at > day.start_at)
        .order_by(Closure.start_at, Closure.id)
    )
    closures = tuple(ClosureFact(*row) for row in rows)
    released: frozenset[int] = frozenset()
    if layout.has_assigned_desks:
        released = frozenset(
            await session.scalars(
                select(DeskRelease.space_id)
                .join(Space, Space.id == DeskRelease.space_id)
                .where(Space.floor_id == layout.id, DeskRelease.day == day.day)
            )
        )
    zone_ids = [z.id for z in layout.zones]
    covering = or_(
        SeatQuota.building_id == building.id,
        SeatQuota.floor_id == layout.id,
        *([SeatQuota.zone_id.in_(zone_ids)] if zone_ids else []),
    )
    quota = await session.scalar(
        select(SeatQuota.id).where(covering, SeatQuota.weekday == day.day.isoweekday()).limit(1)
    )
    buffer = timedelta(minutes=rule.buffer_minutes)
    return FloorDayFacts(
        day, buffer, holiday, closures, released, has_quotas=quota is not None, holiday_depends_on_person=personal
    )


async def load_viewer_quotas(
    session: AsyncSession, layout: FloorLayout, day: LocalDay, viewer_id: int | None
) -> tuple[QuotaStanding, ...]:
    """The seat quotas binding ``viewer_id`` on the floor that day (none for an app without a person)."""
    if viewer_id is None:
        return ()
    return tuple(await quota_standings(session, viewer_id, layout.id, day))


async def viewer_works_on_holiday(session: AsyncSession, floor: FloorDayFacts, viewer_id: int | None) -> bool:
    """Whether the viewer works on the floor-day's cuti bersama (their policies are read only on such a day)."""
    if viewer_id is None or not floor.holiday_depends_on_person:
        return False
    return await works_on_collective_leave(session, viewer_id, floor.day.day)


@dataclass(frozen=True, slots=True)
class FloorTruth:
    """The unavailable desks of a floor in a window of a day, for one viewer."""

    start: time
    end: time
    """The window, local time (for a whole-day view, the building's hours that day)."""
    desks: Mapping[int, Unavailability]
    """By desk id; desks absent are available (subject to their bookings)."""
    whole_floor: Unavailability | None
    """Set when one reason closes every desk (closed weekday, holiday, a floor/building/site closure)."""
    quotas: tuple[QuotaStanding, ...]
    buffer: timedelta = timedelta(0)
    """The desk rule's changeover after a booking: a booking of the window blocks its desk this much longer."""

    def of(self, desk_id: int) -> Unavailability | None:
        return self.desks.get(desk_id)

    def slots(self, day: LocalDay) -> tuple[int, int]:
        """The slots whose bookings decide the window's status: those a booking of the window would block, to
        ``end`` + ``buffer`` (a booking just after the window, within the changeover, refuses it as one inside it
        does; the day's last slot bounds it)."""
        return day.slot_range(day.at(self.start), day.at(self.end) + self.buffer)


def whole_day_window(layout: FloorLayout, day: LocalDay) -> tuple[time, time]:
    """The window a whole-day desk booking covers: the building's hours that day (its usual hours when closed)."""
    hours = layout.building.hours_on(day.day)
    return hours if hours is not None else (layout.building.opens_at, layout.building.closes_at)


def floor_truth(layout: FloorLayout, facts: DayFacts, start: time, end: time) -> FloorTruth:
    """Decide every desk of ``layout`` for the window ``start``–``end`` of ``facts.day`` (see the module)."""
    building = layout.building
    day = facts.day
    hours = building.hours_on(day.day)
    common: Unavailability | None = None
    if hours is None:
        refusal = InvalidInput("date", BookingInputCode.CLOSED_THAT_WEEKDAY, building=building.name)
        common = Unavailability(UnavailableReason.CLOSED_WEEKDAY, refusal)
    elif start < hours[0] or end > hours[1]:
        opens, closes = hours
        refusal = InvalidInput(
            "startTime" if start < opens else "endTime",
            BookingInputCode.OUTSIDE_OPENING_HOURS,
            building=building.name,
            opens=f"{opens:%H:%M}",
            closes=f"{closes:%H:%M}",
        )
        common = Unavailability(UnavailableReason.OUTSIDE_HOURS, refusal)
    elif facts.floor.holiday and not (facts.floor.holiday_depends_on_person and facts.works_on_holiday):
        refusal = InvalidInput("date", BookingInputCode.CLOSED_HOLIDAY, name=facts.floor.holiday)
        common = Unavailability(UnavailableReason.HOLIDAY, refusal)
    start_at, blocks_until = day.at(start), day.at(end) + facts.floor.buffer
    closures = [c for c in facts.floor.closures if closure_overlaps(c.start_at, c.end_at, start_at, blocks_until)]
    if common is None:
        floor_wide = next((c for c in closures if c.zone_id is None and c.space_id is None), None)
        if floor_wide is not None:
            common = _closed(floor_wide)
    desks: dict[int, Unavailability] = {}
    if common is None and not closures and not facts.quotas and not layout.has_assigned_desks:
        # The usual day: nothing closes, binds or assigns a desk, so only unbookable desks have a reason (what
        # _desk_reason answers for each desk then, without asking it 150 times a read).
        for desk in layout.desks:
            if not desk.bookable:
                desks[desk.id] = _not_bookable(desk)
        return FloorTruth(start, end, desks, common, facts.quotas, facts.floor.buffer)
    shared: dict[object, Unavailability] = {}
    for desk in layout.desks:
        reason = _desk_reason(desk, facts, closures, common, shared)
        if reason is not None:
            desks[desk.id] = reason
    return FloorTruth(start, end, desks, common, facts.quotas, facts.floor.buffer)


def _desk_reason(
    desk: SpaceLayout,
    facts: DayFacts,
    closures: list[ClosureFact],
    common: Unavailability | None,
    shared: dict[object, Unavailability],
) -> Unavailability | None:
    """The first reason booking would give; one :class:`Unavailability` per closure, quota or assignment, shared
    by the desks it covers (``shared``): a closed zone of a hundred desks words its message once."""
    if not desk.bookable:
        return _not_bookable(desk)
    if common is not None:
        return common
    closure = next((c for c in closures if c.covers(desk)), None)
    if closure is not None:
        if closure not in shared:
            shared[closure] = _closed(closure)
        return shared[closure]
    if is_assigned_to_other(desk.assigned_employee_id, facts.viewer_id, desk.id in facts.floor.released):
        if UnavailableReason.ASSIGNED not in shared:
            refusal = InvalidInput("deskId", BookingInputCode.DESK_ASSIGNED)
            shared[UnavailableReason.ASSIGNED] = Unavailability(UnavailableReason.ASSIGNED, refusal)
        return shared[UnavailableReason.ASSIGNED]
    quota = next((q for q in facts.quotas if q.closes(desk.zone_id)), None)
    if quota is not None:
        if quota in shared:
            return shared[quota]
        quota_refusal = QuotaRefusal(
            quota_id=quota.quota_id,
            holder=quota.holder_name,
            place=quota.place_name,
            seats=quota.seats,
            day=facts.day.day,
            note=None,
        )
        shared[quota] = Unavailability(UnavailableReason.QUOTA_FULL, quota_refusal)
        return shared[quota]
    return None


def _not_bookable(desk: SpaceLayout) -> Unavailability:
    refusal = InvalidInput("spaceId", BookingInputCode.NOT_BOOKABLE, space=desk.name or desk.code)
    return Unavailability(UnavailableReason.NOT_BOOKABLE, refusal)


def _closed(closure: ClosureFact) -> Unavailability:
    return Unavailability(
        UnavailableReason.CLOSED, InvalidInput("date", BookingInputCode.CLOSED, reason=closure.reason)
    )
