"""A person's notifications: the bell's count, the list, marking read, their preferences, and one-click unsubscribe.

Everything here is about one person, the caller: the list and the count are their own in-app rows, marking read
touches only their rows (another person's id is passed over, not refused, so an id tells nobody anything), and
preferences are theirs. The pages' bell does not come from here: its count rides on the viewer's query
(:meth:`smartoffice.people.service.PeopleService.find_viewer`), so that no page pays a query for it.

Preferences are stored only where they differ from the kind's defaults (:data:`~smartoffice.notifications.kinds.
POLICIES`): no row means "the defaults", so a default changed later reaches everyone who never chose otherwise.
"""

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import delete, func, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from smartoffice.db import MAX_PAGE_SIZE, Database, utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.notifications.errors import NotificationInputCode
from smartoffice.notifications.kinds import POLICIES
from smartoffice.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSchedule,
)
from smartoffice.notifications.produce import Channels
from smartoffice.notifications.unsubscribe import Unsubscribe, read_token
from smartoffice.people.models import Employee

DEFAULT_DIGEST_AT = time(7, 0)


@dataclass(frozen=True, slots=True)
class KindChoice:
    """One kind with the channels it reaches the person by."""

    kind: NotificationKind
    email: bool
    in_app: bool
    chosen: bool
    """The person chose these; else they are the kind's defaults."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """When email may arrive (the person's local time): quiet hours, both or neither, and the daily digest."""

    quiet_from: time | None = None
    quiet_until: time | None = None
    daily_digest: bool = False
    digest_at: time = DEFAULT_DIGEST_AT


@dataclass(frozen=True, slots=True)
class Preferences:
    kinds: tuple[KindChoice, ...]
    """Every kind, in :class:`NotificationKind`'s order."""
    schedule: Schedule


@dataclass(frozen=True, slots=True)
class NotificationPage:
    """A page of the person's in-app notifications, newest first."""

    notifications: Sequence[Notification]
    has_next: bool

    @staticmethod
    def cursor(notification: Notification) -> str:
        return encode_cursor(notification.id)


@dataclass(frozen=True, slots=True)
class Unsubscribed:
    employee_id: int
    kind: NotificationKind
    changed: bool
    """False: the kind's email was already off (a second click, a mail client posting twice)."""


class NotificationService:
    def __init__(
        self, db: Database, clock: Callable[[], datetime] = utcnow, *, secret_keys: Sequence[str] = ()
    ) -> None:
        self.db = db
        self.clock = clock
        self.secret_keys = tuple(secret_keys)
        """The keys that may have signed an unsubscribe link: the current one first, then earlier ones."""

    async def unread_count(self, employee_id: int) -> int:
        """The person's unread in-app notifications (the partial index ``ix_notifications_unread``)."""
        async with self.db.read() as session:
            return int(await session.scalar(select(func.count()).where(*unread(employee_id))) or 0)

    async def page(
        self, employee_id: int, *, unread_only: bool = False, first: int = 20, after: str | None = None
    ) -> NotificationPage:
        """The person's in-app notifications, newest first (by id), ``first`` at a time (capped at MAX_PAGE_SIZE);
        ``after`` is a cursor from an earlier page. Raises InvalidInput for a cursor this service did not issue."""
        first = max(1, min(first, MAX_PAGE_SIZE))
        query = select(Notification).where(Notification.recipient_id == employee_id, Notification.in_app)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        if after is not None:
            query = query.where(Notification.id < decode_cursor(after))
        async with self.db.read() as session:
            rows = (await session.scalars(query.order_by(Notification.id.desc()).limit(first + 1))).all()
        return NotificationPage(rows[:first], has_next=len(rows) > first)

    async def mark_read(self, employee_id: int, ids: Sequence[int] | None = None) -> int:
        """Mark the person's own unread notifications among ``ids`` (None: all of them) read; others' ids and ones
        already read are passed over. Returns how many were unread."""
        if ids is not None and not ids:
            return 0
        statement = update(Notification).where(*unread(employee_id)).values(read_at=self.clock())
        if ids is not None:
            statement = statement.where(Notification.id.in_(sorted(set(ids))))
        async with self.db.write() as session:
            result = await session.execute(statement.execution_options(synchronize_session=False))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]  # an UPDATE's CursorResult

    async def open(self, employee_id: int, notification_id: int) -> Notification:
        """One of the person's in-app notifications, marked read (the list's "open" button). Raises NotFound for
        anyone else's."""
        async with self.db.write() as session:
            found = await session.scalar(
                select(Notification).where(
                    Notification.id == notification_id,
                    Notification.recipient_id == employee_id,
                    Notification.in_app,
                )
            )
            if found is None:
                raise NotFound("Notification", notification_id)
            if found.read_at is None:
                found.read_at = self.clock()
            return found

    async def preferences(self, employee_id: int) -> Preferences:
        """Every kind with its channels (the person's choice, else the kind's defaults), and their schedule."""
        async with self.db.read() as session:
            return await _preferences(session, employee_id)

    async def save_preferences(
        self,
        employee_id: int,
        changes: Mapping[NotificationKind, Channels],
        schedule: Schedule | None = None,
    ) -> Preferences:
        """Set the channels of the kinds in ``changes`` (the others stay as they are) and, unless None, the
        schedule. All or nothing: raises InvalidInput (quiet hours with one end, or starting when they end; a time
        that is not a whole minute) before anything is written."""
        if schedule is not None:
            check_schedule(schedule)
        now = self.clock()
        async with self.db.write() as session:
            await _require_employee(session, employee_id)
            for kind, channels in changes.items():
                await _choose(session, employee_id, kind, channels, now)
            if schedule is not None:
                await _save_schedule(session, employee_id, schedule, now)
            return await _preferences(session, employee_id)

    async def unsubscribe_link(self, token: str) -> Unsubscribe:
        """What a one-click link asks for, read only (the confirmation page). Raises NotFound for a link no key of
        ours signed, or whose person no longer exists."""
        asked = self._read(token)
        async with self.db.read() as session:
            await _require_employee(session, asked.employee_id)
        return asked

    async def unsubscribe(self, token: str) -> Unsubscribed:
        """Turn off the email of the kind a signed one-click link names (in-app stays as it was). Idempotent.
        Raises NotFound for a link no key of ours signed, or whose person no longer exists: nothing changes."""
        asked = self._read(token)
        async with self.db.write() as session:
            await _require_employee(session, asked.employee_id)
            current = await _channels(session, asked.employee_id, asked.kind)
            if not current.email:
                return Unsubscribed(asked.employee_id, asked.kind, changed=False)
            channels = Channels(email=False, in_app=current.in_app)
            await _choose(session, asked.employee_id, asked.kind, channels, self.clock())
        return Unsubscribed(asked.employee_id, asked.kind, changed=True)

    def _read(self, token: str) -> Unsubscribe:
        asked = read_token(self.secret_keys, token)
        if asked is None:
            raise NotFound("UnsubscribeLink", "-")
        return asked


IN_APP: ColumnElement[Any] = literal_column("notifications.in_app")
"""``in_app`` written bare, as ``ix_notifications_unread``'s predicate is: SQLite uses a partial index only for a
query that repeats its terms, and SQLAlchemy writes a boolean column there as ``in_app = 1``."""


def unread(employee_id: int) -> tuple[Any, ...]:
    """The person's unread in-app rows, spelled as ``ix_notifications_unread``'s predicate so the index serves it."""
    return (Notification.recipient_id == employee_id, IN_APP, Notification.read_at.is_(None))


def check_schedule(schedule: Schedule) -> None:
    if (schedule.quiet_from is None) != (schedule.quiet_until is None):
        missing = "schedule.quietFrom" if schedule.quiet_from is None else "schedule.quietUntil"
        raise InvalidInput(missing, NotificationInputCode.QUIET_HOURS_INCOMPLETE)
    for field, value in (
        ("schedule.quietFrom", schedule.quiet_from),
        ("schedule.quietUntil", schedule.quiet_until),
        ("schedule.digestAt", schedule.digest_at),
    ):
        if value is not None and (value.second or value.microsecond or value.tzinfo is not None):
            raise InvalidInput(field, NotificationInputCode.NOT_WHOLE_MINUTE)
    if schedule.quiet_from is not None and schedule.quiet_from == schedule.quiet_until:
        raise InvalidInput("schedule.quietUntil", NotificationInputCode.QUIET_HOURS_EMPTY)


def encode_cursor(notification_id: int) -> str:
    return base64.urlsafe_b64encode(f"Notification|{notification_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, ident = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if kind != "Notification" or not ident.isdigit():
            raise ValueError(kind)
        return int(ident)
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR) from exc


async def _require_employee(session: AsyncSession, employee_id: int) -> None:
    if await session.scalar(select(Employee.id).where(Employee.id == employee_id)) is None:
        raise NotFound("Employee", employee_id)


async def _preferences(session: AsyncSession, employee_id: int) -> Preferences:
    chosen = {
        p.kind: p
        for p in await session.scalars(
            select(NotificationPreference).where(NotificationPreference.employee_id == employee_id)
        )
    }
    kinds = []
    for kind in NotificationKind:
        preference = chosen.get(kind)
        if preference is not None:
            kinds.append(KindChoice(kind, preference.email, preference.in_app, chosen=True))
        else:
            kinds.append(KindChoice(kind, POLICIES[kind].email, POLICIES[kind].in_app, chosen=False))
    row = await session.get(NotificationSchedule, employee_id, populate_existing=True)
    schedule = (
        Schedule()
        if row is None
        else Schedule(row.quiet_from, row.quiet_until, row.daily_digest, row.digest_at or DEFAULT_DIGEST_AT)
    )
    return Preferences(tuple(kinds), schedule)


async def _channels(session: AsyncSession, employee_id: int, kind: NotificationKind) -> Channels:
    preference = await session.get(NotificationPreference, (employee_id, kind), populate_existing=True)
    if preference is not None:
        return Channels(email=preference.email, in_app=preference.in_app)
    return Channels(email=POLICIES[kind].email, in_app=POLICIES[kind].in_app)


def _insert(session: AsyncSession) -> Any:
    return sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert


async def _choose(
    session: AsyncSession, employee_id: int, kind: NotificationKind, channels: Channels, now: datetime
) -> None:
    """Store the person's channels for ``kind``: no row when they are the defaults. One statement each, so two
    saves at once cannot both insert."""
    policy = POLICIES[kind]
    if (channels.email, channels.in_app) == (policy.email, policy.in_app):
        await session.execute(
            delete(NotificationPreference).where(
                NotificationPreference.employee_id == employee_id, NotificationPreference.kind == kind
            )
        )
        return
    statement = _insert(session)(NotificationPreference).values(
        employee_id=employee_id, kind=kind, email=channels.email, in_app=channels.in_app, updated_at=now
    )
    new = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[NotificationPreference.employee_id, NotificationPreference.kind],
            set_={"email": new.email, "in_app": new.in_app, "updated_at": new.updated_at},
        )
    )


async def _save_schedule(session: AsyncSession, employee_id: int, schedule: Schedule, now: datetime) -> None:
    values = {
        "quiet_from": schedule.quiet_from,
        "quiet_until": schedule.quiet_until,
        "daily_digest": schedule.daily_digest,
        "digest_at": schedule.digest_at,
        "updated_at": now,
    }
    statement = _insert(session)(NotificationSchedule).values(employee_id=employee_id, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[NotificationSchedule.employee_id],
            set_={name: statement.excluded[name] for name in values},
        )
    )
