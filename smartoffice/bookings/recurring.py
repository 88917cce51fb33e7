"""Recurring bookings: an RRULE expanded in the building's local time, one booking per occurrence.

Occurrences are booked in one transaction, each under its own savepoint, so an occurrence that breaks a rule or
loses a race is skipped (with its reason) without undoing the others; the caller gets a result per occurrence.
What a rule may say, and the 26-week horizon, are in ``recurrence_rule``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings import checks, idempotency
from smartoffice.bookings.attendees import add_attendees
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import Booking, BookingSeries, IdempotencyKey
from smartoffice.bookings.recurrence_rule import occurrence_days, rule_text
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest, RecurringRequest
from smartoffice.bookings.service import BookingService, is_overlap_violation
from smartoffice.bookings.sql import get_booking
from smartoffice.errors import (
    BookingConflict,
    Conflict,
    ConflictKind,
    DomainError,
    ErrorCode,
    InputCode,
    InvalidInput,
    NotFound,
    NotFoundCode,
    PermissionCode,
    PermissionDenied,
    PolicyRefusal,
    RefusalCode,
    code_named,
)
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.places import service as places
from smartoffice.places.models import SpaceKind
from smartoffice.policies import errors as _policy_errors  # noqa: F401  (its codes can be read back from records)

C = TypeVar("C", bound=ErrorCode)
OPERATION = "book_series"


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
    """Local dates of the occurrences, from ``starts_on`` up to the horizon (see ``recurrence_rule``)."""
    return occurrence_days(request.rrule, request.starts_on, request.start, request.end)


async def book_series(
    service: BookingService, actor_id: int, request: RecurringRequest, *, idempotency_key: str | None = None
) -> SeriesResult:
    checks.check_title(request.title)
    days = expand(request)
    key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
    digest = idempotency.request_hash(OPERATION, request)
    try:
        record, replayed = await _book_occurrences(service, actor_id, request, days, key, digest)
    except _NothingBooked as nothing:
        return SeriesResult(None, [Occurrence(day, None, error) for day, _id, error in nothing.outcomes])
    # Read back what was committed (savepoint rollbacks expire the objects of the failed occurrences' session).
    async with service.db.read() as session:
        result = await _from_record(session, record)
    if not replayed:
        for occurrence in result.occurrences:
            if occurrence.booking is not None:
                await service.project(occurrence.booking)
    return result


Outcome = tuple[date, int | None, DomainError | None]


class _NothingBooked(Exception):
    """Rolls back the series row when every occurrence was skipped."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        super().__init__("nothing booked")
        self.outcomes = outcomes


async def _book_occurrences(
    service: BookingService,
    actor_id: int,
    request: RecurringRequest,
    days: list[date],
    key: str | None,
    digest: str,
) -> tuple[dict[str, Any], bool]:
    """Book every occurrence in one transaction; return the series record (as stored for replays)."""
    async with service.db.write() as session:
        if key is not None and (stored := await idempotency.stored_result(session, actor_id, key, OPERATION, digest)):
            return stored, True
        space = await places.get_space(session, request.space_id)
        is_room = space.kind == SpaceKind.ROOM
        if request.attendee_ids and not is_room:
            raise InvalidInput("attendeeIds", BookingInputCode.ATTENDEES_FOR_ROOMS_ONLY)
        attendee_count = request.attendee_count
        if attendee_count is None and is_room:
            attendee_count = len(request.attendee_ids) + 1
        series = BookingSeries(
            space_id=space.id,
            employee_id=request.for_employee_id or actor_id,
            booked_by_id=actor_id,
            rrule=rule_text(request.rrule),
            starts_on=request.starts_on,
            start_time=request.start,
            end_time=request.end,
            time_zone=space.floor.building.time_zone,
            title=request.title,
            attendee_count=attendee_count if is_room else None,
            created_at=service.clock(),
        )
        session.add(series)
        await session.flush()
        series_id = series.id
        outcomes: list[Outcome] = []
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
                    request.attendee_ids,
                )
                if is_room
                else BookDeskRequest(space.id, day, request.start, request.end, request.for_employee_id)
            )
            try:
                async with session.begin_nested():
                    booking = await service.prepare(session, actor_id, single)
                    booking.series_id = series_id
                    session.add(booking)
                    await session.flush()
                    booking_id = booking.id
                    if request.attendee_ids:  # every occurrence invites them (checked by prepare, per occurrence)
                        add_attendees(session, booking_id, request.attendee_ids)
                        await session.flush()
            except DomainError as error:
                outcomes.append((day, None, error))
                continue
            except IntegrityError as exc:  # lost a race to a concurrent booking: the constraint decided
                if not is_overlap_violation(exc):
                    raise
                lost = BookingConflict([Conflict(ConflictKind.SPACE_TAKEN, 0, service.clock(), service.clock())])
                outcomes.append((day, None, lost))
                continue
            await events.record(session, EventKind.CREATED, booking, actor_id=actor_id)
            outcomes.append((day, booking_id, None))
        if not any(booking_id for _day, booking_id, _error in outcomes):
            raise _NothingBooked(outcomes)
        record = _to_record(series_id, outcomes)
        if key is not None:
            idempotency.record(session, actor_id, key, OPERATION, digest, record)
    return record, False


def _to_record(series_id: int, outcomes: list[Outcome]) -> dict[str, Any]:
    def error_record(error: DomainError) -> dict[str, Any]:
        record: dict[str, Any] = {
            "type": type(error).__name__,
            "code": error.code,
            "params": {k: str(v) for k, v in error.params.items()},
        }
        if isinstance(error, BookingConflict):
            record["conflicts"] = [
                {
                    "kind": c.kind.value,
                    "booking_id": c.booking_id,
                    "start_at": c.start_at.isoformat(),
                    "end_at": c.end_at.isoformat(),
                }
                for c in error.conflicts
            ]
        return record

    return {
        "series_id": series_id,
        "occurrences": [
            {"day": day.isoformat(), "booking_id": booking_id, "error": error_record(error) if error else None}
            for day, booking_id, error in outcomes
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
            return BookingConflict(
                [
                    Conflict(
                        ConflictKind(c["kind"]),
                        c["booking_id"],
                        datetime.fromisoformat(c["start_at"]),
                        datetime.fromisoformat(c["end_at"]),
                    )
                    for c in record.get("conflicts", [])
                ]
            )
        case "InvalidInput":
            field = params.pop("field", "")
            return InvalidInput(field, _code(InputCode, record), **params)
        case "NotFound":
            return NotFound(params["kind"], params["ident"], _code(NotFoundCode, record))
        case "PermissionDenied":
            return PermissionDenied(_code(PermissionCode, record), **params)
        case "PolicyRefusal":
            policy, legal_basis = params.pop("policy", "-"), params.pop("legal_basis", "-")
            return PolicyRefusal(_code(RefusalCode, record), policy=policy, legal_basis=legal_basis, **params)
    return DomainError(_code(ErrorCode, record), **params)


def _code(kind: type[C], record: dict[str, Any]) -> C:
    code = code_named(kind, record["code"])
    assert isinstance(code, kind)
    return code


async def stored_series_result(service: BookingService, actor_id: int, key: str) -> SeriesResult | None:
    """The result a series booked by ``actor_id`` under idempotency ``key`` had, per occurrence, as it is now (the
    bookings read back); None when no series was stored under that key. For a page that shows a series' result
    after a post/redirect/get: the skipped occurrences' reasons live only in that record."""
    async with service.db.read() as session:
        row = await session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.actor_id == actor_id,
                IdempotencyKey.key == key,
                IdempotencyKey.operation == OPERATION,
            )
        )
        return await _from_record(session, row.result) if row is not None else None
