"""The check-in reminder: "check in by 09:30 or your desk is released", once per booking, from its start.

A BOOKED booking nobody checks in to is released as a no-show at ``max(start_at, created_at) + grace``
(:mod:`smartoffice.bookings.release`, whose :func:`~smartoffice.bookings.release.grace_groups` this job reads the
grace from, so the two never disagree). Every minute this job finds the bookings that have started, are still
BOOKED and whose release is still ahead, and tells each one's person once (CHECK_IN_REMINDER, dedupe
``checkin:<booking id>``, expiring at the release: an email not sent by then is never sent).

**At the start, not before.** The reminder says what is at stake now ("check in by 09:30 or it is released"):
before the start the person may still be on their way and check-in may not be open yet, so an earlier message
would be noise, and one at the start leaves the whole grace to act on it. A booking made after its start (a desk
taken at 10:00 for the day) is reminded as soon as it is seen: its release counts from its creation.

**Bounded.** Per grace group the query is a range on ``(status, start_at)``: started by now, and no earlier than
``grace + MAX_BOOKING_SPAN`` ago (a booking made late ends within ``MAX_BOOKING_SPAN`` of its start, and is made
before it ends), of which only the BOOKED ones whose release is ahead qualify: a few minutes' worth of starts,
because the release job clears the rest. It is read in batches of :data:`BATCH` by id, each batch produced in its
own transaction (a Monday 08:00 with 10,000 desk bookings starting at once is 20 short transactions). Two
processes running it at once make each reminder once (``produce.notify``'s ``ON CONFLICT DO NOTHING``).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Row, Select, String, cast, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import MAX_BOOKING_SPAN, Booking, BookingRule, BookingStatus
from smartoffice.bookings.release import GraceGroup, grace_groups
from smartoffice.db import Database
from smartoffice.notifications.facts import booking_facts
from smartoffice.notifications.models import Notification, NotificationKind
from smartoffice.notifications.produce import Draft, notify
from smartoffice.places.models import Floor, Space

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

BATCH = 500

Due = Row[int, int, datetime, datetime]
"""A booking to remind: id, employee_id, start_at, created_at."""
DEDUPE_PREFIX = "checkin:"


def dedupe_key(booking_id: int) -> str:
    return f"{DEDUPE_PREFIX}{booking_id}"


async def remind_check_ins(db: Database, now: datetime) -> int:
    """Make the check-in reminders due at ``now``; returns how many notifications were made."""
    async with db.read() as session:
        rules = (await session.scalars(select(BookingRule))).all()
    made = 0
    for group in grace_groups(rules):
        after = 0
        while True:
            async with db.write() as session:
                due = (await session.execute(_due(group, now, after))).all()
                if not due:
                    break
                after = due[-1].id
                made += await notify(session, await _drafts(session, group, due), now)
            if len(due) < BATCH:
                break
    return made


def _due(group: GraceGroup, now: datetime, after: int) -> Select[int, int, datetime, datetime]:
    """The group's started, unchecked bookings whose release is still ahead and whose person was not reminded."""
    since = now - group.grace
    spaces = select(Space.id).join(Floor, Floor.id == Space.floor_id).where(group.building_filter)
    reminded = exists().where(
        Notification.recipient_id == Booking.employee_id,
        Notification.dedupe_key == literal(DEDUPE_PREFIX, String) + cast(Booking.id, String),
    )
    return (
        select(Booking.id, Booking.employee_id, Booking.start_at, Booking.created_at)
        .where(
            Booking.status == BookingStatus.BOOKED,
            Booking.start_at <= now,
            Booking.start_at > since - MAX_BOOKING_SPAN,  # bounds the index range (see the module docstring)
            or_(Booking.start_at > since, Booking.created_at > since),  # the release's condition, negated
            Booking.end_at > now,
            Booking.space_kind == group.kind,
            Booking.space_id.in_(spaces),
            Booking.id > after,
            ~reminded,
        )
        .order_by(Booking.id)
        .limit(BATCH)
    )


async def _drafts(session: AsyncSession, group: GraceGroup, due: Sequence[Due]) -> list[Draft]:
    facts = await booking_facts(session, [row.id for row in due])
    drafts = []
    for row in due:
        if (fact := facts.get(row.id)) is None:
            continue
        release_at = max(row.start_at, row.created_at) + group.grace
        drafts.append(
            Draft(
                recipient_id=row.employee_id,
                kind=NotificationKind.CHECK_IN_REMINDER,
                dedupe_key=dedupe_key(row.id),
                data={**fact, "releaseAt": release_at.isoformat()},
                expires_at=release_at,
            )
        )
    return drafts


async def run_check_in_reminders(runtime: "Runtime") -> int:
    """The periodic job; returns how many notifications it made."""
    return await remind_check_ins(runtime.db, runtime.clock())
