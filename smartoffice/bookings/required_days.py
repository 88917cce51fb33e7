"""Book my required days: one action books a desk near the team on every required office day of the coming weeks
that has none, and says what happened on each day.

The days are the person's *required* working days (``Requirement.REQUIRED``: anchor days, every day when not
eligible for remote work, ...) from today to the end of the last of ``weeks`` weeks, this week first. A day already
holding a desk booking is left as it is; a day of leave or duty travel is skipped (holidays and weekends are not
working days, so never listed). Every other day gets the free desk nearest the teammates who are in that day
(:func:`~smartoffice.bookings.nearby.desks_near_team`), booked through :meth:`BookingService.book` in **its own
transaction**: every rule applies (booking rules, closures, the occupancy cap, quotas, one desk per person), and a
refusal on one day undoes nothing on the others. A desk lost to someone else between the choice and the booking
is answered by trying the next nearest ones.

With an idempotency key the day-by-day results are stored under it (operation ``bookRequiredDays``, the
mechanism of :mod:`smartoffice.bookings.idempotency`) once every day has been tried: the same key again books
nothing and answers the stored results, and the pages show them after their redirect by that key.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings import idempotency
from smartoffice.bookings.models import IdempotencyKey
from smartoffice.bookings.nearby import desks_near_team
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.bookings.service import BookingService
from smartoffice.db import Database, utcnow
from smartoffice.errors import BookingConflict, CommonInputCode, ConflictKind, DomainError, InvalidInput, NotFound
from smartoffice.i18n import LANGUAGES, Language
from smartoffice.people import service as people
from smartoffice.policies.day_rules import AWAY
from smartoffice.policies.engine import Requirement, monday_of
from smartoffice.policies.service import PolicyService
from smartoffice.policies.weeks import BookedDesk, booked_desks, plan_weeks

OPERATION = "bookRequiredDays"
MAX_WEEKS = 4
"""This week and the three after it: about as far ahead as the default booking rule lets desks be booked."""
DESK_CHOICES = 3
"""Desks tried per day, nearest first, when the nearest is taken between the choice and the booking."""


class DayOutcome(StrEnum):
    BOOKED = "booked"
    """A desk was booked now."""
    ALREADY_BOOKED = "already_booked"
    """The day already held a desk booking: left as it was."""
    AWAY = "away"
    """Leave or duty travel is planned: nothing to book."""
    NO_FREE_DESK = "no_free_desk"
    """No desk the person could book was free that day (closed, full)."""
    REFUSED = "refused"
    """The booking was refused (a rule, a quota, the occupancy cap): see the message."""


@dataclass(frozen=True, slots=True)
class DayResult:
    day: date
    outcome: DayOutcome
    booking_id: int | None = None
    desk_id: int | None = None
    desk_code: str | None = None
    floor_id: int | None = None
    error_code: str | None = None
    """The refusal's code (REFUSED only)."""
    messages: Mapping[str, str] = field(default_factory=dict)
    """The refusal in each of the app's languages (stored with the result, so a replay can still say it)."""

    def message_in(self, language: Language) -> str | None:
        return self.messages.get(language)

    def as_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "outcome": self.outcome.value,
            "booking_id": self.booking_id,
            "desk_id": self.desk_id,
            "desk_code": self.desk_code,
            "floor_id": self.floor_id,
            "error_code": self.error_code,
            "messages": dict(self.messages),
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> "DayResult":
        return cls(
            date.fromisoformat(stored["day"]),
            DayOutcome(stored["outcome"]),
            stored.get("booking_id"),
            stored.get("desk_id"),
            stored.get("desk_code"),
            stored.get("floor_id"),
            stored.get("error_code"),
            dict(stored.get("messages") or {}),
        )


@dataclass(frozen=True, slots=True)
class RequiredDaysResult:
    weeks: int
    first_day: date
    last_day: date
    days: Sequence[DayResult]
    """In date order: every required working day from ``first_day`` to ``last_day``."""
    replayed: bool = False
    """The results of an earlier request with the same idempotency key: nothing was booked now."""

    @property
    def booked(self) -> int:
        return sum(1 for day in self.days if day.outcome == DayOutcome.BOOKED)

    def as_json(self) -> dict[str, Any]:
        return {
            "weeks": self.weeks,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "days": [day.as_json() for day in self.days],
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any], *, replayed: bool) -> "RequiredDaysResult":
        return cls(
            int(stored["weeks"]),
            date.fromisoformat(stored["first_day"]),
            date.fromisoformat(stored["last_day"]),
            [DayResult.from_json(day) for day in stored["days"]],
            replayed,
        )


class RequiredDaysService:
    def __init__(self, db: Database, availability: AvailabilityService, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.bookings = BookingService(db, availability, self.now)
        """Books each day: every booking rule, as the pages' and the API's bookings."""
        self.policies = PolicyService(db, self.now)
        """Whose ``today()`` (WITA) the weeks are judged on, as My week's."""

    def now(self) -> datetime:
        """``clock()``, read when called: the services above follow a clock set on this service later (tests)."""
        return self.clock()

    async def book(self, actor_id: int, weeks: int, *, idempotency_key: str | None = None) -> RequiredDaysResult:
        """Book the actor's required days of this week and the ``weeks - 1`` after it (1 to :data:`MAX_WEEKS`).

        Raises InvalidInput (``weeks`` out of range, a malformed or reused key) or NotFound (no such person);
        a day's refusal is a result, not an error."""
        if not 1 <= weeks <= MAX_WEEKS:
            raise InvalidInput("weeks", CommonInputCode.OUT_OF_RANGE, low=1, high=MAX_WEEKS)
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        digest = idempotency.request_hash(OPERATION, {"weeks": weeks})
        if key is not None and (replayed := await self._stored(actor_id, key, digest)):
            return replayed
        today = self.policies.today()
        first_monday = monday_of(today)
        last = first_monday + timedelta(days=7 * weeks - 1)
        async with self.db.read() as session:
            await people.get_employee(session, actor_id)
            plans = []
            for n in range(weeks):
                found = await plan_weeks(
                    session, [actor_id], first_monday + timedelta(days=7 * n), today, with_supervisors=False
                )
                if actor_id not in found:  # a person the policy facts do not cover (they left)
                    raise NotFound("Employee", actor_id)
                plans.append(found[actor_id])
            desks = await booked_desks(session, actor_id, today, last)
        results = []
        for plan in plans:
            for day in plan.working_days:
                if day.requirement != Requirement.REQUIRED or day.day < today:
                    continue
                if held := desks.get(day.day):
                    results.append(_already_booked(day.day, held[0]))
                elif day.status in AWAY:
                    results.append(DayResult(day.day, DayOutcome.AWAY))
                else:
                    results.append(await self._book_day(actor_id, day.day))
        result = RequiredDaysResult(weeks, today, last, results)
        if key is not None:
            try:
                async with self.db.write() as session:
                    idempotency.record(session, actor_id, key, OPERATION, digest, result.as_json())
            except IntegrityError:  # the same key, sent twice at once: the other request's results stand
                if replayed := await self._stored(actor_id, key, digest):
                    return replayed
                raise
        return result

    async def stored(self, actor_id: int, key: str) -> RequiredDaysResult | None:
        """The results stored under the actor's key (what the page shows after its redirect), or None."""
        async with self.db.read() as session:
            row = await session.scalar(
                select(IdempotencyKey).where(
                    IdempotencyKey.actor_id == actor_id,
                    IdempotencyKey.key == key,
                    IdempotencyKey.operation == OPERATION,
                )
            )
        if row is None:
            return None
        try:
            return RequiredDaysResult.from_json(row.result, replayed=True)
        except (KeyError, TypeError, ValueError):
            return None

    async def _stored(self, actor_id: int, key: str, digest: str) -> RequiredDaysResult | None:
        async with self.db.read() as session:
            stored = await idempotency.stored_result(session, actor_id, key, OPERATION, digest)
        return RequiredDaysResult.from_json(stored, replayed=True) if stored is not None else None

    async def _book_day(self, actor_id: int, day: date) -> DayResult:
        """The nearest free desk that books; the first refusal that is not a lost race ends the day."""
        async with self.db.read() as session:
            choices = await desks_near_team(session, actor_id, day, limit=DESK_CHOICES)
        if not choices:
            return DayResult(day, DayOutcome.NO_FREE_DESK)
        lost: BookingConflict | None = None
        for choice in choices:
            try:
                booking = await self.bookings.book(actor_id, BookDeskRequest(choice.space_id, day))
            except BookingConflict as exc:
                if {c.kind for c in exc.conflicts} == {ConflictKind.SPACE_TAKEN}:
                    lost = exc
                    continue
                return _refused(day, exc)
            except DomainError as exc:
                return _refused(day, exc)
            return DayResult(day, DayOutcome.BOOKED, booking.id, choice.space_id, choice.code, choice.floor_id)
        assert lost is not None
        return _refused(day, lost)


def _already_booked(day: date, desk: BookedDesk) -> DayResult:
    return DayResult(day, DayOutcome.ALREADY_BOOKED, desk.booking_id, desk.space_id, desk.label, desk.floor_id)


def _refused(day: date, exc: DomainError) -> DayResult:
    messages: dict[str, str] = {language: exc.message_in(language) for language in LANGUAGES}
    return DayResult(day, DayOutcome.REFUSED, error_code=exc.code, messages=messages)
