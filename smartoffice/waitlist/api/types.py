"""GraphQL types for the waitlist (the rules: ``waitlist/service.py``; the grant: ``waitlist/grant.py``)."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.ids import encode_id
from smartoffice.waitlist import service
from smartoffice.waitlist.models import WaitlistStatus as Status


@strawberry.enum(description="Where a place in line stands.")
class WaitlistStatus(Enum):
    WAITING = strawberry.enum_value("waiting", description="In line for a freed desk.")
    GRANTED = strawberry.enum_value("granted", description="A freed desk was booked for you: see `bookingId`.")
    SKIPPED = strawberry.enum_value(
        "skipped", description="A desk was offered but the booking rules refused you then: see `skipReason`."
    )
    LEFT = strawberry.enum_value("left", description="You left the line.")


@strawberry.type(
    description="Your place in line for a desk of a floor (or of one zone) on a day that was full when you joined. "
    "When a desk there is freed (a cancellation, a no-show release), it is booked for the first person in line whom "
    "the booking rules allow, for the whole day, in the same transaction that freed it."
)
class WaitlistEntry:
    id: strawberry.ID = strawberry.field(description="A WaitlistEntry id.")
    floor_id: strawberry.ID = strawberry.field(description="The Floor the line is for.")
    zone_id: strawberry.ID | None = strawberry.field(description="The Zone, when only its desks will do.")
    date: dt.date = strawberry.field(description="The building's local date.")
    place_name: str = strawberry.field(description='The place as people name it, e.g. "Tower 2 · Floor 3 · Zone A".')
    status: WaitlistStatus
    joined_at: dt.datetime
    position: int | None = strawberry.field(
        description="While waiting: 1 = the next to be offered a freed desk of this line (everyone who would be "
        "offered the same desks first counts)."
    )
    skip_reason: str | None = strawberry.field(
        description="When skipped: the error code the booking rules answered (e.g. QUOTA_FULL, PERSON_ALREADY_BOOKED)."
    )
    booking_id: strawberry.ID | None = strawberry.field(description="When granted: the Booking made for you.")
    desk_code: str | None = strawberry.field(description="When granted and still active: the desk's code.")

    @classmethod
    def from_view(cls, view: service.WaitlistView) -> Self:
        granted = view.granted
        return cls(
            id=strawberry.ID(encode_id("WaitlistEntry", view.id)),
            floor_id=strawberry.ID(encode_id("Floor", view.floor_id)),
            zone_id=strawberry.ID(encode_id("Zone", view.zone_id)) if view.zone_id is not None else None,
            date=view.day,
            place_name=view.place_name,
            status=WaitlistStatus[Status(view.status).name],
            joined_at=view.joined_at,
            position=view.position,
            skip_reason=view.skip_reason,
            booking_id=strawberry.ID(encode_id("Booking", granted.booking_id)) if granted else None,
            desk_code=granted.desk_code if granted else None,
        )


@strawberry.input(description="The line to join: a floor, or one zone of it, on a day.")
class JoinWaitlistInput:
    floor_id: strawberry.ID | None = strawberry.field(
        default=None, description="A Floor id: any of its desks will do. Give this or `zoneId`."
    )
    zone_id: strawberry.ID | None = strawberry.field(default=None, description="A Zone id: only its desks will do.")
    date: dt.date = strawberry.field(description="The building's local date; not in the past.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Send the same key to retry safely: a repeat joins once."
    )


@strawberry.input(description="The place in line to give up.")
class LeaveWaitlistInput:
    entry_id: strawberry.ID = strawberry.field(description="A WaitlistEntry id of yours, still waiting.")


@strawberry.type(description="You are in line.")
class JoinWaitlistSuccess:
    entry: WaitlistEntry


@strawberry.type(description="You left the line.")
class LeaveWaitlistSuccess:
    entry: WaitlistEntry


JoinWaitlistResult = Annotated[
    JoinWaitlistSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("JoinWaitlistResult"),
]
LeaveWaitlistResult = Annotated[
    LeaveWaitlistSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("LeaveWaitlistResult"),
]
