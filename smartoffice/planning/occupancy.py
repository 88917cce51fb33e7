"""A building's desk occupancy per local day: the numbers facilities managers size a tower's seats from.

Days older than the retention period (``SMARTOFFICE_RETENTION_DAYS``) are read from ``occupancy_daily``, where the
retention job folded them with the same counts before deleting their bookings (:mod:`smartoffice.privacy.retention`).

One grouped query does the counting on either database. Bookings are bucketed into the building's local days by
comparing ``start_at`` with the days' UTC boundaries (a ``CASE`` over at most :data:`MAX_DAYS` + 1 instants), so
the same SQL is right in any IANA zone and on SQLite, which has no time zone functions. A desk booking lies within
one local day (desks are booked within opening hours), so its start names its day.

What counts, per day:

* **booked**: people holding a desk that day (booked, checked in, or released as a no-show: each took a seat out
  of the pool until released), pending and cancelled bookings not;
* **checked in**: people who checked in (what was used);
* **no-shows**: bookings released because nobody checked in;
* **utilisation**: booked ÷ desks in the building.

The summary covers working days only (weekends and holidays would drag the average down): the peak, the mean and
the 85th percentile of people booked. The 85th percentile is the usual sizing figure for shared desks (a
building sized to it is full on roughly one working day in seven); we report it rather than recommend a number.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, CommonPermissionCode, InvalidInput, PermissionDenied
from smartoffice.people.roles import is_facilities_manager
from smartoffice.places import service as places
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.privacy.models import OccupancyDaily, RetentionFold
from smartoffice.workcalendar.service import load_calendar

MAX_DAYS = 92
"""A quarter: the longest range one report covers."""

SEATED = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.RELEASED)


@dataclass(frozen=True, slots=True)
class OccupancyDay:
    day: date
    is_working_day: bool
    closed_because: str | None
    booked: int
    checked_in: int
    no_shows: int
    desks: int

    @property
    def utilisation(self) -> float:
        return self.booked / self.desks if self.desks else 0.0


@dataclass(frozen=True, slots=True)
class OccupancyReport:
    building: Building
    first: date
    last: date
    desks: int
    days: list[OccupancyDay]

    @property
    def working_days(self) -> list[OccupancyDay]:
        return [d for d in self.days if d.is_working_day]

    @property
    def peak_booked(self) -> int:
        return max((d.booked for d in self.working_days), default=0)

    @property
    def mean_booked(self) -> float:
        days = self.working_days
        return sum(d.booked for d in days) / len(days) if days else 0.0

    @property
    def percentile_85_booked(self) -> int:
        """Nearest-rank 85th percentile of people booked on working days."""
        booked = sorted(d.booked for d in self.working_days)
        return booked[math.ceil(0.85 * len(booked)) - 1] if booked else 0


async def building_occupancy(
    session: AsyncSession, viewer_id: int, building_id: int, first: date, last: date
) -> OccupancyReport:
    """Raises NotFound (no such building), PermissionDenied (not its site's facilities manager or an admin) or
    InvalidInput (a reversed range, or one longer than :data:`MAX_DAYS`)."""
    if last < first:
        raise InvalidInput("to", CommonInputCode.RANGE_REVERSED)
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput("to", CommonInputCode.RANGE_TOO_LONG, max_days=MAX_DAYS)
    building = await places.get_building(session, building_id)
    if not await is_facilities_manager(session, viewer_id, building.site_id):
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)
    in_building = (
        select(Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .where(Floor.building_id == building.id, Space.kind == SpaceKind.DESK)
    )
    desks = await session.scalar(select(func.count()).select_from(in_building.subquery())) or 0
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    bounds = [LocalDay(d, building.time_zone).start_at for d in days] + [LocalDay(last, building.time_zone).end_at]
    bucket = case(*((Booking.start_at < bounds[i + 1], i) for i in range(len(days))), else_=len(days)).label("d")
    seated = Booking.status.in_(SEATED)
    rows = await session.execute(
        select(
            bucket,
            func.count(func.distinct(case((seated, Booking.employee_id)))),
            func.count(func.distinct(case((Booking.status == BookingStatus.CHECKED_IN, Booking.employee_id)))),
            func.count(case((Booking.status == BookingStatus.RELEASED, Booking.id))),
        )
        .where(
            Booking.space_id.in_(in_building),
            Booking.space_kind == SpaceKind.DESK,
            Booking.start_at >= bounds[0],
            Booking.start_at < bounds[-1],
        )
        .group_by(bucket)
    )
    counts = {index: (booked, checked_in, no_shows) for index, booked, checked_in, no_shows in rows}
    counts.update(await _folded_counts(session, building.id, first, last))
    calendar = await load_calendar(session, first, last)
    return OccupancyReport(
        building=building,
        first=first,
        last=last,
        desks=desks,
        days=[
            OccupancyDay(
                day=d,
                is_working_day=calendar.is_working_day(d),
                closed_because=calendar.closure_reason(d),
                booked=counts.get(i, (0, 0, 0))[0],
                checked_in=counts.get(i, (0, 0, 0))[1],
                no_shows=counts.get(i, (0, 0, 0))[2],
                desks=desks,
            )
            for i, d in enumerate(days)
        ],
    )


async def _folded_counts(
    session: AsyncSession, building_id: int, first: date, last: date
) -> dict[int, tuple[int, int, int]]:
    """The counts of days whose bookings the retention job folded (and may have deleted), by day index: those
    days answer from ``occupancy_daily``, counted as above, so an old report reads the same before and after."""
    watermark = await session.scalar(select(func.max(RetentionFold.day)))
    if watermark is None or watermark < first:
        return {}
    through = min(last, watermark)
    folded = {i: (0, 0, 0) for i in range((through - first).days + 1)}  # a folded day with no row had no bookings
    rows = await session.execute(
        select(
            OccupancyDaily.day, OccupancyDaily.desk_booked, OccupancyDaily.desk_checked_in, OccupancyDaily.desk_no_shows
        ).where(OccupancyDaily.building_id == building_id, OccupancyDaily.day.between(first, through))
    )
    for day, booked, checked_in, no_shows in rows:
        folded[(day - first).days] = (booked, checked_in, no_shows)
    return folded


class OccupancyService:
    """Occupancy reports for facilities managers: each method owns its (read) transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def building_occupancy(self, actor_id: int, building_id: int, first: date, last: date) -> OccupancyReport:
        """See :func:`building_occupancy`."""
        async with self.db.read() as session:
            return await building_occupancy(session, actor_id, building_id, first, last)
