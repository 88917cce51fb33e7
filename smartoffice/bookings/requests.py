"""What a caller asks the booking service for. Times are the building's local wall-clock times."""

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from smartoffice.places.models import SpaceKind


@dataclass(frozen=True, slots=True)
class BookDeskRequest:
    desk_id: int
    day: date
    """The building's local date."""
    start: time | None = None
    """Local start time; the building's opening time when omitted."""
    end: time | None = None
    """Local end time; the building's closing time when omitted."""
    for_employee_id: int | None = None
    """Book on behalf of this employee (their manager, or a facilities manager of the site); default: yourself."""

    @property
    def space_id(self) -> int:
        return self.desk_id

    @property
    def kind(self) -> SpaceKind:
        return SpaceKind.DESK


@dataclass(frozen=True, slots=True)
class BookRoomRequest:
    room_id: int
    day: date
    start: time
    end: time
    attendee_count: int | None = None
    """People attending, the person booked included: at least the invited colleagues and them. Default: that."""
    title: str | None = None
    for_employee_id: int | None = None
    attendee_ids: tuple[int, ...] = ()
    """Colleagues invited (``booking_attendees``; see :mod:`smartoffice.bookings.attendees`)."""

    @property
    def space_id(self) -> int:
        return self.room_id

    @property
    def kind(self) -> SpaceKind:
        return SpaceKind.ROOM


SpaceRequest = BookDeskRequest | BookRoomRequest


@dataclass(frozen=True, slots=True)
class RecurringRequest:
    """A series: ``rrule`` (RFC 5545, without DTSTART) expanded from ``starts_on`` in the building's zone."""

    space_id: int
    rrule: str
    starts_on: date
    start: time
    end: time
    attendee_count: int | None = None
    """Rooms: as :attr:`BookRoomRequest.attendee_count`."""
    title: str | None = None
    for_employee_id: int | None = None
    attendee_ids: tuple[int, ...] = ()
    """Rooms: colleagues invited to every occurrence."""


class CancelScope(StrEnum):
    ONE = "one"
    """Only this booking (for a series: this occurrence)."""
    THIS_AND_FOLLOWING = "this_and_following"
    ALL = "all"
    """Every occurrence of the series that has not started yet."""
