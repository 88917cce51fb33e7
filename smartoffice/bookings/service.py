"""Booking, validating, cancelling and deciding on bookings of desks and rooms.

Every write runs in one ``Database.write()`` transaction: the rules (``checks``), then the insert or update; the
database's constraints (PostgreSQL) or the ``BEGIN IMMEDIATE`` lock plus triggers (SQLite) decide races. Only
after the commit is the change projected into the availability index, so the index can lag SQL but never lead
it. A dry run (``validate``) runs the very same path, insert and constraints included, then rolls back.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.audit.record import Actor, record_change
from smartoffice.availability.service import AvailabilityService, HoldResult, HoldStatus
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings import checks, idempotency
from smartoffice.bookings.attendees import add_attendees, attendees_by_booking, employees_by_entry
from smartoffice.bookings.errors import BookingInputCode, BookingPermissionCode
from smartoffice.bookings.facts import BookingFacts, BookingFactsView
from smartoffice.bookings.listing import BookingListPage, BookingSearch, list_bookings, visible_bookings_by_id
from smartoffice.bookings.models import (
    ACTIVE_STATUSES,
    PERSON_OVERLAP_CONSTRAINT,
    SPACE_OVERLAP_CONSTRAINT,
    SQLITE_OVERLAP_ERROR,
    Booking,
    BookingStatus,
    overlapping,
)
from smartoffice.bookings.occupants import FloorWindow, SpaceBooking, bookings_in_windows
from smartoffice.bookings.permissions import can_book_for, can_cancel, can_decide
from smartoffice.bookings.preparing import prepare_booking
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest, CancelScope, SpaceRequest
from smartoffice.bookings.rules import RuleNumbers
from smartoffice.bookings.sql import decode_cursor, encode_cursor, get_booking
from smartoffice.bookings.visibility import refusal
from smartoffice.db import MAX_PAGE_SIZE, Database, utcnow
from smartoffice.errors import (
    BookingConflict,
    CommonInputCode,
    CommonPermissionCode,
    Conflict,
    ConflictKind,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.metrics import BOOKINGS
from smartoffice.people import service as people
from smartoffice.people.models import Employee
from smartoffice.places import service as places
from smartoffice.places.models import DeskRelease, Floor, Space, SpaceKind
from smartoffice.waitlist.grant import grant_freed

MAX_DECISION_REASON = 500
"""A rejection's reason is kept in ``bookings.cancel_reason``: the column's length."""

__all__ = ["BookDeskRequest", "BookRoomRequest", "BookingPreview", "BookingService", "is_overlap_violation"]


@dataclass(frozen=True, slots=True)
class BookingPreview:
    """What a booking would be: the answer of a successful dry run."""

    space: Space
    employee_id: int
    start_at: datetime
    end_at: datetime
    status: BookingStatus


@dataclass(frozen=True, slots=True)
class BookingPage:
    bookings: Sequence[Booking]
    has_next: bool

    def cursor(self, booking: Booking) -> str:
        return encode_cursor(booking)


class _DryRun(Exception):
    """Raised inside a dry run's transaction, after the insert, so that it rolls back."""

    def __init__(self, preview: BookingPreview) -> None:
        super().__init__("dry run")
        self.preview = preview


class BookingService:
    def __init__(
        self,
        db: Database,
        availability: AvailabilityService,
        clock: Callable[[], datetime] = utcnow,
        facts: BookingFacts | None = None,
    ) -> None:
        self.db = db
        self.availability = availability
        self.clock = clock
        self.facts = facts
        """The process's cache of rules, calendar, building policies and places (``bookings/facts.py``); without
        it every fact is read from SQL and no hold is taken."""

    async def _facts(self) -> BookingFactsView:
        return await self.facts.view() if self.facts is not None else BookingFactsView()

    async def book_desk(
        self, actor_id: int, request: BookDeskRequest, *, idempotency_key: str | None = None
    ) -> Booking:
        """Book a desk. Raises NotFound, InvalidInput, PermissionDenied or BookingConflict; changes nothing then."""
        return await self.book(actor_id, request, idempotency_key=idempotency_key)

    async def book_room(
        self, actor_id: int, request: BookRoomRequest, *, idempotency_key: str | None = None
    ) -> Booking:
        """Book a room; it starts PENDING when the room requires approval."""
        return await self.book(actor_id, request, idempotency_key=idempotency_key)

    async def validate(self, actor_id: int, request: SpaceRequest) -> BookingPreview:
        """Exactly what booking would answer, without booking (the insert runs and is rolled back)."""
        try:
            async with self.db.write() as session:
                booking = await self.prepare(session, actor_id, request)
                await self._insert(session, booking, request)
                raise _DryRun(_preview(booking))
        except _DryRun as done:
            return done.preview
        except IntegrityError as exc:
            raise await self._conflict_after_race(exc, actor_id, request) from None

    async def book(self, actor_id: int, request: SpaceRequest, *, idempotency_key: str | None = None) -> Booking:
        kind = request.kind.value
        try:
            booking = await self._book(actor_id, request, idempotency_key)
        except BookingConflict:
            BOOKINGS.labels(kind, "conflict").inc()
            raise
        except DomainError:
            BOOKINGS.labels(kind, "refused").inc()
            raise
        BOOKINGS.labels(kind, "booked").inc()
        return booking

    async def _book(self, actor_id: int, request: SpaceRequest, idempotency_key: str | None) -> Booking:
        operation = f"book_{request.kind.value}"
        digest = idempotency.request_hash(operation, request)
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        facts = await self._facts()
        hold = await self._hold(actor_id, request, facts) if key is None else None
        try:
            async with self.db.write() as session:
                if key is not None and (
                    stored := await idempotency.stored_result(session, actor_id, key, operation, digest)
                ):
                    return await get_booking(session, stored["booking_id"])
                booking = await self.prepare(session, actor_id, request, facts)
                await self._insert(session, booking, request)
                await events.record(session, EventKind.CREATED, booking, actor_id=actor_id)
                if key is not None:
                    idempotency.record(session, actor_id, key, operation, digest, {"booking_id": booking.id})
        except BaseException as exc:
            if hold is not None:
                await self.availability.release(hold)
            if not isinstance(exc, IntegrityError | BookingConflict):
                raise
            # A concurrent request with the same key may have won while this one ran: then it is a replay.
            if key is not None and (replayed := await self._replay(actor_id, key, operation, digest)):
                return replayed
            if isinstance(exc, BookingConflict):
                raise
            raise await self._conflict_after_race(exc, actor_id, request) from None
        await self.project(booking, hold)
        return booking

    async def _hold(self, actor_id: int, request: SpaceRequest, facts: BookingFactsView) -> HoldResult | None:
        """Hold the requested slots in the index before the write transaction: a hint, never the decision.

        The window is worked out from the cached places and rule (no SQL when they are current; a cold process
        loads its places once, whatever the burst; no hold at all when the cache's version is unknown, i.e. Redis
        is unavailable, as the hold would be). A slot the index
        shows TAKEN is confirmed by running every check in a read transaction, so a lost race is answered without
        queueing for the write lock, with the very error the write path would give. If the checks pass (the
        holder's transaction failed, or its hold is stale) the write path runs as usual. Any failure to work out
        the window skips the hold: the write path reports the error.
        """
        spaces = await facts.places(self.db.read)
        place = spaces.get(request.space_id) if spaces is not None else None
        if place is None or place.hours.kind != request.kind:
            return None
        try:
            rule = await facts.rule_outside(self.db.read, place.building_id, request.kind)
            window = checks.resolve_place_window(place.hours, rule, request.day, request.start, request.end)
        except DomainError:
            return None
        hold = await self.availability.hold(
            request.space_id, place.floor_id, place.hours.time_zone, window.start_at, window.blocks_until
        )
        if hold.status == HoldStatus.TAKEN:
            async with self.db.read() as session:
                await self.prepare(session, actor_id, request, facts)  # raises BookingConflict when the index is right
        return hold

    async def prepare(
        self, session: AsyncSession, actor_id: int, request: SpaceRequest, facts: BookingFactsView | None = None
    ) -> Booking:
        """Check every rule for ``request`` and return the (unsaved) booking. Also used by recurring bookings.

        In a write transaction it takes row locks as it loads them: the space's, then the person's (``FOR NO KEY
        UPDATE``, PostgreSQL; the occupancy cap then locks the building), in that order in every booking
        transaction. The exclusion constraints alone are a correct arbiter but a poor queue: PostgreSQL checks them
        after the index insert, so two racers can each find the other's uncommitted row, wait for each other, and
        the deadlock detector aborts one of them with an error instead of a conflict (CI saw 63 of 64 racers fail
        that way). With the rows locked, racers wait their turn and then *see* the winner's committed booking: the
        checks answer with a typed conflict, and a person's limits are counted without a race. ``FOR NO KEY
        UPDATE`` still lets other transactions insert rows that reference these (foreign key checks take ``KEY
        SHARE``). SQLite renders no lock clause: ``BEGIN IMMEDIATE`` serialises writers already. Read transactions
        (the hold's confirmation, the report after a lost race) lock nothing.

        The rules, calendar and building policies come from ``facts`` (the process's cache, see
        ``bookings/facts.py``); the space, the person and what is booked are read here (``preparing.py``).
        """
        return await prepare_booking(session, actor_id, request, facts or await self._facts(), self.clock())

    async def cancel(self, actor_id: int, booking_id: int) -> Booking:
        return (await self.cancel_bookings(actor_id, booking_id))[0]

    async def cancel_bookings(
        self,
        actor_id: int,
        booking_id: int,
        scope: CancelScope = CancelScope.ONE,
        *,
        idempotency_key: str | None = None,
    ) -> list[Booking]:
        """Cancel a booking, or with it the later occurrences of its series, or the series' whole future.

        Returns the named booking first, then the others cancelled with it.
        """
        operation, digest = "cancel", idempotency.request_hash("cancel", {"booking_id": booking_id, "scope": scope})
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        now = self.clock()
        async with self.db.write() as session:
            if key is not None and (
                stored := await idempotency.stored_result(session, actor_id, key, operation, digest)
            ):
                return [await get_booking(session, i) for i in stored["booking_ids"]]
            anchor = await get_booking(session, booking_id, for_update=True)
            await self.require_can_cancel(session, actor_id, anchor)
            bookings = [anchor]
            if scope != CancelScope.ONE:
                if anchor.series_id is None:
                    raise InvalidInput("scope", BookingInputCode.NOT_RECURRING)
                query = select(Booking).where(
                    Booking.series_id == anchor.series_id,
                    Booking.status.in_(ACTIVE_STATUSES),
                    Booking.end_at > now,
                    Booking.id != anchor.id,
                )
                if scope == CancelScope.THIS_AND_FOLLOWING:
                    query = query.where(Booking.start_at >= anchor.start_at)
                bookings += list(await session.scalars(query.order_by(Booking.start_at).with_for_update()))
            rule = await (await self._facts()).rule(session, anchor.space.floor.building_id, anchor.space_kind)
            for booking in bookings:
                booking.space = anchor.space
                if booking is anchor or booking.is_active:
                    self.apply_cancel(booking, rule)
            await events.record(session, EventKind.CANCELLED, bookings, actor_id=actor_id)
            granted = await grant_freed(session, bookings, now, self)  # the waitlist's first in line, same commit
            if key is not None:
                idempotency.record(session, actor_id, key, operation, digest, {"booking_ids": [b.id for b in bookings]})
        for booking in bookings:
            await self.project(booking)
        for booking in granted:
            await self.project(booking)
        return bookings

    async def decide(
        self, actor_id: int, booking_id: int, *, accept: bool, reason: str | None = None, via: str = "api"
    ) -> Booking:
        """An approver accepts (PENDING → BOOKED) or rejects (→ REJECTED, freeing the room) a pending booking.

        A rejection's ``reason`` is kept in ``cancel_reason`` (what the person is told); the decision is audited."""
        reason = (reason or "").strip() or None
        if reason is not None and len(reason) > MAX_DECISION_REASON:
            raise InvalidInput("reason", CommonInputCode.TEXT_TOO_LONG, max=MAX_DECISION_REASON)
        async with self.db.write() as session:
            booking = await get_booking(session, booking_id, for_update=True)
            site_id = booking.space.floor.building.site_id
            if not await can_decide(session, actor_id, booking.space, site_id):
                raise await refusal(session, actor_id, booking, BookingPermissionCode.NOT_AN_APPROVER)
            if booking.status != BookingStatus.PENDING:
                raise InvalidInput("bookingId", BookingInputCode.NOT_PENDING)
            booking.status = BookingStatus.BOOKED if accept else BookingStatus.REJECTED
            booking.decided_by_id, booking.decided_at = actor_id, self.clock()
            if not accept:
                booking.cancel_reason = reason
            booking.version += 1
            await events.record(session, EventKind.DECIDED, booking, actor_id=actor_id)
            record_change(
                session,
                Actor(actor_id, via),
                "booking.decide",
                at=booking.decided_at,
                entity_kind="Booking",
                entity_id=booking.id,
                before={"status": BookingStatus.PENDING},
                after={"status": booking.status, "reason": booking.cancel_reason if not accept else None},
                site_id=site_id,
            )
        await self.project(booking)
        return booking

    async def release_assigned_desk(
        self, actor_id: int, desk_id: int, day: date, *, own_desk_only: bool = False
    ) -> Space:
        """The owner of an assigned desk (or their manager) lets others book it on one local day; the desk.

        ``own_desk_only``: the owner only, not their manager (an app token without bookings:write:any)."""
        async with self.db.write() as session:
            desk = await places.get_space(session, desk_id, SpaceKind.DESK)
            if desk.assigned_employee_id is None:
                raise InvalidInput("deskId", BookingInputCode.DESK_NOT_ASSIGNED)
            if own_desk_only and desk.assigned_employee_id != actor_id:
                raise PermissionDenied(BookingPermissionCode.NOT_YOUR_DESK)
            owner = await people.get_employee(session, desk.assigned_employee_id)
            if not await can_book_for(session, actor_id, owner, desk.floor.building.site_id):
                raise PermissionDenied(BookingPermissionCode.NOT_YOUR_DESK)
            released = await session.scalar(
                select(DeskRelease.id).where(DeskRelease.space_id == desk.id, DeskRelease.day == day)
            )
            if released is None:
                session.add(DeskRelease(space_id=desk.id, day=day, released_by_id=actor_id, created_at=self.clock()))
        return desk

    async def get(self, actor_id: int, booking_id: int) -> Booking:
        async with self.db.read() as session:
            booking = await get_booking(session, booking_id)
        if booking.employee_id != actor_id and booking.booked_by_id != actor_id:
            raise NotFound("Booking", booking_id)
        return booking

    async def require_own(self, actor_id: int, booking_id: int) -> None:
        """For an app token limited to its owner's bookings (``bookings:write:self``): NotFound unless the owner
        may see the booking, PermissionDenied unless it is the owner's own (see ``visibility.refusal``)."""
        async with self.db.read() as session:
            booking = await get_booking(session, booking_id)
            if booking.employee_id != actor_id:
                raise await refusal(session, actor_id, booking, CommonPermissionCode.PERMISSION_DENIED)

    async def find(self, actor_id: int, booking_id: int) -> Booking | None:
        """As :meth:`get`, but ``None`` where that raises NotFound (e.g. a booking an event named, since gone)."""
        try:
            return await self.get(actor_id, booking_id)
        except NotFound:
            return None

    async def search(self, viewer_id: int, search: BookingSearch, first: int, after: str | None) -> BookingListPage:
        """The bookings ``viewer_id`` may see that match ``search``, one keyset page."""
        async with self.db.read() as session:
            return await list_bookings(session, viewer_id, search, first, after)

    async def visible_by_id(self, viewer_id: int, ids: Sequence[int]) -> Sequence[Booking]:
        """The bookings among ``ids`` that ``viewer_id`` may see (as :meth:`search` would), with their place."""
        async with self.db.read() as session:
            return await visible_bookings_by_id(session, viewer_id, ids)

    async def occupants(
        self, windows: Sequence[FloorWindow], viewer_id: int | None, *, may_see_names: bool
    ) -> list[list[SpaceBooking]]:
        """A DataLoader's batch: each window's active bookings, with occupants as far as the viewer may know;
        one query, in a short session of its own (concurrent batches never share one)."""
        async with self.db.read() as session:
            return await bookings_in_windows(session, windows, viewer_id, may_see_names=may_see_names)

    async def upcoming(self, employee_id: int, first: int = 20, after: str | None = None) -> BookingPage:
        """Active bookings of a person that have not ended, in start order, keyset-paginated."""
        first = max(1, min(first, MAX_PAGE_SIZE))
        query = (
            select(Booking)
            .where(
                Booking.employee_id == employee_id,
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.end_at > self.clock(),
            )
            .options(joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building))
            .order_by(Booking.start_at, Booking.id)
            .limit(first + 1)
        )
        if after is not None:
            query = query.where(tuple_(Booking.start_at, Booking.id) > decode_cursor(after))
        async with self.db.read() as session:
            rows = (await session.scalars(query)).all()
        return BookingPage(rows[:first], has_next=len(rows) > first)

    async def cancelled_for(self, employee_id: int, limit: int = 10) -> Sequence[Booking]:
        """A person's bookings that someone else cancelled with a reason (a closure, a retired desk) and that
        had not yet started then, latest cancellation first, with their place: what they must be told."""
        query = (
            select(Booking)
            .where(
                Booking.employee_id == employee_id,
                Booking.status == BookingStatus.CANCELLED,
                Booking.cancel_reason.is_not(None),
                Booking.end_at > self.clock(),
            )
            .options(joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building))
            .order_by(Booking.cancelled_at.desc(), Booking.id)
            .limit(limit)
        )
        async with self.db.read() as session:
            return (await session.scalars(query)).all()

    async def on_day(self, employee_id: int, day: LocalDay) -> Sequence[Booking]:
        """A person's active bookings that overlap a local day."""
        query = select(Booking).where(
            Booking.employee_id == employee_id,
            Booking.status.in_(ACTIVE_STATUSES),
            overlapping(day.start_at, day.end_at, until=Booking.end_at),
        )
        async with self.db.read() as session:
            return (await session.scalars(query)).all()

    # shared with recurring bookings and check-in

    async def require_can_cancel(self, session: AsyncSession, actor_id: int, booking: Booking) -> None:
        if actor_id in (booking.employee_id, booking.booked_by_id):
            return
        employee = await people.get_employee(session, booking.employee_id)
        if not await can_cancel(session, actor_id, booking, employee, booking.space.floor.building.site_id):
            raise await refusal(session, actor_id, booking, BookingPermissionCode.NOT_YOURS_TO_CANCEL)

    def apply_cancel(self, booking: Booking, rule: RuleNumbers) -> None:
        """Cancel an active booking inside the caller's transaction (checks the cancellation deadline)."""
        if not booking.is_active:
            raise InvalidInput("bookingId", BookingInputCode.ALREADY_CANCELLED)
        now = self.clock()
        if booking.end_at <= now:
            raise InvalidInput("bookingId", BookingInputCode.ALREADY_ENDED)
        checks.check_cancellation_deadline(booking, rule, now)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.version += 1

    async def _insert(self, session: AsyncSession, booking: Booking, request: SpaceRequest) -> None:
        """The checked booking and, for a room, its invitations (before the caller records the event)."""
        session.add(booking)
        await session.flush()
        if isinstance(request, BookRoomRequest) and request.attendee_ids:
            add_attendees(session, booking.id, request.attendee_ids)
            await session.flush()

    async def attendees_of(self, booking_ids: Sequence[int]) -> dict[int, list[Employee]]:
        """The colleagues invited to each booking (with unit and organisation): a DataLoader's batch, or a page's;
        one query in a short session of its own. The caller shows them only to someone who may see the booking."""
        if not booking_ids:
            return {}
        async with self.db.read() as session:
            return await attendees_by_booking(session, booking_ids)

    async def attendee_ids_for(self, entries: Sequence[str]) -> list[int]:
        """The people named by a form's lines (e-mail addresses or NIPs), in order; InvalidInput naming the first
        that matches nobody (:func:`~smartoffice.bookings.attendees.employees_by_entry`)."""
        async with self.db.read() as session:
            return await employees_by_entry(session, entries)

    async def project(self, booking: Booking, hold: HoldResult | None = None) -> None:
        """Project a committed change of ``booking`` (its space, floor and building loaded) into the index."""
        space = booking.space
        await self.availability.project(booking, space.floor_id, space.floor.building.time_zone, hold)

    async def _replay(self, actor_id: int, key: str, operation: str, digest: str) -> Booking | None:
        async with self.db.read() as session:
            stored = await idempotency.stored_result(session, actor_id, key, operation, digest)
            return await get_booking(session, stored["booking_id"]) if stored else None

    async def _conflict_after_race(self, exc: IntegrityError, actor_id: int, request: SpaceRequest) -> Exception:
        """A race the checks could not see was decided by the constraint (or trigger): report it as a conflict."""
        if not is_overlap_violation(exc):
            return exc
        async with self.db.read() as session:
            try:
                booking = await self.prepare(session, actor_id, request)
            except BookingConflict as conflict:
                return conflict
            except Exception:  # the winner may since have made another rule fail; the race was still lost
                booking = None
        at = (booking.start_at, booking.end_at) if booking else (self.clock(), self.clock())
        return BookingConflict([Conflict(ConflictKind.SPACE_TAKEN, 0, *at)])


def _preview(booking: Booking) -> BookingPreview:
    return BookingPreview(booking.space, booking.employee_id, booking.start_at, booking.end_at, booking.status)


def is_overlap_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig)
    return any(name in text for name in (SPACE_OVERLAP_CONSTRAINT, PERSON_OVERLAP_CONSTRAINT, SQLITE_OVERLAP_ERROR))
