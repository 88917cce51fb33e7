"""Closures in the API: ``createClosure``, ``endClosure`` and ``closures`` (the rules: ``places/closures.py``).

Times are instants (``DateTime`` with an offset; one without is read as UTC), the closure covering
``[startsAt, endsAt)``; the pages take local dates and times instead. People (sessions) act as themselves; app
tokens need ``places:write`` to change closures and ``places:read`` to list them, and act for their owner."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.audit.record import Actor
from smartoffice.bookings.place_changes import PlaceLevel as Level
from smartoffice.bookings.place_changes import PlaceRef
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_any_id, decode_id, encode_id
from smartoffice.people.api.types import Employee
from smartoffice.places import closures
from smartoffice.places.models import SpaceKind

PLACE_TYPES = {
    "Site": Level.SITE,
    "Building": Level.BUILDING,
    "Floor": Level.FLOOR,
    "Zone": Level.ZONE,
    "Desk": Level.SPACE,
    "MeetingRoom": Level.SPACE,
}
"""The types whose ids name a place to close (a desk's or a room's id names its space)."""


@strawberry.enum(description="How much a closure closes.")
class PlaceLevel(Enum):
    SITE = strawberry.enum_value(Level.SITE.value, description="A whole site: every building in it.")
    BUILDING = strawberry.enum_value(Level.BUILDING.value, description="A building: every floor in it.")
    FLOOR = strawberry.enum_value(Level.FLOOR.value, description="A floor: every desk and room on it.")
    ZONE = strawberry.enum_value(Level.ZONE.value, description="A zone: the desks and rooms in it.")
    SPACE = strawberry.enum_value(Level.SPACE.value, description="One desk or meeting room.")


def place_id(info: closures.PlaceInfo) -> strawberry.ID:
    """The global id of a closed place (a Desk or MeetingRoom id for a single space)."""
    kind = {Level.SITE: "Site", Level.BUILDING: "Building", Level.FLOOR: "Floor", Level.ZONE: "Zone"}.get(
        info.ref.level, "MeetingRoom" if info.space_kind == SpaceKind.ROOM else "Desk"
    )
    return strawberry.ID(encode_id(kind, info.ref.id))


@strawberry.type(description="The place a closure closes.")
class ClosedPlace:
    id: strawberry.ID = strawberry.field(description="A Site, Building, Floor, Zone, Desk or MeetingRoom id.")
    level: PlaceLevel
    name: str = strawberry.field(description="The place's name with its building and floor, e.g. Tower 2 · Floor 3.")
    time_zone: str = strawberry.field(description="The IANA zone the place's local times are in.")

    @classmethod
    def of(cls, info: closures.PlaceInfo) -> Self:
        return cls(id=place_id(info), level=PlaceLevel(info.ref.level.value), name=info.name, time_zone=info.time_zone)


@strawberry.type(description="A place closed for a time: nobody may book it then. Set by facilities managers.")
class Closure(relay.Node):
    id: relay.NodeID[int]
    place: ClosedPlace
    starts_at: dt.datetime = strawberry.field(description="When the closure starts (UTC).")
    ends_at: dt.datetime = strawberry.field(description="When the closure ends (UTC, exclusive).")
    reason: str = strawberry.field(description="Why, as the people whose bookings it cancelled were told.")
    created_by_id: strawberry.Private[int | None]

    @strawberry.field(description="Who set the closure, if known.")
    async def created_by(self, info: Info) -> Employee | None:
        if self.created_by_id is None:
            return None
        return Employee.from_model(await info.context.loaders.people.employee_by_id.load(self.created_by_id))

    @classmethod
    def from_view(cls, view: closures.ClosureView) -> Self:
        return cls(
            id=view.id,
            place=ClosedPlace.of(view.place),
            starts_at=view.start_at,
            ends_at=view.end_at,
            reason=view.reason,
            created_by_id=view.created_by_id,
        )


@strawberry.type(description="A booking a closure cancels (or, in a dry run, would cancel).")
class ClosureBooking:
    booking_id: strawberry.ID = strawberry.field(description="The Booking's id.")
    employee_id: strawberry.Private[int]
    space_name: str = strawberry.field(description="The desk or room, with its building and floor.")
    starts_at: dt.datetime
    ends_at: dt.datetime

    @strawberry.field(description="Whose booking it is.")
    async def employee(self, info: Info) -> Employee:
        return Employee.from_model(await info.context.loaders.people.employee_by_id.load(self.employee_id))

    @classmethod
    def of(cls, booking: closures.AffectedBooking) -> Self:
        return cls(
            booking_id=strawberry.ID(encode_id("Booking", booking.booking_id)),
            employee_id=booking.employee_id,
            space_name=booking.space_label,
            starts_at=booking.start_at,
            ends_at=booking.end_at,
        )


@strawberry.input(description="A place to close, when, and why.")
class CreateClosureInput:
    place_id: strawberry.ID = strawberry.field(
        description="The Site, Building, Floor, Zone, Desk or MeetingRoom to close."
    )
    starts_at: dt.datetime = strawberry.field(description="The first instant closed (with an offset; else UTC).")
    ends_at: dt.datetime = strawberry.field(
        description="The first instant open again (exclusive). At most 366 days after the start; not in the past."
    )
    reason: str = strawberry.field(description="Shown to the people whose bookings are cancelled. 1–500 characters.")
    dry_run: bool = strawberry.field(
        default=False,
        description="True: change nothing; answer with the bookings the closure would cancel (closure null).",
    )

    def to_request(self) -> closures.ClosureInput:
        kind, ident = decode_any_id(self.place_id, tuple(PLACE_TYPES), "placeId")
        return closures.ClosureInput(
            PlaceRef(PLACE_TYPES[kind], ident), self.reason, start_at=self.starts_at, end_at=self.ends_at
        )


@strawberry.type(description="The closure is set (or, in a dry run, would be) and these bookings are cancelled.")
class ClosurePayload:
    closure: Closure | None = strawberry.field(description="The new closure; null in a dry run.")
    cancelled_bookings: list[ClosureBooking] = strawberry.field(
        description="The active bookings under the closure, cancelled with its reason (a dry run: would be)."
    )
    dry_run: bool


@strawberry.input(description="A closure to end now.")
class EndClosureInput:
    closure_id: strawberry.ID


@strawberry.type(
    description="The closure has ended now; one that had not started yet is deleted (`deleted`). Bookings it "
    "cancelled stay cancelled."
)
class EndClosurePayload:
    closure: Closure = strawberry.field(description="As it is now, or as it was when deleted.")
    deleted: bool


CreateClosureResult = Annotated[
    ClosurePayload | ValidationError | NotFoundError | PermissionDeniedError, strawberry.union("CreateClosureResult")
]
EndClosureResult = Annotated[
    EndClosurePayload | ValidationError | NotFoundError | PermissionDeniedError, strawberry.union("EndClosureResult")
]


@strawberry.type
class ClosuresQuery:
    @strawberry.field(
        description="Closures that have not ended (or that overlap `from`–`to`) in the sites you manage "
        "(administrators: every site), soonest first; `placeId`: only those set on that very place. At most 500."
    )
    async def closures(
        self,
        info: Info,
        place_id: strawberry.ID | None = None,
        from_: Annotated[dt.datetime | None, strawberry.argument(name="from")] = None,
        to: dt.datetime | None = None,
    ) -> list[Closure]:
        info.context.require_scope(Scope.PLACES_READ)
        viewer = info.context.require_viewer()
        place = None
        if place_id is not None:
            kind, ident = decode_any_id(place_id, tuple(PLACE_TYPES), "placeId")
            place = PlaceRef(PLACE_TYPES[kind], ident)
        found = await info.context.runtime.closures.list(
            Actor(viewer, info.context.via), place=place, from_=from_, to=to
        )
        return [Closure.from_view(v) for v in found]


@strawberry.type
class ClosuresMutation:
    @strawberry.mutation(
        description="Close a site, building, floor, zone, desk or room for a time, with a reason; the active "
        "bookings under it are cancelled with that reason (`dryRun`: only listed). Facilities managers of the "
        "place's site and administrators. Audited as closure.create."
    )
    async def create_closure(self, info: Info, input: CreateClosureInput) -> CreateClosureResult:
        info.context.require_scope(Scope.PLACES_WRITE)
        actor = Actor(info.context.require_viewer(), info.context.via)
        service = info.context.runtime.closures
        if input.dry_run:
            preview = await service.preview(actor, input.to_request())
            return ClosurePayload(
                closure=None, cancelled_bookings=[ClosureBooking.of(b) for b in preview.affected], dry_run=True
            )
        created = await service.create(actor, input.to_request())
        return ClosurePayload(
            closure=Closure.from_view(created.closure),
            cancelled_bookings=[ClosureBooking.of(b) for b in created.cancelled],
            dry_run=False,
        )

    @strawberry.mutation(
        description="End a closure now (one not started yet is deleted). Bookings it cancelled are not restored. "
        "Audited as closure.end or closure.delete."
    )
    async def end_closure(self, info: Info, input: EndClosureInput) -> EndClosureResult:
        info.context.require_scope(Scope.PLACES_WRITE)
        actor = Actor(info.context.require_viewer(), info.context.via)
        ended = await info.context.runtime.closures.end(actor, decode_id(input.closure_id, "Closure", "closureId"))
        return EndClosurePayload(closure=Closure.from_view(ended.closure), deleted=ended.deleted)
