"""GraphQL types, inputs and results for bookings."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self
from zoneinfo import ZoneInfo

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.errors import (
    BookingConflictError,
    NotFoundError,
    PermissionDeniedError,
    PolicyRefusalError,
    ValidationError,
)
from smartoffice.api.pagination import PageInfo
from smartoffice.bookings import models
from smartoffice.bookings.api.occupancy import BookingStatus
from smartoffice.bookings.requests import CancelScope as DomainCancelScope
from smartoffice.people.api.types import Employee
from smartoffice.places.api.types import Desk, MeetingRoom
from smartoffice.places.models import SpaceKind


@strawberry.type(description="A person's hold on a desk or a meeting room for a time range.")
class Booking(relay.Node):
    id: relay.NodeID[int]
    space_id: strawberry.Private[int]
    space_kind: strawberry.Private[SpaceKind]
    start_at: dt.datetime = strawberry.field(description="Start (UTC).")
    end_at: dt.datetime = strawberry.field(description="End (UTC, exclusive).")
    date: dt.date = strawberry.field(description="The building's local date of the start.")
    status: BookingStatus
    title: str | None = strawberry.field(description="Rooms: what the meeting is about.")
    attendee_count: int | None = strawberry.field(description="Rooms: how many people attend.")
    is_recurring: bool = strawberry.field(description="Whether this booking is an occurrence of a series.")
    booked_on_behalf: bool = strawberry.field(description="Whether someone else made this booking for the person.")
    created_at: dt.datetime
    checked_in_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str | None = strawberry.field(
        description="Why the booking was cancelled when someone else did it (a closure, a desk retired or taken out "
        "of service), as the facilities manager wrote it; null when the person cancelled it or it is active."
    )

    @classmethod
    def from_model(cls, b: models.Booking) -> Self:
        """``b`` must have its space, floor and building loaded."""
        zone = ZoneInfo(b.space.floor.building.time_zone)
        return cls(
            id=b.id,
            space_id=b.space_id,
            space_kind=b.space_kind,
            start_at=b.start_at,
            end_at=b.end_at,
            date=b.start_at.astimezone(zone).date(),
            status=BookingStatus(b.status.value),
            title=b.title,
            attendee_count=b.attendee_count,
            is_recurring=b.series_id is not None,
            booked_on_behalf=b.booked_by_id != b.employee_id,
            created_at=b.created_at,
            checked_in_at=b.checked_in_at,
            cancelled_at=b.cancelled_at,
            cancel_reason=b.cancel_reason,
        )

    @strawberry.field(description="The booked desk, or null for a room booking.")
    async def desk(self, info: Info) -> Desk | None:
        if self.space_kind != SpaceKind.DESK:
            return None
        return Desk.from_model(await info.context.loaders.places.space_by_id.load(self.space_id))

    @strawberry.field(description="The booked meeting room, or null for a desk booking.")
    async def room(self, info: Info) -> MeetingRoom | None:
        if self.space_kind != SpaceKind.ROOM:
            return None
        return MeetingRoom.from_model(await info.context.loaders.places.space_by_id.load(self.space_id))

    @strawberry.field(
        description="Rooms: the colleagues invited (they receive the booking as a calendar invitation), by name; "
        "empty for a desk booking. Shown wherever the booking is: to the person booked, whoever booked it, those "
        "who manage the person, the site's facilities managers, the room's approvers and admins (the `bookings` "
        "rules). Their names need people:read:names, as for any `Employee`."
    )
    async def attendees(self, info: Info) -> list[Employee]:
        if self.space_kind != SpaceKind.ROOM:
            return []
        invited = await info.context.loaders.bookings.attendees_by_booking_id.load(self.id)
        return [Employee.from_model(e) for e in invited]


IDEMPOTENCY_KEY_HELP = (
    "Any string up to 100 characters, unique per intended action: retrying with the same key returns the first "
    "result instead of acting twice; the same key with a different input is refused."
)
ON_BEHALF_HELP = "Book for this employee: their manager, or a facilities manager of the site. Default: yourself."
TITLE_HELP = "What the meeting is about: at most 200 characters (longer is a ValidationError TEXT_TOO_LONG)."
ATTENDEE_COUNT_HELP = (
    "People attending, the person booked included: at most the room's capacity, and at least the colleagues "
    "invited plus one (ATTENDEE_COUNT_TOO_LOW). Default: the colleagues invited plus one."
)
ATTENDEE_IDS_HELP = (
    "Colleagues (Employee ids) to invite: each receives the booking as a calendar invitation. Active people, not "
    "the person booked, each once; at most the room's capacity minus one and at most 50. ValidationError codes "
    "(field attendeeIds): ATTENDEE_UNKNOWN, ATTENDEE_INACTIVE, ATTENDEE_IS_PERSON_BOOKED, ATTENDEE_REPEATED, "
    "TOO_MANY_ATTENDEES, INVALID_ID."
)


@strawberry.input(description="Book a desk on a local date, for the whole day or part of it.")
class BookDeskInput:
    desk_id: strawberry.ID
    date: dt.date = strawberry.field(description="The building's local date.")
    start_time: dt.time | None = strawberry.field(
        default=None, description="Local start on a quarter hour; the building's opening time if omitted."
    )
    end_time: dt.time | None = strawberry.field(
        default=None, description="Local end on a quarter hour; the building's closing time if omitted."
    )
    for_employee_id: strawberry.ID | None = strawberry.field(default=None, description=ON_BEHALF_HELP)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_HELP)


@strawberry.input(description="Book a meeting room for a time range on a local date.")
class BookRoomInput:
    room_id: strawberry.ID
    date: dt.date = strawberry.field(description="The building's local date.")
    start_time: dt.time = strawberry.field(description="Local start on a quarter hour.")
    end_time: dt.time = strawberry.field(description="Local end on a quarter hour.")
    attendee_count: int | None = strawberry.field(default=None, description=ATTENDEE_COUNT_HELP)
    title: str | None = strawberry.field(default=None, description=TITLE_HELP)
    for_employee_id: strawberry.ID | None = strawberry.field(default=None, description=ON_BEHALF_HELP)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_HELP)
    attendee_ids: list[strawberry.ID] | None = strawberry.field(default=None, description=ATTENDEE_IDS_HELP)


@strawberry.type(description="The space is booked (or, for rooms that need approval, pending).")
class BookSuccess:
    booking: Booking


ErrorMembers = BookingConflictError | NotFoundError | PermissionDeniedError | ValidationError | PolicyRefusalError
"""Why booking a space can fail; PolicyRefusalError: a desk over a building's occupancy cap (OCCUPANCY_CAP)."""

BookResult = Annotated[BookSuccess | ErrorMembers, strawberry.union("BookResult")]


@strawberry.type(description="Booking would succeed with these values. Nothing was booked.")
class BookingValid:
    start_at: dt.datetime
    end_at: dt.datetime
    status: BookingStatus = strawberry.field(description="BOOKED, or PENDING for a room that needs approval.")


ValidateBookingResult = Annotated[BookingValid | ErrorMembers, strawberry.union("ValidateBookingResult")]


@strawberry.enum(description="Which bookings of a series a cancellation covers.")
class CancelScope(Enum):
    ONE = strawberry.enum_value(DomainCancelScope.ONE.value, description="Only this booking.")
    THIS_AND_FOLLOWING = strawberry.enum_value(
        DomainCancelScope.THIS_AND_FOLLOWING.value, description="This occurrence and the later ones of its series."
    )
    ALL = strawberry.enum_value(
        DomainCancelScope.ALL.value, description="Every occurrence of the series that has not ended."
    )


@strawberry.input(description="Cancel a booking (and, for a series, possibly more of it).")
class CancelBookingInput:
    booking_id: strawberry.ID
    scope: CancelScope = CancelScope.ONE
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_HELP)


@strawberry.type(description="The bookings are cancelled and their spaces free again.")
class CancelBookingSuccess:
    booking: Booking = strawberry.field(description="The booking named in the input.")
    cancelled: list[Booking] = strawberry.field(description="Every booking this cancellation ended.")


CancelBookingResult = Annotated[
    CancelBookingSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union("CancelBookingResult"),
]


@strawberry.input(description="Accept or reject a room booking awaiting approval.")
class DecideBookingInput:
    booking_id: strawberry.ID
    accept: bool
    reason: str | None = strawberry.field(
        default=None,
        description="Why it is rejected (at most 500 characters): told to the person as the booking's "
        "`cancelReason`. Ignored when accepting.",
    )


@strawberry.type(description="The booking is now BOOKED (accepted) or REJECTED.")
class DecideBookingSuccess:
    booking: Booking


DecideBookingResult = Annotated[
    DecideBookingSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union("DecideBookingResult"),
]


@strawberry.input(description="Let others book your assigned desk on a local date.")
class ReleaseAssignedDeskInput:
    desk_id: strawberry.ID
    date: dt.date


@strawberry.type(description="The desk is bookable by others on that date.")
class ReleaseAssignedDeskSuccess:
    desk: Desk
    date: dt.date


ReleaseAssignedDeskResult = Annotated[
    ReleaseAssignedDeskSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union("ReleaseAssignedDeskResult"),
]


@strawberry.input(description="Book a desk or room repeatedly, by an RFC 5545 recurrence rule in local time.")
class BookRecurringInput:
    space_id: strawberry.ID = strawberry.field(description="A Desk or MeetingRoom id.")
    rrule: str = strawberry.field(
        description="RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8, expanded from startsOn in the "
        "building's zone. FREQ is DAILY, WEEKLY or MONTHLY; the times come from startTime/endTime (no BYHOUR, "
        "BYMINUTE, BYSECOND); INTERVAL 1 to 365; COUNT 1 to 200, or UNTIL. A series runs at most 26 weeks: without "
        "COUNT or UNTIL it runs to that horizon, and a COUNT or UNTIL that goes past it is refused "
        "(SERIES_PAST_HORIZON), never cut short. ValidationError codes (field rrule): INVALID_RRULE, "
        "RRULE_FREQUENCY_NOT_ALLOWED, RRULE_NAMES_TIMES, RRULE_INTERVAL_OUT_OF_RANGE, RRULE_COUNT_OUT_OF_RANGE, "
        "RRULE_ENDS_BEFORE_START, SERIES_PAST_HORIZON, NO_OCCURRENCES, TEXT_TOO_LONG (500 characters)."
    )
    starts_on: dt.date
    start_time: dt.time
    end_time: dt.time
    attendee_count: int | None = strawberry.field(default=None, description="Rooms: as for bookRoom's attendeeCount.")
    title: str | None = strawberry.field(default=None, description=TITLE_HELP)
    for_employee_id: strawberry.ID | None = strawberry.field(default=None, description=ON_BEHALF_HELP)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_HELP)
    attendee_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Rooms: colleagues invited to every occurrence, as for bookRoom (a desk series refuses them: "
        "ATTENDEES_FOR_ROOMS_ONLY).",
    )


@strawberry.type(description="One occurrence of a series: booked, or skipped with the reason.")
class Occurrence:
    date: dt.date
    booking: Booking | None = strawberry.field(description="The booking made, or null when skipped.")
    skipped_because: Annotated[ErrorMembers, strawberry.union("SkipReason")] | None = strawberry.field(
        description="Why it was skipped, as a typed error."
    )


@strawberry.type(description="The series was created; see each occurrence.")
class BookRecurringSuccess:
    series_id: strawberry.ID | None = strawberry.field(description="Null when every occurrence was skipped.")
    booked_count: int
    skipped_count: int
    occurrences: list[Occurrence]


BookRecurringResult = Annotated[
    BookRecurringSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union("BookRecurringResult"),
]


@strawberry.type
class BookingEdge:
    cursor: str
    node: Booking


@strawberry.type(description="A page of bookings, in start order.")
class BookingConnection:
    edges: list[BookingEdge]
    page_info: PageInfo
