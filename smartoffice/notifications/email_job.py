"""Sending the notification emails that are due, from any number of processes, each once.

The ``send_notification_emails`` job (:func:`run_send_emails`, every ``notification_interval_seconds``) runs in
every server process; it does nothing at all, not even a read, when ``SMARTOFFICE_SMTP_URL`` is unset. Each run
(:meth:`EmailSender.run_once`):

1. **Expires** what is no longer worth sending: pending emails whose notification's ``expires_at`` has passed (a
   check-in reminder after the release) or that have waited longer than ``notification_email_max_age_hours``
   (measured from when it was due; once retried, from when it was made, the first due time being gone). They
   become ``expired`` with the reason in ``email_error``, never sent late. Only rows that are due are looked at,
   so a row another process is sending (its lease pushed ``email_due_at`` ahead) is left alone.
2. **Claims** due emails per recipient: the people with the earliest due emails (``batch_size`` of them), then
   all their due rows, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite's write lock serialises the transaction).
   Each claimed row gets ``email_attempts + 1`` and ``email_due_at`` a lease ahead, and the transaction commits:
   no transaction is open while we talk to the SMTP server.
3. **Composes** each person's rows into emails (:func:`~smartoffice.notifications.compose.email_groups`: several
   due together make a digest) in their saved language, and **sends** them over one SMTP connection
   (:mod:`~smartoffice.notifications.mailer`). Anything going wrong while composing or sending one email is that
   email's outcome alone. No email is begun once the lease, less one command's timeout, has run out.
4. **Records** each row's outcome only if it is still ``pending`` at the attempt this run claimed (a row whose
   lease ran out and that another process claimed again is that process's to record): ``sent`` with the time and
   the Message-ID; else retried after an exponential backoff with jitter (1 min doubling to at most 6 h) and after
   ``max_attempts`` (8) ``failed`` with the server's answer. When the *server* is the problem (refused connection,
   login, a dropped connection) every claimed row waits for it: retried at most every 15 minutes, never failed for
   it, until it comes back or the email expires.

**Exactly once, and the crash caveat.** In normal operation an email goes out once however many processes run: a
row is claimed by one process at a time (the lease), and its outcome is recorded once (the attempt check). A
process that dies (or loses its database) after the server accepted a message but before recording it leaves the
row ``pending``; when the lease runs out another process sends it again. Delivery is therefore at least once
across crashes, at most one duplicate per crash and email. Its Message-ID is the same on the resend (compose
derives it from the notifications' ids), so mail systems and people's clients can recognise the duplicate.
"""

import asyncio
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.backoff import exponential_backoff
from smartoffice.db import Database
from smartoffice.i18n import LANGUAGES, Language
from smartoffice.notifications import compose
from smartoffice.notifications.mailer import Delivery, Mailer, Outcome, reason
from smartoffice.notifications.models import EmailStatus, Notification
from smartoffice.people.models import Employee
from smartoffice.settings import Settings

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE: Language = "id"
"""Emails to people who never chose a language are in Indonesian."""
MAX_ROWS_PER_CLAIM = 2000
"""A bound on one run's rows, however many are due to the claimed people (the rest go in the next run)."""
EXPIRED_BY_NOTIFICATION = "expired: its moment passed before it could be sent"
EXPIRED_BY_AGE = "expired: not sent within {hours} h of being due"
Counted = Literal["sent", "retrying", "failed"]


@dataclass(slots=True)
class SendReport:
    expired: int = 0
    sent: int = 0
    """Notifications sent (a digest carries several)."""
    emails: int = 0
    """Messages the server accepted."""
    retrying: int = 0
    failed: int = 0
    lost: int = 0
    """Outcomes not recorded: the row had been claimed again elsewhere after this run's lease ran out."""

    def __bool__(self) -> bool:
        return any((self.expired, self.sent, self.retrying, self.failed, self.lost))


@dataclass(slots=True)
class _Email:
    """One email to send: the rows it carries (each at the attempt this run claimed) and, once built, the message."""

    rows: list[Notification]
    message: EmailMessage | None = None
    message_id: str | None = None
    delivery: Delivery | None = None
    attempts: dict[int, int] = field(default_factory=dict)


class EmailSender:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        settings: Settings,
        *,
        mailer: Mailer | None = None,
        max_attempts: int = 8,
        base_delay: timedelta = timedelta(seconds=60),
        max_delay: timedelta = timedelta(hours=6),
        unreachable_max_delay: timedelta = timedelta(minutes=15),
        lease: timedelta = timedelta(minutes=2),
        batch_size: int = 50,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.mailer = mailer if mailer is not None else Mailer.from_settings(settings)
        """Where the emails go (``settings.smtp_url``, which must be set)."""
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.unreachable_max_delay = unreachable_max_delay
        """While the server is unreachable, emails are retried at least this often (it may come back any time)."""
        self.lease = lease
        self.batch_size = batch_size
        """People served per run (each gets all their due emails)."""
        self.jitter = jitter

    async def run_once(self) -> SendReport:
        report = SendReport()
        if not await self._has_work():  # a read: idle runs must not take SQLite's write lock every few seconds
            return report
        deadline = asyncio.get_running_loop().time() + self.lease.total_seconds()
        emails = await self._claim(report)
        if emails:
            await self._send(emails, deadline)
            await self._record(emails, report)
        return report

    async def _has_work(self) -> bool:
        due = (
            select(Notification.id)
            .where(Notification.email_status == EmailStatus.PENDING, Notification.email_due_at <= self.clock())
            .limit(1)
        )
        async with self.db.read() as session:
            return (await session.scalar(due)) is not None

    async def _claim(self, report: SendReport) -> list[_Email]:
        now = self.clock()
        async with self.db.write() as session:
            report.expired = await self._expire(session, now)
            first_due = (
                select(Notification.recipient_id)
                .where(Notification.email_status == EmailStatus.PENDING, Notification.email_due_at <= now)
                .order_by(Notification.email_due_at, Notification.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)  # another process's people are left to it
            )
            recipients = set(await session.scalars(first_due))
            if not recipients:
                return []
            rows = (
                await session.scalars(
                    select(Notification)
                    .where(
                        Notification.email_status == EmailStatus.PENDING,
                        Notification.email_due_at <= now,
                        Notification.recipient_id.in_(recipients),
                    )
                    .order_by(Notification.recipient_id, Notification.id)
                    .limit(MAX_ROWS_PER_CLAIM)
                    .with_for_update(skip_locked=True)  # PostgreSQL; SQLite: the write lock already serialises
                )
            ).all()
            for row in rows:
                row.email_attempts += 1
                row.email_due_at = now + self.lease
            people = await _addressees(session, {row.recipient_id for row in rows})
        return self._compose(rows, people, now)

    async def _expire(self, session: AsyncSession, now: datetime) -> int:
        """One statement (one lock order) expiring what is due and no longer worth sending, with the reason."""
        hours = self.settings.notification_email_max_age_hours
        too_old = now - timedelta(hours=hours)
        moment_passed = and_(Notification.expires_at.is_not(None), Notification.expires_at <= now)
        expired = await session.scalars(
            update(Notification)
            .where(
                Notification.email_status == EmailStatus.PENDING,
                Notification.email_due_at <= now,
                or_(
                    moment_passed,
                    and_(Notification.email_attempts == 0, Notification.email_due_at < too_old),
                    and_(Notification.email_attempts > 0, Notification.created_at < too_old),
                ),
            )
            .values(
                email_status=EmailStatus.EXPIRED,
                email_error=case((moment_passed, EXPIRED_BY_NOTIFICATION), else_=EXPIRED_BY_AGE.format(hours=hours)),
            )
            .returning(Notification.id)
        )
        return len(expired.all())

    def _compose(
        self, rows: Sequence[Notification], people: dict[int, tuple[str, Language]], now: datetime
    ) -> list[_Email]:
        """The emails for the claimed rows, per person and address (an address changed since an older row was
        made: each row goes where it was meant to). A group that cannot be built is recorded as refused."""
        by_address: dict[tuple[int, str], list[Notification]] = defaultdict(list)
        for row in rows:
            by_address[(row.recipient_id, row.email_to or "")].append(row)
        emails: list[_Email] = []
        for (recipient_id, address), theirs in by_address.items():
            name, language = people.get(recipient_id, ("", DEFAULT_LANGUAGE))
            addressee = compose.Addressee(recipient_id, name, address, language)
            try:
                groups = compose.email_groups(theirs)
            except Exception as exc:
                log.warning("notification emails to %s cannot be grouped", recipient_id, exc_info=True)
                groups = [[row] for row in theirs]
                problem: Delivery | None = Delivery(Outcome.REFUSED, reason(exc))
            else:
                problem = None
            for group in groups:
                emails.append(self._build(addressee, group, now, problem))
        return emails

    def _build(
        self, addressee: compose.Addressee, group: list[Notification], now: datetime, problem: Delivery | None
    ) -> _Email:
        email = _Email(rows=group, attempts={row.id: row.email_attempts for row in group}, delivery=problem)
        if problem is not None:
            return email
        try:
            if not addressee.email:
                raise ValueError("no address to send to")
            message = compose.build_email(addressee, group, self.settings, now)
            if message["Message-ID"] is None:
                message["Message-ID"] = make_msgid(domain="smartoffice.invalid")
            email.message, email.message_id = message, str(message["Message-ID"]).strip()
        except Exception as exc:  # this email's alone: recorded, retried, finally failed with the reason
            log.warning("notification email %s cannot be built", [row.id for row in group], exc_info=True)
            email.delivery = Delivery(Outcome.REFUSED, reason(exc))
        return email

    async def _send(self, emails: list[_Email], deadline: float) -> None:
        ready = [email for email in emails if email.message is not None and email.delivery is None]
        messages = [email.message for email in ready if email.message is not None]
        deliveries = await self.mailer.send(messages, deadline)
        for email, delivery in zip(ready, deliveries, strict=True):
            email.delivery = delivery

    async def _record(self, emails: list[_Email], report: SendReport) -> None:
        now = self.clock()
        async with self.db.write() as session:
            for email in emails:
                delivery = email.delivery or Delivery(Outcome.NOT_ATTEMPTED, "not attempted")
                recorded = 0
                for row in email.rows:
                    attempt = email.attempts[row.id]
                    result, values = self._outcome(delivery, attempt, email.message_id, now)
                    still_ours = await session.scalar(
                        update(Notification)
                        .where(
                            Notification.id == row.id,
                            Notification.email_attempts == attempt,
                            Notification.email_status == EmailStatus.PENDING,
                        )
                        .values(**values)
                        .returning(Notification.id)
                    )
                    if still_ours is None:
                        report.lost += 1
                    else:
                        recorded += 1
                        setattr(report, result, getattr(report, result) + 1)
                if delivery.outcome is Outcome.SENT and recorded:
                    report.emails += 1
                if delivery.outcome is not Outcome.SENT:
                    log.info("notification email %s not sent: %s", [r.id for r in email.rows], delivery.reason)

    def _outcome(
        self, delivery: Delivery, attempt: int, message_id: str | None, now: datetime
    ) -> tuple[Counted, dict[str, Any]]:
        """What this attempt's ``delivery`` makes of a row: the report's counter and the row's new values."""
        if delivery.outcome is Outcome.SENT:
            sent = {"email_status": EmailStatus.SENT, "email_sent_at": now, "email_message_id": message_id}
            return "sent", {**sent, "email_error": None}
        if delivery.outcome is Outcome.NOT_ATTEMPTED:  # never left: this attempt does not count
            return "retrying", {"email_attempts": attempt - 1, "email_due_at": now}
        if delivery.outcome is Outcome.UNREACHABLE:  # the server's fault: wait for it, never fail for it
            delay = min(self.unreachable_max_delay, self.backoff(attempt))
            return "retrying", {"email_due_at": now + delay, "email_error": delivery.reason}
        if attempt >= self.max_attempts:
            return "failed", {"email_status": EmailStatus.FAILED, "email_error": delivery.reason}
        return "retrying", {"email_due_at": now + self.backoff(attempt), "email_error": delivery.reason}

    def backoff(self, attempt: int) -> timedelta:
        """Delay after failed attempt ``attempt`` (1-based): 1 min, 2, 4, ... at most 6 h, with equal jitter."""
        return exponential_backoff(attempt, self.base_delay, self.max_delay, self.jitter())


async def _addressees(session: AsyncSession, employee_ids: set[int]) -> dict[int, tuple[str, Language]]:
    """Each person's name and email language (their saved one if we have it, else Indonesian)."""
    rows = await session.execute(
        select(Employee.id, Employee.name, Employee.language).where(Employee.id.in_(employee_ids))
    )
    by_code: dict[str | None, Language] = {language: language for language in LANGUAGES}
    return {employee_id: (name, by_code.get(saved, DEFAULT_LANGUAGE)) for employee_id, name, saved in rows}


async def run_send_emails(runtime: "Runtime") -> SendReport:
    """The periodic job: send the notification emails that are due; nothing at all when SMTP is not configured."""
    if not runtime.settings.is_email_enabled:
        return SendReport()
    return await EmailSender(runtime.db, runtime.clock, runtime.settings).run_once()
