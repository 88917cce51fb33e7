"""GraphQL types for places. Written apart from the ORM models: the public schema is not the table layout."""

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from enum import Enum
from typing import Annotated, Self, TypeVar, cast

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.errors import ValidationError
from smartoffice.availability import service as availability
from smartoffice.availability.slots import LocalDay
from smartoffice.availability.unavailable import FloorTruth, whole_day_window
from smartoffice.availability.unavailable import Unavailability as UnavailabilityValue
from smartoffice.availability.unavailable import UnavailableReason as UnavailableReasonValue
from smartoffice.bookings.api.occupancy import SpaceBooking
from smartoffice.bookings.occupants import FloorWindow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.identity.scopes import Scope
from smartoffice.people.api.types import Employee, OrgUnit
from smartoffice.places import models
from smartoffice.places.layout import BuildingLayout, FloorLayout, SpaceLayout

T = TypeVar("T")


async def _none() -> None:
    return None


@strawberry.type(description="A campus such as KIPP Nusantara: a group of buildings.")
class Site(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str

    @classmethod
    def from_model(cls, site: models.Site) -> Self:
        return cls(id=site.id, code=site.code, name=site.name)

    @strawberry.field(description="The site's buildings, by code.")
    async def buildings(self, info: Info) -> list["Building"]:
        rows = await info.context.loaders.places.buildings_by_site_id.load(self.id)
        return [Building.from_model(b) for b in rows]


@strawberry.type(description="A tower or office building, with its time zone and opening hours.")
class Building(relay.Node):
    id: relay.NodeID[int]
    site_id: strawberry.Private[int]
    code: str
    name: str
    time_zone: str = strawberry.field(description="IANA time zone; IKN is Asia/Makassar (WITA, UTC+8).")
    opens_at: dt.time = strawberry.field(description="Local opening time; whole-day desk bookings start here.")
    closes_at: dt.time = strawberry.field(description="Local closing time; whole-day desk bookings end here.")
    hours: strawberry.Private[models.OpeningHours | None] = None
    """The row's per-weekday hours (``None``: ``opensAt``–``closesAt`` every day), read with the row."""

    @classmethod
    def from_model(cls, b: models.Building | BuildingLayout) -> Self:
        return cls(
            id=b.id,
            site_id=b.site_id,
            code=b.code,
            name=b.name,
            time_zone=b.time_zone,
            opens_at=b.opens_at,
            closes_at=b.closes_at,
            hours=b.opening_hours,
        )

    @strawberry.field(description="The building's floors, lowest first.")
    async def floors(self, info: Info) -> list["Floor"]:
        layouts = info.context.runtime.layouts
        ids = await layouts.building_floor_ids(self.id)
        found = await layouts.find_many(ids)
        if len(found) == len(ids):  # from the cached layouts, which also answer the floors' own fields
            return [Floor.from_layout(found[i]) for i in ids]
        # a retired building: its floors have no layout
        rows = await info.context.loaders.places.floors_by_building_id.load(self.id)
        return [Floor.from_model(f) for f in rows]

    @strawberry.field(
        description="Local opening hours per weekday, Monday first; a weekday missing is closed. `opensAt` and "
        "`closesAt` are the widest hours of the week."
    )
    def opening_hours(self) -> list["WeekdayHours"]:
        if self.hours is None:
            return [WeekdayHours(weekday=d, opens=self.opens_at, closes=self.closes_at) for d in range(1, 8)]
        return WeekdayHours.all_of(self.hours)


@strawberry.enum(description="Equipment and qualities of a desk or room.")
class Amenity(Enum):
    MONITOR = "monitor"
    DOCKING = "docking"
    STANDING = "standing"
    ACCESSIBLE = "accessible"
    QUIET = "quiet"
    VIDEO_CONFERENCE = "video_conference"
    WHITEBOARD = "whiteboard"


def _amenities(space: models.Space | SpaceLayout) -> list[Amenity]:
    known = {a.value for a in Amenity}
    return [Amenity(a) for a in space.amenities if a in known]


@strawberry.enum(description="How much of the asked-for time a space is booked.")
class SpaceStatus(Enum):
    FREE = strawberry.enum_value(availability.SpaceStatus.FREE.value, description="Free for the whole window.")
    PARTIALLY_BOOKED = strawberry.enum_value(
        availability.SpaceStatus.PARTIALLY_BOOKED.value, description="Booked for part of the window."
    )
    BOOKED = strawberry.enum_value(availability.SpaceStatus.BOOKED.value, description="Booked for the whole window.")
    UNAVAILABLE = strawberry.enum_value(
        availability.SpaceStatus.UNAVAILABLE.value,
        description="You cannot book it in this window whatever its bookings: see `DeskAvailability.unavailable`.",
    )


@strawberry.enum(description="Why a desk cannot be booked: the rule `bookDesk` would refuse it by.")
class UnavailableReason(Enum):
    NOT_BOOKABLE = strawberry.enum_value(
        UnavailableReasonValue.NOT_BOOKABLE.value, description="The desk is not bookable (`NOT_BOOKABLE`)."
    )
    CLOSED_WEEKDAY = strawberry.enum_value(
        UnavailableReasonValue.CLOSED_WEEKDAY.value,
        description="The building is closed on that day of the week (`CLOSED_THAT_WEEKDAY`).",
    )
    OUTSIDE_HOURS = strawberry.enum_value(
        UnavailableReasonValue.OUTSIDE_HOURS.value,
        description="The window is outside the building's hours that day (`OUTSIDE_OPENING_HOURS`).",
    )
    HOLIDAY = strawberry.enum_value(
        UnavailableReasonValue.HOLIDAY.value,
        description="A public holiday or cuti bersama the building closes for (`CLOSED_HOLIDAY`).",
    )
    CLOSED = strawberry.enum_value(
        UnavailableReasonValue.CLOSED.value,
        description="A closure of the site, building, floor, zone or desk overlaps the window (`CLOSED`).",
    )
    ASSIGNED = strawberry.enum_value(
        UnavailableReasonValue.ASSIGNED.value,
        description="Assigned to someone else, who has not released it that day (`DESK_ASSIGNED`).",
    )
    QUOTA_FULL = strawberry.enum_value(
        UnavailableReasonValue.QUOTA_FULL.value,
        description="A seat quota that binds you on this floor is full that day (`QUOTA_FULL`).",
    )


@strawberry.type(description="Why a desk cannot be booked in the asked-for window.")
class Unavailability:
    reason: UnavailableReason
    message: str = strawberry.field(
        description="The reason in the request's language, e.g. 'Closed at that time: Renovasi lantai 3'."
    )
    detail: str | None = strawberry.field(
        description="The closure's reason or the holiday's name, when that is the reason."
    )

    @classmethod
    def of(cls, value: UnavailabilityValue, info: Info) -> Self:
        return cls(
            reason=UnavailableReason(value.reason.value),
            message=value.message_in(info.context.language),
            detail=value.detail,
        )


@strawberry.type(description="A desk the packed availability marks `U`, and why.")
class PackedUnavailability:
    index: int = strawberry.field(description="The desk's position in `statuses` and `deskIds`.")
    reason: UnavailableReason
    message: str = strawberry.field(description="The reason in the request's language.")


@strawberry.type(
    description="A seat quota binding you on this floor that day: how many desks your organisation or unit may "
    "still book here."
)
class QuotaStanding:
    holder_name: str = strawberry.field(description="The organisation or unit holding the quota.")
    place_name: str = strawberry.field(description="The building, floor or zone the quota covers.")
    seats: int = strawberry.field(description="The seats the quota gives on that weekday.")
    booked: int = strawberry.field(description="The holder's people with a desk booked there that day.")
    remaining: int = strawberry.field(description="The seats still free under the quota that day.")
    includes_you: bool = strawberry.field(description="You already hold a desk there that day.")


def _quotas(truth: FloorTruth) -> list[QuotaStanding]:
    return [
        QuotaStanding(
            holder_name=q.holder_name,
            place_name=q.place_name,
            seats=q.seats,
            booked=q.booked,
            remaining=q.remaining,
            includes_you=q.includes_you,
        )
        for q in truth.quotas
    ]


@strawberry.enum(description="Where an availability answer came from.")
class AvailabilitySource(Enum):
    INDEX = strawberry.enum_value(availability.Source.INDEX.value, description="The Redis availability index.")
    DATABASE = strawberry.enum_value(
        availability.Source.DATABASE.value,
        description="SQL, because the index did not hold this floor-day (it does now) or Redis was unreachable.",
    )


@strawberry.type(description="A desk and its status in the asked-for window.")
class DeskAvailability:
    desk: "Desk"
    status: SpaceStatus
    unavailable: Unavailability | None = strawberry.field(
        description="Why you cannot book the desk in the window (status `UNAVAILABLE`); null when you can."
    )
    window: strawberry.Private[FloorWindow]

    @strawberry.field(
        description="The desk's active bookings overlapping the window, earliest first, each with its occupant as "
        "far as you may know who it is (see `Occupant`). One query for the whole floor, however many desks."
    )
    async def bookings(self, info: Info) -> list[SpaceBooking]:
        rows = await info.context.loaders.bookings.bookings_by_floor_window.load(self.window)
        return [SpaceBooking.from_row(r) for r in rows if r.space_id == self.desk.id]


@strawberry.type(description="Which desks of a floor are free on a local date, within a window of local time.")
class FloorAvailability:
    date: dt.date
    start_time: dt.time = strawberry.field(description="Start of the window, local time.")
    end_time: dt.time = strawberry.field(description="End of the window, local time (exclusive).")
    source: AvailabilitySource
    desks: list[DeskAvailability]
    closed: Unavailability | None = strawberry.field(
        description="Set when one reason makes every desk of the floor unavailable (a holiday, a closure of the "
        "floor or building, a closed weekday)."
    )
    quotas: list[QuotaStanding] = strawberry.field(
        description="The seat quotas binding you on this floor that day (empty for apps and when none binds)."
    )


@strawberry.type(
    description="A floor's desk availability as one string: the compact shape for integrators that show or poll "
    "whole floors. `statuses[i]` is the status of desk `deskIds[i]`; the order is that of `Floor.desks` (by code) "
    "and is identified by `deskOrder`: fetch the floor plan once, keep its `deskOrder`, then ask only for "
    "`deskOrder statuses` and refetch the plan when `deskOrder` changes."
)
class PackedFloorAvailability:
    date: dt.date
    start_time: dt.time = strawberry.field(description="Start of the window, local time.")
    end_time: dt.time = strawberry.field(description="End of the window, local time (exclusive).")
    source: AvailabilitySource
    desk_order: str = strawberry.field(
        description="Identifies the desk order `statuses` follows (a digest of the desk ids); equal to "
        "`Floor.deskOrder` while the floor's desks are unchanged."
    )
    statuses: str = strawberry.field(
        description="One letter per desk: `F` free for the whole window, `P` partially booked, `B` booked for "
        "the whole window, `U` unavailable to you whatever its bookings (closed, a holiday, assigned to someone "
        "else, a full quota: see `unavailable`)."
    )
    unavailable: list[PackedUnavailability] = strawberry.field(
        description="Why each `U` desk is unavailable, by its index in `statuses`."
    )
    closed: Unavailability | None = strawberry.field(
        description="Set when one reason makes every desk of the floor unavailable (a holiday, a closure of the "
        "floor or building, a closed weekday)."
    )
    desk_ids: list[strawberry.ID] = strawberry.field(
        description="The desks' ids in the order of `statuses` (omit it once you hold the floor's desk list)."
    )


@strawberry.type(description="One storey of a building, with its plan size in metres.")
class Floor(relay.Node):
    id: relay.NodeID[int]
    building_id: strawberry.Private[int]
    level: int
    name: str
    width: float = strawberry.field(description="Plan width in metres.")
    height: float = strawberry.field(description="Plan height in metres.")
    layout: strawberry.Private[FloorLayout | None] = None
    """Set when the floor was read through the layout cache: its fields then need no further query."""
    finding: strawberry.Private["asyncio.Task[FloorLayout | None] | None"] = None
    """The layout lookup in flight: the floor's fields resolve at once, and share one lookup (one layout version
    read from Redis per floor, not one per field)."""

    @classmethod
    def from_model(cls, f: models.Floor) -> Self:
        return cls(id=f.id, building_id=f.building_id, level=f.level, name=f.name, width=f.width, height=f.height)

    @classmethod
    def from_layout(cls, f: FloorLayout) -> Self:
        return cls(
            id=f.id, building_id=f.building_id, level=f.level, name=f.name, width=f.width, height=f.height, layout=f
        )

    async def _find_layout(self, info: Info) -> FloorLayout | None:
        """The floor's layout; ``None`` for a retired floor (it has none)."""
        if self.layout is None:
            if self.finding is None:
                self.finding = asyncio.ensure_future(info.context.runtime.layouts.find(self.id))
            self.layout = await self.finding
        return self.layout

    async def _layout(self, info: Info) -> FloorLayout:
        layout = await self._find_layout(info)
        if layout is None:
            raise NotFound("Floor", self.id)
        return layout

    @strawberry.field
    async def building(self, info: Info) -> Building:
        if self.layout is not None:
            return Building.from_model(self.layout.building)
        b = await info.context.loaders.places.building_by_id.load(self.building_id)
        return Building.from_model(b)

    @strawberry.field(description="The floor's desks, by code.")
    async def desks(self, info: Info) -> list["Desk"]:
        if self.layout is not None:
            return [Desk.from_model(s) for s in self.layout.desks]
        spaces = await info.context.loaders.places.spaces_by_floor_id.load(self.id)
        return [Desk.from_model(s) for s in spaces if s.kind == models.SpaceKind.DESK]

    @strawberry.field(description="The floor's zones (neighbourhoods), by code.")
    async def zones(self, info: Info) -> list["Zone"]:
        rows = await info.context.loaders.places.zones_by_floor_id.load(self.id)
        return [Zone.from_model(z) for z in rows]

    @strawberry.field(description="The floor's meeting rooms, by code.")
    async def rooms(self, info: Info) -> list["MeetingRoom"]:
        spaces: Sequence[models.Space | SpaceLayout]
        if self.layout is not None:
            spaces = self.layout.spaces
        else:
            spaces = await info.context.loaders.places.spaces_by_floor_id.load(self.id)
        return [MeetingRoom.from_model(s) for s in spaces if s.kind == models.SpaceKind.ROOM]

    def _from_layout(self, info: Info, read: Callable[[FloorLayout], T], without: Callable[[], Awaitable[T]]) -> T:
        """``read(layout)`` at once when the floor came with its layout (a building's floors do): a plain value, so
        graphql-core schedules no coroutine for the field (~40 µs each). Else an awaitable that looks the layout up
        (``without()`` for a retired floor, which has none); graphql-core awaits what a resolver returns."""
        if self.layout is not None:
            return read(self.layout)

        async def looked_up() -> T:
            layout = await self._find_layout(info)
            return read(layout) if layout is not None else await without()

        return cast(T, looked_up())

    async def _not_found(self) -> str:
        raise NotFound("Floor", self.id)

    @strawberry.field(
        description="Identifies the order of the floor's desks (a digest of their ids): the order of "
        "`availabilityPacked.statuses`. It changes only when desks are added, removed or recoded."
    )
    def desk_order(self, info: Info) -> str:
        return self._from_layout(info, lambda layout: layout.desk_order, self._not_found)

    @strawberry.field(
        description="The floor's plan image (SVG or PNG), drawn with its top-left at (0, 0) and its bottom-right at "
        "(width, height) metres; null when the floor has none. The URL changes whenever the image does."
    )
    def plan_image_url(self, info: Info) -> str | None:
        # The cached layout carries the plan's digest: no query (a retired floor has no layout, and no plan shown).
        return self._from_layout(info, lambda layout: layout.plan_url, _none)

    @strawberry.field(
        description="A digest of the floor's size and its spaces' codes and geometry: pass it to `placeSpaces` "
        "as `expectedVersion`, so that a save made after someone else's is refused instead of undoing it."
    )
    def plan_version(self, info: Info) -> str:
        # The cached layout carries it (loaded with the floor's spaces, current as the layout version says); a
        # retired floor has no layout. A save checks the version again under its lock, so a layout read just
        # before another save's version bump can only make a save be refused, never overwrite one.
        return self._from_layout(
            info, lambda layout: layout.plan_version, lambda: info.context.runtime.plan_editor.version(self.id)
        )

    @strawberry.field(
        description="Desk availability on a local date. The window defaults to the building's opening hours. "
        "With `amenities`, only desks that have all of them are listed."
    )
    async def availability(
        self,
        info: Info,
        date: dt.date,
        start_time: dt.time | None = None,
        end_time: dt.time | None = None,
        amenities: list[Amenity] | None = None,
    ) -> Annotated[FloorAvailability | ValidationError, strawberry.union("FloorAvailabilityResult")]:
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)
        layout = await self._layout(info)
        building = layout.building
        wanted = {a.value for a in amenities or []}
        desks = [s for s in layout.desks if wanted <= set(s.amenities)] if wanted else layout.desks
        local_day = LocalDay(date, building.time_zone)
        start, end = _window(layout, local_day, start_time, end_time)
        service = info.context.runtime.availability
        occupancy = await service.floor_day(self.id, building.time_zone, date)
        truth = await service.truth(
            layout, date, info.context.viewer_id, start, end, layouts=info.context.runtime.layouts
        )
        window = truth.slots(local_day)
        floor_window = FloorWindow(self.id, local_day.at(start), local_day.at(end))
        return FloorAvailability(
            date=date,
            start_time=start,
            end_time=end,
            source=AvailabilitySource(occupancy.source.value),
            desks=[_desk_availability(s, occupancy.status(s.id, window), truth, floor_window, info) for s in desks],
            closed=Unavailability.of(truth.whole_floor, info) if truth.whole_floor else None,
            quotas=_quotas(truth),
        )

    @strawberry.field(
        description="Every desk's availability on a local date as one packed string (see "
        "`PackedFloorAvailability`): the cheap way to read or poll a whole floor. The window defaults to the "
        "building's opening hours."
    )
    async def availability_packed(
        self,
        info: Info,
        date: dt.date,
        start_time: dt.time | None = None,
        end_time: dt.time | None = None,
    ) -> Annotated[PackedFloorAvailability | ValidationError, strawberry.union("PackedFloorAvailabilityResult")]:
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)
        layout = await self._layout(info)
        building = layout.building
        local_day = LocalDay(date, building.time_zone)
        start, end = _window(layout, local_day, start_time, end_time)
        service = info.context.runtime.availability
        occupancy = await service.floor_day(self.id, building.time_zone, date)
        truth = await service.truth(
            layout, date, info.context.viewer_id, start, end, layouts=info.context.runtime.layouts
        )
        window = truth.slots(local_day)
        desk_ids = [d.id for d in layout.desks]
        return PackedFloorAvailability(
            date=date,
            start_time=start,
            end_time=end,
            source=AvailabilitySource(occupancy.source.value),
            desk_order=layout.desk_order,
            statuses=availability.packed_with(occupancy.packed(desk_ids, window), desk_ids, truth),
            desk_ids=[strawberry.ID(i) for i in layout.desk_global_ids],
            unavailable=[
                PackedUnavailability(
                    index=index,
                    reason=UnavailableReason(why.reason.value),
                    message=why.message_in(info.context.language),
                )
                for index, desk_id in enumerate(desk_ids)
                if (why := truth.of(desk_id)) is not None
            ],
            closed=Unavailability.of(truth.whole_floor, info) if truth.whole_floor else None,
        )


def _window(layout: FloorLayout, day: LocalDay, start: dt.time | None, end: dt.time | None) -> tuple[dt.time, dt.time]:
    """The asked-for window, by default the building's hours that day (its usual hours on a closed weekday)."""
    default_start, default_end = whole_day_window(layout, day)
    start, end = start or default_start, end or default_end
    if start >= end:
        raise InvalidInput("endTime", CommonInputCode.END_BEFORE_START)
    return start, end


def _desk_availability(
    desk: SpaceLayout, status: availability.SpaceStatus, truth: FloorTruth, window: FloorWindow, info: Info
) -> DeskAvailability:
    why = truth.of(desk.id)
    return DeskAvailability(
        desk=Desk.from_model(desk),
        status=SpaceStatus.UNAVAILABLE if why else SpaceStatus(status.value),
        unavailable=Unavailability.of(why, info) if why else None,
        window=window,
    )


@strawberry.type(description="A bookable desk. Position and size are in metres on the floor plan.")
class Desk(relay.Node):
    id: relay.NodeID[int]
    floor_id: strawberry.Private[int]
    code: str = strawberry.field(description="Label on the desk, unique on its floor.")
    x: float
    y: float
    width: float
    height: float
    rotation: float = strawberry.field(description="Degrees clockwise around the desk's centre.")
    amenities: list[Amenity]
    space: strawberry.Private[models.Space | SpaceLayout | None] = None
    """What the desk was built from: its row, or its floor's cached layout entry. Either holds what the fields
    below read (zone, bookable, assignee), so they need no query of their own; None: read through the loader."""

    @classmethod
    def from_model(cls, s: models.Space | SpaceLayout) -> Self:
        return cls(
            space=s,
            id=s.id,
            floor_id=s.floor_id,
            code=s.code,
            x=s.x,
            y=s.y,
            width=s.width,
            height=s.height,
            rotation=s.rotation,
            amenities=_amenities(s),
        )

    async def _space(self, info: Info) -> models.Space | SpaceLayout:
        return self.space if self.space is not None else await info.context.loaders.places.space_by_id.load(self.id)

    @strawberry.field
    async def floor(self, info: Info) -> Floor:
        return Floor.from_model(await info.context.loaders.places.floor_by_id.load(self.floor_id))

    @strawberry.field(description="The zone (neighbourhood) the desk is in, or null.")
    async def zone(self, info: Info) -> Annotated["Zone", strawberry.lazy("smartoffice.places.api.types")] | None:
        return await _zone_of(info, await self._space(info))

    @strawberry.field(description="False: shown on the plan but nobody may book it (out of service).")
    async def bookable(self, info: Info) -> bool:
        return bool((await self._space(info)).bookable)

    @strawberry.field(
        description="The person the desk is assigned to (others book it only on days they release it), or null. "
        "Shown to the site's facilities managers and administrators only (apps: also people:read:names); null "
        "for everyone else."
    )
    async def assigned_to(self, info: Info) -> Employee | None:
        return await _assigned_to(info, await self._space(info))

    @strawberry.field(description="Whether the desk is assigned to someone (visible to everyone who sees the desk).")
    async def is_assigned(self, info: Info) -> bool:
        return (await self._space(info)).assigned_employee_id is not None


@strawberry.type(description="A meeting room. Booking rooms comes with the booking core.")
class MeetingRoom(relay.Node):
    id: relay.NodeID[int]
    floor_id: strawberry.Private[int]
    code: str
    name: str
    capacity: int = strawberry.field(description="Seats in the room.")
    x: float
    y: float
    width: float
    height: float
    amenities: list[Amenity]

    @classmethod
    def from_model(cls, s: models.Space | SpaceLayout) -> Self:
        return cls(
            id=s.id,
            floor_id=s.floor_id,
            code=s.code,
            name=s.name or s.code,
            capacity=s.capacity,
            x=s.x,
            y=s.y,
            width=s.width,
            height=s.height,
            amenities=_amenities(s),
        )

    @strawberry.field
    async def floor(self, info: Info) -> Floor:
        return Floor.from_model(await info.context.loaders.places.floor_by_id.load(self.floor_id))

    @strawberry.field(description="False: shown on the plan but nobody may book it (kept for events).")
    async def bookable(self, info: Info) -> bool:
        return bool((await info.context.loaders.places.space_by_id.load(self.id)).bookable)

    @strawberry.field(description="Whether bookings start PENDING until one of the room's approvers accepts them.")
    async def requires_approval(self, info: Info) -> bool:
        return bool((await info.context.loaders.places.space_by_id.load(self.id)).requires_approval)

    @strawberry.field(
        description="Local hours the room may be booked, per weekday, Monday first (within the building's opening "
        "hours); a weekday missing is not bookable. Null: the building's opening hours."
    )
    async def bookable_hours(self, info: Info) -> list["WeekdayHours"] | None:
        hours = (await info.context.loaders.places.space_by_id.load(self.id)).bookable_hours
        return None if hours is None else WeekdayHours.all_of(hours)

    @strawberry.field(description="The zone (neighbourhood) the room is in, or null.")
    async def zone(self, info: Info) -> Annotated["Zone", strawberry.lazy("smartoffice.places.api.types")] | None:
        return await _zone_of(info, self.id)


@strawberry.type(description="Local hours on one weekday.")
class WeekdayHours:
    weekday: int = strawberry.field(description="ISO weekday: 1 Monday … 7 Sunday.")
    opens: dt.time = strawberry.field(description="Local time, HH:MM.")
    closes: dt.time = strawberry.field(description="Local time, HH:MM (exclusive).")

    @classmethod
    def all_of(cls, hours: models.OpeningHours) -> list["WeekdayHours"]:
        return [
            cls(weekday=int(day), opens=dt.time.fromisoformat(h[0]), closes=dt.time.fromisoformat(h[1]))
            for day, h in sorted(hours.items(), key=lambda item: int(item[0]))
            if h
        ]


@strawberry.type(description="A neighbourhood on a floor, usually the home of one unit's hot desks.")
class Zone(relay.Node):
    id: relay.NodeID[int]
    floor_id: strawberry.Private[int]
    org_unit_id: strawberry.Private[int | None]
    code: str = strawberry.field(description="Unique on its floor.")
    name: str
    x: float
    y: float
    width: float
    height: float

    @classmethod
    def from_model(cls, z: models.Zone) -> Self:
        return cls(
            id=z.id,
            floor_id=z.floor_id,
            org_unit_id=z.org_unit_id,
            code=z.code,
            name=z.name,
            x=z.x,
            y=z.y,
            width=z.width,
            height=z.height,
        )

    @strawberry.field
    async def floor(self, info: Info) -> Floor:
        return Floor.from_model(await info.context.loaders.places.floor_by_id.load(self.floor_id))

    @strawberry.field(description="The unit whose zone it is, or null.")
    async def org_unit(self, info: Info) -> OrgUnit | None:
        if self.org_unit_id is None:
            return None
        return OrgUnit.from_model(await info.context.loaders.people.org_unit_by_id.load(self.org_unit_id))

    @strawberry.field(description="The zone's desks, by code.")
    async def desks(self, info: Info) -> list[Desk]:
        rows = await info.context.loaders.places.spaces_by_zone_id.load(self.id)
        return [Desk.from_model(s) for s in rows if s.kind == models.SpaceKind.DESK]


async def _zone_of(info: Info, space: "models.Space | SpaceLayout | int") -> Zone | None:
    """The zone of a space (its row or layout entry, or its id to load it), unless retired."""
    if isinstance(space, int):
        space = await info.context.loaders.places.space_by_id.load(space)
    if space.zone_id is None:
        return None
    zone = await info.context.loaders.places.zone_by_id.load(space.zone_id)
    return None if zone.retired_at is not None else Zone.from_model(zone)


async def _assigned_to(info: Info, space: "models.Space | SpaceLayout") -> Employee | None:
    """The assignee, for the site's facilities managers and administrators (apps: with people:read:names)."""
    viewer = info.context.viewer_id
    if space.assigned_employee_id is None or viewer is None or not info.context.has_scope(Scope.PEOPLE_READ_NAMES):
        return None
    floor = await info.context.loaders.places.floor_by_id.load(space.floor_id)
    building = await info.context.loaders.places.building_by_id.load(floor.building_id)
    if not await info.context.runtime.place_editor.manages_site(viewer, building.site_id):
        return None
    return Employee.from_model(await info.context.loaders.people.employee_by_id.load(space.assigned_employee_id))
