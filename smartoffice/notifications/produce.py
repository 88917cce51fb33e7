"""Producing notifications: in the caller's transaction, once per recipient and dedupe key, as people chose.

Every producer (the booking-events job, the exemption service, the reminder jobs) builds :class:`Draft` s and calls
:func:`notify` inside its write transaction. :func:`notify`:

* drops drafts to people who left (``Employee.active`` false) and kinds the person turned off on both channels;
* decides the channels: in-app unless the person turned it off or the draft says not (one's own action needs no
  bell), email unless turned off or the person has no address;
* times the email: :func:`email_due_at` (quiet hours, the daily digest, in the person's zone: their home
  building's, else :data:`DEFAULT_ZONE`);
* inserts with ``ON CONFLICT DO NOTHING`` on ``(recipient_id, dedupe_key)``: the same draft from two processes, or
  a job run twice, makes one notification.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.notifications.kinds import POLICIES
from smartoffice.notifications.models import (
    EmailStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSchedule,
)
from smartoffice.people.models import Employee
from smartoffice.places.models import Building

DEFAULT_ZONE = "Asia/Makassar"
"""A person without a home building reads their quiet hours in WITA, IKN's zone."""
INSERT_BATCH = 500


@dataclass(frozen=True, slots=True)
class Draft:
    recipient_id: int
    kind: NotificationKind
    dedupe_key: str
    data: dict[str, Any]
    actor_id: int | None = None
    expires_at: datetime | None = None
    in_app: bool = True
    """False: never in the bell (the recipient did it themselves)."""
    email: bool = True
    """False: never emailed."""


@dataclass(frozen=True, slots=True)
class Channels:
    """A person's channels for one kind (their preference, else the kind's defaults)."""

    email: bool
    in_app: bool


@dataclass(slots=True)
class Recipient:
    employee_id: int
    email: str | None
    time_zone: str
    schedule: NotificationSchedule | None
    preferences: dict[NotificationKind, NotificationPreference] = field(default_factory=dict)

    def channels(self, kind: NotificationKind) -> Channels:
        chosen = self.preferences.get(kind)
        if chosen is not None:
            return Channels(email=chosen.email, in_app=chosen.in_app)
        policy = POLICIES[kind]
        return Channels(email=policy.email, in_app=policy.in_app)


async def notify(session: AsyncSession, drafts: Sequence[Draft], now: datetime) -> int:
    """Add the drafts' notifications in the caller's transaction; returns how many rows were new."""
    if not drafts:
        return 0
    recipients = await load_recipients(session, {d.recipient_id for d in drafts})
    rows: list[dict[str, Any]] = []
    for draft in drafts:
        recipient = recipients.get(draft.recipient_id)
        if recipient is None:
            continue  # left, or no such person
        channels = recipient.channels(draft.kind)
        in_app = channels.in_app and draft.in_app
        email = channels.email and draft.email and bool(recipient.email)
        if not (in_app or email):
            continue
        rows.append(
            {
                "recipient_id": draft.recipient_id,
                "kind": draft.kind,
                "dedupe_key": draft.dedupe_key[:160],
                "data": draft.data,
                "actor_id": draft.actor_id,
                "created_at": now,
                "expires_at": draft.expires_at,
                "in_app": in_app,
                "read_at": None,
                "email_status": EmailStatus.PENDING if email else None,
                "email_to": recipient.email if email else None,
                "email_due_at": email_due_at(recipient, draft.kind, now) if email else None,
                "email_attempts": 0,
            }
        )
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    made = 0
    for start in range(0, len(rows), INSERT_BATCH):
        statement = (
            dialect.insert(Notification)
            .values(rows[start : start + INSERT_BATCH])
            .on_conflict_do_nothing(index_elements=[Notification.recipient_id, Notification.dedupe_key])
            .returning(Notification.id)
        )
        made += len((await session.scalars(statement)).all())
    return made


async def load_recipients(session: AsyncSession, employee_ids: Iterable[int]) -> dict[int, Recipient]:
    """The active people among ``employee_ids``, with address, zone, schedule and preferences (three queries)."""
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    found: dict[int, Recipient] = {}
    for start in range(0, len(ids), INSERT_BATCH):
        chunk = ids[start : start + INSERT_BATCH]
        people = await session.execute(
            select(Employee.id, Employee.email, Building.time_zone, NotificationSchedule)
            .outerjoin(Building, Building.id == Employee.home_building_id)
            .outerjoin(NotificationSchedule, NotificationSchedule.employee_id == Employee.id)
            .where(Employee.id.in_(chunk), Employee.active.is_(True))
        )
        for employee_id, email, zone, schedule in people:
            found[employee_id] = Recipient(employee_id, email or None, zone or DEFAULT_ZONE, schedule)
        chosen = await session.scalars(
            select(NotificationPreference).where(NotificationPreference.employee_id.in_(chunk))
        )
        for preference in chosen:
            if preference.employee_id in found:
                found[preference.employee_id].preferences[preference.kind] = preference
    return found


def email_due_at(recipient: Recipient, kind: NotificationKind, now: datetime) -> datetime:
    """When the email may go: now, or the end of the person's quiet hours, or (kinds that are not urgent, for a
    person who chose the daily digest) their next digest time, all read in their zone."""
    schedule = recipient.schedule
    if schedule is None:
        return now
    zone = ZoneInfo(recipient.time_zone)
    local = now.astimezone(zone)
    if schedule.daily_digest and not POLICIES[kind].urgent:
        return _next_at(local, schedule.digest_at).astimezone(now.tzinfo)
    quiet_from, quiet_until = schedule.quiet_from, schedule.quiet_until
    if quiet_from is not None and quiet_until is not None and in_quiet_hours(local.time(), quiet_from, quiet_until):
        return _next_at(local, quiet_until).astimezone(now.tzinfo)
    return now


def in_quiet_hours(moment: time, quiet_from: time, quiet_until: time) -> bool:
    """``[quiet_from, quiet_until)``, across midnight when ``quiet_from`` is later (21:00-06:00)."""
    if quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= moment < quiet_until
    return moment >= quiet_from or moment < quiet_until


def _next_at(local: datetime, at: time) -> datetime:
    """The first local ``at`` at or after ``local`` (a wall time skipped by DST resolves forward; one that happens
    twice is either of its two instants).

    Instants are compared in UTC: two datetimes in the same zone compare by wall time alone, which on a DST
    night put a skipped ``at`` a day late and a repeated one in the past."""
    moment = local.astimezone(UTC)
    for day in (local.date(), local.date() + timedelta(days=1)):
        for fold in (0, 1):
            candidate = datetime.combine(day, at, tzinfo=local.tzinfo).replace(fold=fold)
            if candidate.astimezone(UTC) >= moment:
                return candidate
    return datetime.combine(local.date() + timedelta(days=2), at, tzinfo=local.tzinfo)  # unreachable in practice
