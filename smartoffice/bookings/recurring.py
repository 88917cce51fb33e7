"""Recurring bookings: an RRULE expanded in the building's local time, one booking per occurrence.

Occurrences are booked in one transaction, each under its own savepoint, so an occurrence that breaks a rule or
loses a race is skipped (with its reason) without undoing the others; the caller gets a result per occurrence.
Expansion stops at a horizon of 26 weeks and at 200 occurrences, whichever comes first.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings import idempotency
from smartoffice.bookings.models import Booking, BookingSeries
from smartoffice.bookings.queries import get_booking
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest, RecurringRequest
from smartoffice.bookings.service import BookingService, is_overlap_violation
from smartoffice.errors import (
    BookingConflict,
    Conflict,
    ConflictKind,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from smartoffice.places import service as places
from smartoffice.places.models import SpaceKind

OPERATION = "book_series"
HORIZON = timedelta(weeks=26)
MAX_OCCURRENCES = 200


@dataclass(frozen=True, slots=True)
class Occurrence:
    day: date
    booking: Booking | None
    """The booking made, or ``None`` when the occurrence was skipped."""
    skipped_because: DomainError | None


@dataclass(frozen=True, slots=True)
class SeriesResult:
    series: BookingSeries | None
    """``None`` when no occurrence could be booked (then nothing was written)."""
    occurrences: list[Occurrence]


def expand(request: RecurringRequest) -> list[date]:
    """Local dates of the occurrences, from ``starts_on`` up to the horizon and the occurrence cap."""
    text = request.rrule.strip().removeprefix("RRULE:")
    if "DTSTART" in text.upper() or not text:
        raise InvalidInput("rrule", "INVALID_RRULE")
    start = datetime.combine(request.starts_on, request.start)
    try:
        rule = rrulestr(text, dtstart=start)
        days: list[date] = []
        for occurrence in rule.xafter(start, count=MAX_OCCURRENCES, inc=True):
            if occurrence - start >= HORIZON:
                break
            days.append(occurrence.date())
    except (ValueError, TypeError) as exc:
        raise InvalidInput("rrule", "INVALID_RRULE") from exc
    if not days:
        raise InvalidInput("rrule", "NO_OCCURRENCES")
    return days


async def book_series(
    service: BookingService, actor_id: int, request: RecurringRequest, *, idempotency_key: str | None = None
) -> SeriesResult:
    days = expand(request)
    occurrences: list[Occurrence] = []
    key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
    digest = idempotency.request_hash(OPERATION, request)
    try:
        series = await _book_occurrences(service, actor_id, request, days, occurrences, key, digest)
    except _Replayed as replay:
        return replay.result
    except _NothingBooked:
        return SeriesResult(None, occurrences)
    for occurrence in occurrences:
        if occurrence.booking is not None:
            await service.project(occurrence.booking)
    return SeriesResult(series, occurrences)


class _NothingBooked(Exception):
    """Rolls back the series row when every occurrence was skipped."""


class _Replayed(Exception):
    def __init__(self, result: SeriesResult) -> None:
        super().__init__("replayed")
        self.result = result


async def _book_occurrences(
    service: BookingService,
    actor_id: int,
    request: RecurringRequest,
    days: list[date],
    occurrences: list[Occurrence],
    key: str | None,
    digest: str,
) -> BookingSeries:
    async with service.db.write() as session:
        if key is not None and (stored := await idempotency.stored_result(session, actor_id, key, OPERATION, digest)):
            raise _Replayed(await _from_record(session, stored))
        space = await places.get_space(session, request.space_id)
        series = BookingSeries(
            space_id=space.id,
            employee_id=request.for_employee_id or actor_id,
            booked_by_id=actor_id,
            rrule=request.rrule.strip().removeprefix("RRULE:"),
            starts_on=request.starts_on,
            start_time=request.start,
            end_time=request.end,
            time_zone=space.floor.building.time_zone,
            title=request.title,
            attendee_count=request.attendee_count if space.kind == SpaceKind.ROOM else None,
            created_at=service.clock(),
        )
        session.add(series)
        await session.flush()
        for day in days:
            single: BookDeskRequest | BookRoomRequest = (
                BookRoomRequest(
                    space.id,
                    day,
                    request.start,
                    request.end,
                    request.attendee_count,
                    request.title,
                    request.for_employee_id,
                )
                if space.kind == SpaceKind.ROOM
                else BookDeskRequest(space.id, day, request.start, request.end, request.for_employee_id)
            )
            try:
                async with session.begin_nested():
                    booking = await service.prepare(session, actor_id, single)
                    booking.series_id = series.id
                    session.add(booking)
                    await session.flush()
            except DomainError as error:
                occurrences.append(Occurrence(day, None, error))
                continue
            except IntegrityError as exc:  # lost a race to a concurrent booking: the constraint decided
                if not is_overlap_violation(exc):
                    raise
                lost = BookingConflict([Conflict(ConflictKind.SPACE_TAKEN, 0, service.clock(), service.clock())])
                occurrences.append(Occurrence(day, None, lost))
                continue
            occurrences.append(Occurrence(day, booking, None))
        if not any(o.booking for o in occurrences):
            raise _NothingBooked
        if key is not None:
            idempotency.record(session, actor_id, key, OPERATION, digest, _to_record(series, occurrences))
    return series


def _to_record(series: BookingSeries, occurrences: list[Occurrence]) -> dict[str, Any]:
    return {
        "series_id": series.id,
        "occurrences": [
            {
                "day": o.day.isoformat(),
                "booking_id": o.booking.id if o.booking else None,
                "error": None
                if o.skipped_because is None
                else {
                    "type": type(o.skipped_because).__name__,
                    "code": o.skipped_because.code,
                    "params": {k: str(v) for k, v in o.skipped_because.params.items()},
                },
            }
            for o in occurrences
        ],
    }


async def _from_record(session: AsyncSession, stored: dict[str, Any]) -> SeriesResult:
    series = await session.get(BookingSeries, stored["series_id"])
    occurrences = []
    for o in stored["occurrences"]:
        booking = await get_booking(session, o["booking_id"]) if o["booking_id"] else None
        error = _error_from_record(o["error"]) if o["error"] else None
        occurrences.append(Occurrence(date.fromisoformat(o["day"]), booking, error))
    return SeriesResult(series, occurrences)


def _error_from_record(record: dict[str, Any]) -> DomainError:
    params = dict(record["params"])
    match record["type"]:
        case "BookingConflict":
            return BookingConflict([])
        case "InvalidInput":
            field = params.pop("field", "")
            return InvalidInput(field, record["code"], **params)
        case "NotFound":
            return NotFound(params["kind"], params["ident"])
        case "PermissionDenied":
            return PermissionDenied(record["code"], **params)
    return DomainError(record["code"], **params)
