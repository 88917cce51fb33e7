"""Finding a free desk across floors and buildings (issue 13, item 3): the pages' ``/find-desk`` and GraphQL's
``findDesks``. The ranking is :mod:`smartoffice.bookings.nearby`'s; this service checks the request, owns the
read transaction and lists what a search form offers (buildings, floors, the amenities desks have)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.bookings.nearby import DeskChoice, free_desks
from smartoffice.db import Database, is_storable_id, utcnow
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.places.editing_fields import KNOWN_AMENITIES
from smartoffice.places.errors import PlaceInputCode
from smartoffice.places.models import Building, Floor, Space, SpaceKind

MAX_RESULTS = 100
"""The most choices one search answers (``first``)."""
MAX_DAYS_AHEAD = 366
"""How far ahead a search may look; bookings themselves open as far as each building's rule says."""
MAX_FILTER_IDS = 100
"""The most buildings or floors one search names."""


@dataclass(frozen=True, slots=True)
class DeskSearch:
    """What someone looks for. ``None`` building or floor ids: anywhere; an empty list: nowhere."""

    day: date
    building_ids: Sequence[int] | None = None
    floor_ids: Sequence[int] | None = None
    amenities: Sequence[str] = ()
    near_team: bool = True
    limit: int = 20


@dataclass(frozen=True, slots=True)
class FloorOption:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class BuildingOption:
    id: int
    name: str
    floors: list[FloorOption] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """What a search form offers: live buildings with their live floors, and the amenities live desks have."""

    buildings: list[BuildingOption]
    amenities: list[str]


@dataclass(frozen=True, slots=True)
class HeldDesk:
    """A desk the person already holds on the day searched (one desk per person at a time)."""

    space_id: int
    code: str
    floor_id: int


class DeskSearchService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def find(self, employee_id: int, search: DeskSearch) -> list[DeskChoice]:
        """Free desks for ``search``, ranked (see :func:`smartoffice.bookings.nearby.desks_near_team`). Raises
        InvalidInput for a day in the past or too far ahead, a ``limit`` out of range, too many ids or an amenity
        SmartOffice does not know; ids of places that do not exist simply match nothing."""
        self._check(search)
        async with self.db.read() as session:
            return await free_desks(
                session,
                employee_id,
                search.day,
                building_ids=_storable(search.building_ids),
                floor_ids=_storable(search.floor_ids),
                amenities=tuple(dict.fromkeys(search.amenities)),
                limit=search.limit,
                near_team=search.near_team,
            )

    def _check(self, search: DeskSearch) -> None:
        if not 1 <= search.limit <= MAX_RESULTS:
            raise InvalidInput("first", CommonInputCode.OUT_OF_RANGE, low=1, high=MAX_RESULTS)
        # A day is over everywhere once it is over at UTC-12; the most lenient "today" keeps no zone out.
        earliest_today = (self.clock() - timedelta(hours=12)).date()
        if search.day < earliest_today:
            raise InvalidInput("date", CommonInputCode.PAST_DAY)
        if search.day > earliest_today + timedelta(days=MAX_DAYS_AHEAD):
            raise InvalidInput("date", BookingInputCode.TOO_FAR_AHEAD, days=MAX_DAYS_AHEAD)
        for name, ids in (("buildingIds", search.building_ids), ("floorIds", search.floor_ids)):
            if ids is not None and len(ids) > MAX_FILTER_IDS:
                raise InvalidInput(name, CommonInputCode.OUT_OF_RANGE, low=0, high=MAX_FILTER_IDS)
        for amenity in search.amenities:
            if amenity not in KNOWN_AMENITIES:
                raise InvalidInput("amenities", PlaceInputCode.PLACE_AMENITY_UNKNOWN, value=amenity)

    async def held_desk(self, employee_id: int, day: date) -> HeldDesk | None:
        """The first desk the person holds at some time of ``day`` (its building's local day), or None."""
        since = datetime.combine(day - timedelta(days=1), time(), UTC)
        until = datetime.combine(day + timedelta(days=2), time(), UTC)
        async with self.db.read() as session:
            rows = await session.execute(
                select(Space.id, Space.code, Space.floor_id, Booking.start_at, Booking.end_at, Building.time_zone)
                .join(Booking, Booking.space_id == Space.id)
                .join(Floor, Space.floor_id == Floor.id)
                .join(Building, Floor.building_id == Building.id)
                .where(
                    Booking.employee_id == employee_id,
                    Booking.space_kind == SpaceKind.DESK,
                    Booking.status.in_(ACTIVE_STATUSES),
                    overlapping(since, until, until=Booking.end_at),
                )
                .order_by(Booking.start_at)
            )
            for r in rows:
                zone = ZoneInfo(r.time_zone)
                first = r.start_at.astimezone(zone).date()
                last = (r.end_at - timedelta(microseconds=1)).astimezone(zone).date()
                if first <= day <= last:
                    return HeldDesk(r.id, r.code, r.floor_id)
        return None

    async def options(self) -> SearchOptions:
        """Live buildings (by name) with their live floors (by level), and the amenities of live bookable desks."""
        async with self.db.read() as session:
            rows = await session.execute(
                select(Building.id, Building.name, Floor.id.label("floor_id"), Floor.name.label("floor_name"))
                .outerjoin(Floor, (Floor.building_id == Building.id) & Floor.retired_at.is_(None))
                .where(Building.retired_at.is_(None))
                .order_by(Building.name, Building.id, Floor.level)
            )
            buildings: dict[int, BuildingOption] = {}
            for r in rows:
                building = buildings.setdefault(r.id, BuildingOption(r.id, r.name))
                if r.floor_id is not None:
                    building.floors.append(FloorOption(r.floor_id, r.floor_name))
            kits = await session.scalars(
                select(Space.amenities).where(
                    Space.kind == SpaceKind.DESK, Space.bookable.is_(True), Space.retired_at.is_(None)
                )
            )
            present = {a for kit in kits for a in kit or () if a in KNOWN_AMENITIES}
        return SearchOptions(list(buildings.values()), sorted(present))


def _storable(ids: Sequence[int] | None) -> list[int] | None:
    """Ids no row can have match nothing (and never reach the database, where they would overflow)."""
    return None if ids is None else [i for i in dict.fromkeys(ids) if is_storable_id(i)]
