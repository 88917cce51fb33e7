"""Notifications from the booking events outbox: who hears of each committed booking change.

The job (:func:`run_notify_booking_events`, registered in :mod:`smartoffice.jobs`) runs in every server process,
as the webhook fan-out does (:mod:`smartoffice.integrations.webhook_delivery`), so every step is safe twice at once:

1. **A read first.** Is any event not yet notified (``notified_at IS NULL``)? Idle runs never take SQLite's write
   lock.
2. **Claim and produce, in one write transaction.** A batch of such events, by id, is claimed ``FOR UPDATE SKIP
   LOCKED`` (PostgreSQL; SQLite's write lock serialises the transactions): their drafts are built,
   :func:`~smartoffice.notifications.produce.notify` inserts them, and the events are marked notified. A crash
   before the commit leaves the events for the next run; two processes never claim one event; and an event
   notified twice anyway (its cursor reset by hand) still makes each notification once: the dedupe key is
   ``event:{event id}:{kind}``, unique per recipient.
3. **Bounded.** Up to :data:`MAX_BATCHES` batches of :data:`BATCH_SIZE` per run; the rest waits for the next.

Nothing here runs in the booking's transaction (its event row is all it writes), so booking is no slower for it.
Events from before migration 0024 were marked notified by it and are never announced.

Who hears what (``in_app`` is False for one's own action: it needs no bell; the email still goes):

======================  ================================================================================
``created``, booked     WAITLIST_GRANTED to the person (cause ``waitlist``), else BOOKING_CONFIRMED; a room's
                        attendees get ROOM_INVITATION ``REQUEST`` (organiser: the person booked)
``created``, pending    APPROVAL_REQUESTED to the room's approvers, or (none named) the facilities managers of
                        its site; BOOKING_CONFIRMED (status pending) to the person
``decided``             APPROVAL_DECIDED to the person and the booker; on approval the attendees' ``REQUEST``
``cancelled``           BOOKING_CANCELLED to the person when someone else (or the system) cancelled it, or a
                        closure or a retired place did; the attendees' ``CANCEL`` (unless it was never approved:
                        they were never invited)
``released``            NO_SHOW_RELEASED to the person
``checked_in``/``out``  nothing (still marked notified)
======================  ================================================================================

The facts (:class:`~smartoffice.notifications.kinds.BookingFacts`) are the booking's names and place as they are
now, with its ``status``, ``version`` and ``reason`` as the event left them: the event describes the change. A batch
reads them with a constant number of queries, whatever its size: the facts, the people named (actors, organisers'
addresses), the attendees, the approvers and the site managers, then ``notify``'s own.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import Booking, BookingAttendee
from smartoffice.db import Database, utcnow
from smartoffice.integrations.models import BookingEvent, EventKind
from smartoffice.notifications.facts import booking_facts
from smartoffice.notifications.kinds import BookingFacts
from smartoffice.notifications.models import NotificationKind as K
from smartoffice.notifications.produce import Draft, notify
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.places.models import Building, Space, room_approvers

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

log = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_BATCHES = 10
PLACE_CAUSES = frozenset({"closure", "place_retired"})
"""Causes of a cancellation the person is told of even when they made no other change: the place went away."""
PENDING, BOOKED = "pending", "booked"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str | None


@dataclass(slots=True)
class BatchFacts:
    """What a batch's events need beyond themselves, read once for the whole batch."""

    bookings: dict[int, BookingFacts]
    """Booking id → its facts as they are now (the event's own status, version and reason go on top)."""
    people: dict[int, Person] = field(default_factory=dict)
    """Actors, and the people booked into rooms (the organiser's address)."""
    attendees: dict[int, list[int]] = field(default_factory=dict)
    """Room booking id → its attendees."""
    never_approved: set[int] = field(default_factory=set)
    """Room bookings that needed approval and never got it: their attendees were never invited."""
    approvers: dict[int, list[int]] = field(default_factory=dict)
    """Room (space) id → its named approvers."""
    site_managers: dict[int, list[int]] = field(default_factory=dict)
    """Building id → the facilities managers of its site."""


class BookingEventNotifier:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = utcnow,
        *,
        batch_size: int = BATCH_SIZE,
        max_batches: int = MAX_BATCHES,
    ) -> None:
        self.db = db
        self.clock = clock
        self.batch_size = batch_size
        self.max_batches = max_batches

    async def run_once(self) -> int:
        """Notify pending events, batch after batch (at most ``max_batches``); returns how many events."""
        if not await self._has_work():  # a read: idle runs must not take SQLite's write lock every few seconds
            return 0
        handled = 0
        for _ in range(self.max_batches):
            claimed = await self.notify_batch()
            handled += claimed
            if claimed < self.batch_size:
                break
        return handled

    async def _has_work(self) -> bool:
        async with self.db.read() as session:
            waiting = select(BookingEvent.id).where(BookingEvent.notified_at.is_(None)).limit(1)
            return (await session.scalar(waiting)) is not None

    async def notify_batch(self) -> int:
        """Claim one batch, make its notifications and mark it notified, in one transaction; returns its size."""
        now = self.clock()
        async with self.db.write() as session:
            claim = (
                select(BookingEvent)
                .where(BookingEvent.notified_at.is_(None))
                .order_by(BookingEvent.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)  # PostgreSQL; SQLite: the write lock already serialises
            )
            events = (await session.scalars(claim)).all()
            if not events:
                return 0
            facts = await load_batch_facts(session, events)
            drafts = [draft for event in events for draft in _drafts_or_none(event, facts)]
            await notify(session, drafts, now)
            await session.execute(
                update(BookingEvent)
                .where(BookingEvent.id.in_([e.id for e in events]))
                .values(notified_at=now)
                .execution_options(synchronize_session=False)
            )
        return len(events)


def _drafts_or_none(event: BookingEvent, batch: BatchFacts) -> list[Draft]:
    """One event's drafts; an event that cannot be read is logged and passed over, never the batch's failure (it
    would be claimed again and again)."""
    try:
        return drafts_for(event, batch)
    except Exception:
        log.exception("booking event %s: no notifications made", event.id)
        return []


async def load_batch_facts(session: AsyncSession, events: Sequence[BookingEvent]) -> BatchFacts:
    """The facts of ``events`` in at most six queries (fewer when no event needs some of them)."""
    batch = BatchFacts(await booking_facts(session, {e.booking_id for e in events}))
    rooms = {e.booking_id for e in events if _booking(e)["spaceKind"] == "room" and e.booking_id in batch.bookings}
    people = {a for e in events if (a := e.payload.get("actorId")) is not None}
    people |= {batch.bookings[b]["personId"] for b in rooms}
    batch.people = await _people(session, people)
    needs_attendees = {e.booking_id for e in events if e.booking_id in rooms and _may_invite(e)}
    batch.attendees, batch.never_approved = await _attendees(session, needs_attendees)
    pending = [batch.bookings[e.booking_id] for e in events if _is_approval_request(e, batch)]
    batch.approvers = await _approvers(session, {f["spaceId"] for f in pending})
    unnamed = {f["buildingId"] for f in pending if not batch.approvers.get(f["spaceId"])}
    batch.site_managers = await _site_managers(session, unnamed)
    return batch


def drafts_for(event: BookingEvent, batch: BatchFacts) -> list[Draft]:
    """The notifications one event makes (the table in the module docstring)."""
    base = batch.bookings.get(event.booking_id)
    if base is None:
        return []  # the booking is gone (its event goes with it; a race with the retention job at most)
    booking = _booking(event)
    actor_id: int | None = event.payload.get("actorId")
    cause: str | None = event.payload.get("cause")
    actor = batch.people.get(actor_id) if actor_id is not None else None
    facts: dict[str, Any] = {
        **base,
        "status": booking["status"],
        "version": booking["version"],
        "actorName": actor.name if actor is not None else None,
    }
    person, booker = base["personId"], base["bookedById"]
    out = _Drafts(event.id, actor_id, facts)
    match event.kind:
        case EventKind.CREATED if booking["status"] == PENDING:
            for approver in _deciders(base, batch):
                out.add(approver, K.APPROVAL_REQUESTED)
            out.add(person, K.BOOKING_CONFIRMED)
        case EventKind.CREATED:
            out.add(person, K.WAITLIST_GRANTED if cause == "waitlist" else K.BOOKING_CONFIRMED)
            out.invite(batch, "REQUEST")
        case EventKind.DECIDED:
            approved = booking["status"] == BOOKED
            decision = {"approved": approved, "note": None if approved else booking.get("reason")}
            for recipient in dict.fromkeys((person, booker)):
                out.add(recipient, K.APPROVAL_DECIDED, decision)
            if approved:
                out.invite(batch, "REQUEST")
        case EventKind.CANCELLED:
            if actor_id != person or cause in PLACE_CAUSES:
                reason = {"reason": booking.get("reason"), "byClosure": cause == "closure"}
                out.add(person, K.BOOKING_CANCELLED, reason)
            if event.booking_id not in batch.never_approved:
                out.invite(batch, "CANCEL")
        case EventKind.RELEASED:
            out.add(person, K.NO_SHOW_RELEASED)
        case _:
            pass  # checked in, checked out: the person did it, there is nothing to tell
    return out.drafts


@dataclass(slots=True)
class _Drafts:
    """One event's drafts as they are added: the dedupe key, the actor and the bell rule in one place."""

    event_id: int
    actor_id: int | None
    facts: dict[str, Any]
    drafts: list[Draft] = field(default_factory=list)

    def add(self, recipient: int, kind: K, extra: dict[str, Any] | None = None) -> None:
        self.drafts.append(
            Draft(
                recipient_id=recipient,
                kind=kind,
                dedupe_key=f"event:{self.event_id}:{kind.value}",
                data={**self.facts, **(extra or {})},
                actor_id=self.actor_id,
                in_app=recipient != self.actor_id,  # one's own action needs no bell
            )
        )

    def invite(self, batch: BatchFacts, method: str) -> None:
        """The room booking's attendees (never the organiser) get its calendar invitation or its cancellation."""
        booking_id, organiser = self.facts["bookingId"], self.facts["personId"]
        attendees = [a for a in batch.attendees.get(booking_id, ()) if a != organiser]
        if not attendees:
            return
        known = batch.people.get(organiser)
        invitation = {
            "method": method,
            "organiserName": self.facts["personName"],
            "organiserEmail": known.email if known is not None else None,
        }
        for attendee in attendees:
            self.add(attendee, K.ROOM_INVITATION, invitation)


def _booking(event: BookingEvent) -> dict[str, Any]:
    booking: dict[str, Any] = event.payload["booking"]
    return booking


def _may_invite(event: BookingEvent) -> bool:
    """Whether the event may send the attendees an invitation or its cancellation."""
    status = _booking(event)["status"]
    return event.kind == EventKind.CANCELLED or (
        event.kind in (EventKind.CREATED, EventKind.DECIDED) and status == BOOKED
    )


def _is_approval_request(event: BookingEvent, batch: BatchFacts) -> bool:
    return (
        event.kind == EventKind.CREATED and _booking(event)["status"] == PENDING and event.booking_id in batch.bookings
    )


def _deciders(facts: BookingFacts, batch: BatchFacts) -> list[int]:
    """Who is asked to decide: the room's approvers, else the facilities managers of its site."""
    return batch.approvers.get(facts["spaceId"]) or batch.site_managers.get(facts["buildingId"], [])


async def _people(session: AsyncSession, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    rows = await session.execute(select(Employee.id, Employee.name, Employee.email).where(Employee.id.in_(ids)))
    return {employee_id: Person(name, email or None) for employee_id, name, email in rows}


async def _attendees(session: AsyncSession, booking_ids: set[int]) -> tuple[dict[int, list[int]], set[int]]:
    """Attendees by booking, and which of those bookings need approval and never had it (one query)."""
    if not booking_ids:
        return {}, set()
    never_approved = and_(Booking.decided_at.is_(None), Space.requires_approval.is_(True))
    rows = await session.execute(
        select(BookingAttendee.booking_id, BookingAttendee.employee_id, never_approved)
        .join(Booking, Booking.id == BookingAttendee.booking_id)
        .join(Space, Space.id == Booking.space_id)
        .where(BookingAttendee.booking_id.in_(booking_ids))
        .order_by(BookingAttendee.booking_id, BookingAttendee.employee_id)
    )
    attendees: dict[int, list[int]] = defaultdict(list)
    unapproved: set[int] = set()
    for booking_id, employee_id, not_approved in rows:
        attendees[booking_id].append(employee_id)
        if not_approved:
            unapproved.add(booking_id)
    return dict(attendees), unapproved


async def _approvers(session: AsyncSession, space_ids: set[int]) -> dict[int, list[int]]:
    if not space_ids:
        return {}
    rows = await session.execute(
        select(room_approvers.c.space_id, room_approvers.c.employee_id)
        .where(room_approvers.c.space_id.in_(space_ids))
        .order_by(room_approvers.c.space_id, room_approvers.c.employee_id)
    )
    return _grouped(rows)


async def _site_managers(session: AsyncSession, building_ids: set[int]) -> dict[int, list[int]]:
    """Building id → the facilities managers of its site (a role held twice, manually and from the identity
    provider, counts once)."""
    if not building_ids:
        return {}
    rows = await session.execute(
        select(Building.id, RoleAssignment.employee_id)
        .join(RoleAssignment, RoleAssignment.site_id == Building.site_id)
        .where(Building.id.in_(building_ids), RoleAssignment.role == Role.FACILITIES_MANAGER)
        .distinct()
        .order_by(Building.id, RoleAssignment.employee_id)
    )
    return _grouped(rows)


def _grouped(rows: Iterable[Any]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return dict(grouped)


async def run_notify_booking_events(runtime: "Runtime") -> int:
    """The periodic job: turn committed booking events into notifications; returns how many events."""
    return await BookingEventNotifier(runtime.db, runtime.clock).run_once()
