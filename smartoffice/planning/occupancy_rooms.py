"""Meeting rooms in an occupancy report: how many of their bookable hours were booked, and how full the meetings
were against each room's capacity.

* **Meetings**: room bookings that held the room (booked, checked in, or released: the same statuses that take a
  desk), on working days. Pending, rejected and cancelled ones do not count.
* **Hours booked**: their ``end_at - start_at`` summed (a room checked out early was shortened to what it used).
* **Bookable hours**: per working day, the room's own bookable hours for that weekday (``Space.bookable_hours``),
  else its building's opening hours that day, from the local opening to the local closing instant (so a DST day
  is right); summed over the working days of the range. Utilisation is hours booked ÷ bookable hours.
* **Meeting size**: attendees ÷ the room's capacity, over the meetings that gave an attendee count, per room (the
  mean) and in the buckets of :data:`~smartoffice.planning.occupancy_report.MEETING_SIZE_BOUNDS`.

Days the retention job folded are left out of both hours booked and bookable hours: its aggregates keep a
building's room minutes, not each room's. One grouped query for the meetings, one for the rooms.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking
from smartoffice.places.models import Building, Floor, Space, SpaceKind, hours_on
from smartoffice.planning.occupancy_counts import SEATED, day_bucket, report_days, seconds_between
from smartoffice.planning.occupancy_report import (
    MEETING_SIZE_BOUNDS,
    RoomReport,
    RoomUse,
    SizeBucket,
)
from smartoffice.planning.occupancy_scope import ResolvedScope


@dataclass(slots=True)
class _Meetings:
    meetings: int = 0
    seconds: float = 0.0
    sized: int = 0
    size_sum: float = 0.0
    buckets: list[int] = field(default_factory=lambda: [0] * len(MEETING_SIZE_BOUNDS))


async def room_report(
    session: AsyncSession, scope: ResolvedScope, first: date, last: date, counted_working_days: set[int]
) -> RoomReport:
    """The rooms of the scope over the days whose indexes are in ``counted_working_days``."""
    days = report_days(first, last)
    rooms = (
        await session.execute(
            select(Space, Floor.name, Building)
            .join(Floor, Space.floor_id == Floor.id)
            .join(Building, Floor.building_id == Building.id)
            .where(scope.space_filter(), Space.kind == SpaceKind.ROOM)
            .order_by(Building.code, Floor.level, Space.code)
        )
    ).all()
    if not rooms:
        return RoomReport([], 0.0, 0.0, _buckets([0] * len(MEETING_SIZE_BOUNDS)), None)
    meetings = await _meetings(session, scope, days, counted_working_days)
    uses: list[RoomUse] = []
    for room, floor_name, building in rooms:
        used = meetings.get(room.id, _Meetings())
        if room.retired_at is not None and not used.meetings:
            continue
        bookable = sum(_bookable_seconds(room, building, days[i]) for i in counted_working_days)
        uses.append(
            RoomUse(
                room_id=room.id,
                code=room.code,
                name=room.name,
                floor_name=floor_name,
                building_name=building.name,
                capacity=room.capacity,
                meetings=used.meetings,
                hours_booked=round(used.seconds) / 3600,
                bookable_hours=bookable / 3600,
                sized_meetings=used.sized,
                mean_size_ratio=used.size_sum / used.sized if used.sized else None,
                size_buckets=_buckets(used.buckets),
            )
        )
    all_buckets = [sum(m.buckets[i] for m in meetings.values()) for i in range(len(MEETING_SIZE_BOUNDS))]
    sized = sum(m.sized for m in meetings.values())
    return RoomReport(
        rooms=uses,
        hours_booked=sum(u.hours_booked for u in uses),
        bookable_hours=sum(u.bookable_hours for u in uses),
        size_buckets=_buckets(all_buckets),
        mean_size_ratio=sum(m.size_sum for m in meetings.values()) / sized if sized else None,
    )


async def _meetings(
    session: AsyncSession, scope: ResolvedScope, days: list[date], counted: set[int]
) -> dict[int, _Meetings]:
    bucket, low, high = day_bucket(scope, days)
    # The status is tested in the aggregates, not the WHERE clause: there SQLite would pick the (status, start_at)
    # index and read every building's meetings instead of the scope's rooms' (space_id, start_at) ranges.
    seated = Booking.status.in_(SEATED)
    attendees, capacity = case((seated, Booking.attendee_count)), Space.capacity
    # attendees ÷ capacity in (low, high] compared in integers: attendees × 4 <= capacity × (high × 4)
    size_columns = [
        func.count(case((attendees * 4 <= capacity * int(high_bound * 4), Booking.id)))
        for _, high_bound in MEETING_SIZE_BOUNDS
        if high_bound is not None
    ]
    seconds = seconds_between(Booking.start_at, Booking.end_at, session.get_bind().dialect.name)
    query = (
        select(
            Booking.space_id,
            bucket,
            func.count(case((seated, Booking.id))),
            func.sum(case((seated, seconds))),
            func.count(attendees),
            func.sum(attendees * 1.0 / capacity),
            *size_columns,
        )
        .select_from(Booking)
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .where(
            scope.space_filter(),
            Space.kind == SpaceKind.ROOM,
            Booking.space_kind == SpaceKind.ROOM,
            Booking.start_at >= low,
            Booking.start_at < high,
        )
        .group_by(Booking.space_id, bucket)
    )
    found: dict[int, _Meetings] = defaultdict(_Meetings)
    for room, index, n, seconds, sized, size_sum, *at_most in await session.execute(query):
        if index not in counted:
            continue
        used = found[room]
        used.meetings += n
        used.seconds += float(seconds or 0)
        used.sized += sized
        used.size_sum += float(size_sum or 0)
        # cumulative "at most" counts → per bucket; the last bucket (over capacity) is the rest of the sized ones
        previous = 0
        for i, cumulative in enumerate([*at_most, sized]):
            used.buckets[i] += cumulative - previous
            previous = cumulative
    return found


def _bookable_seconds(room: Space, building: Building, day: date) -> float:
    hours: tuple[time, time] | None
    if room.bookable_hours is not None:
        window = room.bookable_hours.get(str(day.isoweekday()))
        hours = (time.fromisoformat(window[0]), time.fromisoformat(window[1])) if window else None
    else:
        hours = hours_on(building.opens_at, building.closes_at, building.opening_hours, day)
    if hours is None:
        return 0.0
    local = LocalDay(day, building.time_zone)
    return (local.at(hours[1]) - local.at(hours[0])).total_seconds()


def _buckets(counts: list[int]) -> list[SizeBucket]:
    return [SizeBucket(low, high, n) for (low, high), n in zip(MEETING_SIZE_BOUNDS, counts, strict=True)]
