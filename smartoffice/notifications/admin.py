"""What administrators see of notifications: the email queue, failures with their reasons, and retrying them.

**Administrators only** (:func:`smartoffice.people.roles.is_admin`, checked in each call's transaction; anyone else
gets ``PermissionDenied(ADMINS_ONLY)``). Facilities and unit managers see nothing here, on purpose: the queue holds
every person's address and what they are told (their bookings, exemptions, no-shows), which is none of a site's or
a unit's business; a manager who misses a message asks an administrator.

* :meth:`NotificationAdminService.summary`: how the queue stands (due now, waiting for later, sent in the last 24
  hours, failed, expired) and whether email is configured at all (``SMARTOFFICE_SMTP_URL``).
* :meth:`NotificationAdminService.emails`: the email rows, keyset-paginated; without a status filter the failed
  ones come first (what needs an administrator), then pending, expired, sent, each newest first. The cursor is
  ``base64("<rank>|<id>")``.
* :meth:`NotificationAdminService.retry`: failed or expired emails back to pending, due now, attempts reset, to the
  person's current address; all or nothing, one audit entry per email (``notification_email.retry``).
"""

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import MAX_PAGE_SIZE, Database, utcnow
from smartoffice.errors import CommonInputCode, CommonPermissionCode, InputCode, InvalidInput, PermissionDenied
from smartoffice.i18n import N_
from smartoffice.notifications.models import EmailStatus, Notification, NotificationKind
from smartoffice.people import roles
from smartoffice.people.models import Employee, OrgUnit

MAX_RETRY = 500
"""Emails one retry may name (a page of the list is at most :data:`MAX_PAGE_SIZE`)."""
RETRYABLE = (EmailStatus.FAILED, EmailStatus.EXPIRED)
SENT_WINDOW = timedelta(hours=24)
RANKS: dict[EmailStatus, int] = {
    EmailStatus.FAILED: 0,
    EmailStatus.PENDING: 1,
    EmailStatus.EXPIRED: 2,
    EmailStatus.SENT: 3,
}
"""The list's order without a status filter: what needs an administrator first."""
AUDIT_ACTION = "notification_email.retry"


class NotificationAdminCode(InputCode):
    NOTIFICATION_EMAIL_NOT_RETRYABLE = N_(
        "Only failed or expired emails that are still worth sending can be sent again; %(count)s of those chosen cannot"
    )
    TOO_MANY_NOTIFICATION_EMAILS = N_("At most %(max)s emails can be sent again at once")


@dataclass(frozen=True, slots=True)
class EmailSummary:
    due_now: int
    """Pending and due: the sending job takes them on its next run (many here for long: it is not keeping up)."""
    waiting: int
    """Pending, due later: quiet hours, a daily digest, or a retry's backoff."""
    sent_last_day: int
    failed: int
    expired: int
    oldest_due_at: datetime | None
    """When the longest-waiting due email became due (None: nothing due)."""
    email_enabled: bool
    """Whether ``SMARTOFFICE_SMTP_URL`` is set; unset, nothing is sent and due emails expire in time."""


@dataclass(frozen=True, slots=True)
class QueuedEmail:
    """One notification's email as an administrator sees it."""

    id: int
    recipient: Employee
    """With the org unit and organisation loaded."""
    address: str | None
    kind: NotificationKind
    status: EmailStatus
    attempts: int
    due_at: datetime | None
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime
    expires_at: datetime | None
    retryable: bool
    """Failed or expired, not past its own ``expires_at`` (a check-in reminder after the release is not), and to
    someone still active."""

    @property
    def rank(self) -> int:
        return RANKS[self.status]


@dataclass(frozen=True, slots=True)
class EmailPage:
    emails: Sequence[QueuedEmail]
    has_next: bool

    @staticmethod
    def cursor(email: QueuedEmail) -> str:
        return base64.urlsafe_b64encode(f"{email.rank}|{email.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[int, int]:
    try:
        rank, ident = (int(part) for part in base64.urlsafe_b64decode(cursor.encode()).decode().split("|"))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR) from exc
    if rank not in RANKS.values() or ident < 0:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR)
    return rank, ident


class NotificationAdminService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow, *, email_enabled: bool = False) -> None:
        self.db = db
        self.clock = clock
        self.email_enabled = email_enabled

    async def summary(self, actor_id: int) -> EmailSummary:
        now = self.clock()
        status, due = Notification.email_status, Notification.email_due_at
        pending = status == EmailStatus.PENDING
        query = select(
            func.count().filter(pending, due <= now),
            func.count().filter(pending, due > now),
            func.count().filter(status == EmailStatus.SENT, Notification.email_sent_at >= now - SENT_WINDOW),
            func.count().filter(status == EmailStatus.FAILED),
            func.count().filter(status == EmailStatus.EXPIRED),
            func.min(due).filter(pending, due <= now),
        ).where(status.is_not(None))
        async with self.db.read() as session:
            await _require_admin(session, actor_id)
            due_now, waiting, sent, failed, expired, oldest = (await session.execute(query)).one()
        return EmailSummary(due_now, waiting, sent, failed, expired, oldest, self.email_enabled)

    async def emails(
        self, actor_id: int, *, status: EmailStatus | None = None, first: int = 20, after: str | None = None
    ) -> EmailPage:
        """A page of the email queue (see the module docstring for the order); ``first`` capped at
        MAX_PAGE_SIZE. InvalidInput for a cursor this service did not issue."""
        first = max(1, min(first, MAX_PAGE_SIZE))
        now = self.clock()
        rank = _rank_column()
        query = _emails().where(
            Notification.email_status.is_not(None) if status is None else Notification.email_status == status
        )
        if after is not None:
            after_rank, after_id = decode_cursor(after)
            query = query.where(
                or_(rank > after_rank, and_(rank == after_rank, Notification.id < after_id))
                if status is None
                else Notification.id < after_id
            )
        order = (rank, Notification.id.desc()) if status is None else (Notification.id.desc(),)
        async with self.db.read() as session:
            await _require_admin(session, actor_id)
            rows = (await session.execute(query.order_by(*order).limit(first + 1))).all()
        emails = [_queued(notification, person, now) for notification, person in rows[:first]]
        return EmailPage(emails, len(rows) > first)

    async def retry(self, actor_id: int, ids: Sequence[int], *, via: str = "api") -> list[QueuedEmail]:
        """Send these failed or expired emails again: pending, due now, attempts and error cleared, to the
        recipient's current address. All or nothing: InvalidInput when one of them is not retryable (or does not
        exist), naming how many; each retried email gets an audit entry with its status before and after."""
        wanted = sorted(set(ids))
        if not wanted:
            raise InvalidInput("ids", CommonInputCode.REQUIRED)
        if len(wanted) > MAX_RETRY:
            raise InvalidInput("ids", NotificationAdminCode.TOO_MANY_NOTIFICATION_EMAILS, max=MAX_RETRY)
        now = self.clock()
        async with self.db.write() as session:
            await _require_admin(session, actor_id)
            query = _emails().where(Notification.id.in_(wanted)).with_for_update(of=Notification)
            rows = (await session.execute(query)).all()
            found = [(n, p) for n, p in rows if _is_retryable(n, p, now)]
            if len(found) != len(wanted):
                raise InvalidInput(
                    "ids", NotificationAdminCode.NOTIFICATION_EMAIL_NOT_RETRYABLE, count=len(wanted) - len(found)
                )
            actor = Actor(actor_id, via)
            for notification, person in found:
                _retry_one(session, notification, person, actor, now)
            return [_queued(notification, person, now) for notification, person in found]


async def _require_admin(session: AsyncSession, actor_id: int) -> None:
    if not await roles.is_admin(session, actor_id):
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)


def _emails() -> Select[Notification, Employee]:
    with_unit = joinedload(Employee.org_unit).joinedload(OrgUnit.organisation)
    return select(Notification, Employee).join(Employee, Employee.id == Notification.recipient_id).options(with_unit)


def _rank_column() -> ColumnElement[int]:
    return case({s.value: r for s, r in RANKS.items()}, value=Notification.email_status, else_=len(RANKS))


def _is_retryable(notification: Notification, person: Employee, now: datetime) -> bool:
    """Failed or expired, not past its own moment, and to someone who still works here (produce.notify makes
    nothing for people who left; an old failure of theirs is not worth sending either)."""
    if notification.email_status not in RETRYABLE or not person.active:
        return False
    return notification.expires_at is None or notification.expires_at > now


def _retry_one(
    session: AsyncSession, notification: Notification, person: Employee, actor: Actor, now: datetime
) -> None:
    """Put one email back in the queue, audited."""
    before = {
        "email_status": notification.email_status,
        "email_attempts": notification.email_attempts,
        "email_error": notification.email_error,
        "email_to": notification.email_to,
    }
    notification.email_status = EmailStatus.PENDING
    notification.email_due_at = now
    notification.email_attempts = 0
    notification.email_error = None
    if person.email:  # an address corrected since is where it should go now
        notification.email_to = person.email
    after: dict[str, object] = {
        "email_status": EmailStatus.PENDING,
        "email_attempts": 0,
        "email_error": None,
        "email_due_at": now,
    }
    if notification.email_to != before["email_to"]:
        after["email_to"] = notification.email_to
    record_change(
        session,
        actor,
        AUDIT_ACTION,
        at=now,
        entity_kind="Notification",
        entity_id=notification.id,
        before=before,
        after=after,
    )


def _queued(notification: Notification, person: Employee, now: datetime) -> QueuedEmail:
    assert notification.email_status is not None  # the queries select email rows only
    return QueuedEmail(
        id=notification.id,
        recipient=person,
        address=notification.email_to,
        kind=notification.kind,
        status=notification.email_status,
        attempts=notification.email_attempts,
        due_at=notification.email_due_at,
        last_error=notification.email_error,
        sent_at=notification.email_sent_at,
        created_at=notification.created_at,
        expires_at=notification.expires_at,
        retryable=_is_retryable(notification, person, now),
    )
