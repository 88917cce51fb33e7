"""Notification emails sent to a real SMTP server process (aiosmtpd, tests/support/smtp.py): once each, to the
right person, waiting while the server is down, failing with the reason, expiring instead of going late, after
quiet hours, and not at all when SMTP is not configured or the person turned the kind's email off.

The sender's clock is a test :class:`Clock` moved by hand (no sleeping); its backoff jitter is fixed at 0.5, so
a first retry is due 45 s after a failure (1 min base, equal jitter).
"""

import asyncio
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from smartoffice.notifications import compose
from smartoffice.notifications.email_job import EmailSender, SendReport, run_send_emails
from smartoffice.notifications.mailer import Delivery, parse_smtp_url
from smartoffice.notifications.models import EmailStatus, Notification, NotificationSchedule
from smartoffice.notifications.models import NotificationKind as K
from smartoffice.notifications.produce import Draft, notify
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.clock import Clock
from tests.support.notification_samples import sample_data
from tests.support.notifications import all_notifications, set_preference
from tests.support.smtp import SmtpProcess, running_smtp_server


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpProcess]:
    with running_smtp_server(tmp_path / "smtp") as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()  # 06:00 WITA on a working Tuesday


def sender(runtime: Runtime, smtp: SmtpProcess, clock: Clock, **overrides: Any) -> EmailSender:
    settings = replace(runtime.settings, smtp_url=smtp.url)
    return EmailSender(runtime.db, clock, settings, jitter=lambda: 0.5, **overrides)


def draft(person: Employee, kind: K, key: str, **overrides: Any) -> Draft:
    return Draft(person.id, kind, key, sample_data(kind), **overrides)


async def produce(runtime: Runtime, now: datetime, *drafts: Draft) -> None:
    async with runtime.db.write() as session:
        await notify(session, drafts, now)


async def rows(runtime: Runtime) -> list[Notification]:
    return await all_notifications(runtime)


def received_ids(messages: list[EmailMessage]) -> Counter[str]:
    return Counter(str(m["Message-ID"]).strip() for m in messages)


def assert_each_sent_once(sent: list[Notification], messages: list[EmailMessage]) -> None:
    """Every row is SENT, every email its rows went in arrived exactly once, to the row's address, and nothing
    else arrived (digest-proof: rows map to messages by Message-ID)."""
    assert all(row.email_status == EmailStatus.SENT for row in sent)
    counts = received_ids(messages)
    assert set(counts) == {row.email_message_id for row in sent}
    assert set(counts.values()) == {1}
    by_id = {str(m["Message-ID"]).strip(): m for m in messages}
    for row in sent:
        assert row.email_message_id is not None
        assert by_id[row.email_message_id]["X-RcptTo"] == row.email_to


class TestSending:
    async def test_each_notification_is_received_once_by_its_recipient(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        # given notifications to two people, one of whom chose English
        budi, siti = await factory.employee(language="en"), await factory.employee()
        await produce(
            runtime,
            clock(),
            draft(budi, K.BOOKING_CONFIRMED, "a"),
            draft(budi, K.EXEMPTION_DECIDED, "b"),
            draft(siti, K.ROOM_INVITATION, "c"),
        )

        # when the sender runs, twice
        first = await sender(runtime, smtp, clock).run_once()
        second = await sender(runtime, smtp, clock).run_once()

        # then each went once, to its person, in their language, and the second run had nothing to do
        sent = await rows(runtime)
        assert (first.sent, first.retrying, first.failed) == (3, 0, 0)
        assert not second
        messages = smtp.messages()
        assert_each_sent_once(sent, messages)
        assert all(row.email_sent_at == clock() and row.email_attempts == 1 for row in sent)
        assert {m["X-RcptTo"]: m["Content-Language"] for m in messages} == {budi.email: "en", siti.email: "id"}
        assert first.emails == len(messages)

    async def test_two_senders_at_once_send_each_email_once(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        people = [await factory.employee() for _ in range(6)]
        await produce(runtime, clock(), *(draft(p, K.WAITLIST_GRANTED, f"w{i}") for i, p in enumerate(people)))

        # when four senders, two people each, run side by side until all is sent (each round sends something)
        reports: list[SendReport] = []
        for _ in range(6):
            reports += await asyncio.gather(*(sender(runtime, smtp, clock, batch_size=2).run_once() for _ in range(4)))
            if sum(r.sent for r in reports) == 6:
                break

        # then no row was claimed by two (nothing lost) and each email went once
        assert sum(r.sent for r in reports) == 6
        assert all(r.lost == 0 for r in reports)
        assert_each_sent_once(await rows(runtime), smtp.messages())

    async def test_nothing_is_sent_or_changed_when_smtp_is_not_configured(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess
    ) -> None:
        # given a notification long overdue (a configured sender would expire it)
        person = await factory.employee()
        await produce(runtime, datetime.now(UTC) - timedelta(days=30), draft(person, K.BOOKING_CONFIRMED, "a"))
        [before] = await rows(runtime)
        assert runtime.settings.smtp_url is None

        # when the job runs as every process runs it
        result = await run_send_emails(runtime)

        # then nothing happened
        assert not result
        [after] = await rows(runtime)
        assert _columns(after) == _columns(before)
        assert after.email_status == EmailStatus.PENDING
        assert smtp.messages() == []

    async def test_the_job_sends_when_smtp_is_configured(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        person = await factory.employee()
        await produce(runtime, datetime.now(UTC), draft(person, K.BOOKING_CONFIRMED, "a"))
        monkeypatch.setattr(runtime, "settings", replace(runtime.settings, smtp_url=smtp.url))

        result = await run_send_emails(runtime)

        assert isinstance(result, SendReport) and result.sent == 1
        assert [m["X-RcptTo"] for m in smtp.messages()] == [person.email]


class TestFailures:
    async def test_while_the_server_is_down_emails_wait_and_go_once_it_is_back(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        # given the server is down when two notifications are due
        budi, siti = await factory.employee(), await factory.employee()
        await produce(runtime, clock(), draft(budi, K.BOOKING_CANCELLED, "a"), draft(siti, K.NO_SHOW_RELEASED, "b"))
        smtp.stop()
        jobs = sender(runtime, smtp, clock, max_attempts=2)

        # when the sender tries, more often than max_attempts, as time passes
        for _ in range(4):
            report = await jobs.run_once()
            assert (report.sent, report.retrying, report.failed) == (0, 2, 0)
            assert not await jobs.run_once()  # not due again before its backoff
            clock.advance(minutes=15)

        # then they are still pending, with the attempts counted and the reason recorded
        waiting = await rows(runtime)
        assert {(r.email_status, r.email_attempts) for r in waiting} == {(EmailStatus.PENDING, 4)}
        assert all(r.email_error and "SMTPConnectError" in r.email_error for r in waiting)

        # when the server is back
        smtp.start()
        report = await jobs.run_once()

        # then each goes, once
        assert report.sent == 2
        assert_each_sent_once(await rows(runtime), smtp.messages())

    async def test_a_refused_recipient_fails_with_the_reason_after_the_last_attempt(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        # given a person whose mailbox the server refuses (550), and one it accepts
        gone, fine = await factory.employee(email="bounce-7@example.go.id"), await factory.employee()
        await produce(runtime, clock(), draft(gone, K.APPROVAL_DECIDED, "a"), draft(fine, K.APPROVAL_DECIDED, "b"))
        jobs = sender(runtime, smtp, clock)

        # when the sender tries: retried after backoff, seven times
        first = await jobs.run_once()
        assert (first.sent, first.retrying) == (1, 1)
        [refused] = [r for r in await rows(runtime) if r.recipient_id == gone.id]
        assert (refused.email_status, refused.email_attempts) == (EmailStatus.PENDING, 1)
        assert refused.email_due_at == clock() + timedelta(seconds=45)
        for attempt in range(2, 9):
            clock.advance(hours=6)
            report = await jobs.run_once()
            assert (report.retrying, report.failed) == ((1, 0) if attempt < 8 else (0, 1))

        # then it failed for good, saying why, and only the accepted email arrived (once)
        [failed] = [r for r in await rows(runtime) if r.recipient_id == gone.id]
        assert (failed.email_status, failed.email_attempts) == (EmailStatus.FAILED, 8)
        assert failed.email_error is not None and "550" in failed.email_error and "bounce-7" in failed.email_error
        clock.advance(hours=6)
        assert not await jobs.run_once()
        assert [m["X-RcptTo"] for m in smtp.messages()] == [fine.email]

    async def test_an_email_that_cannot_be_built_fails_alone(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        budi, siti = await factory.employee(), await factory.employee()
        await produce(runtime, clock(), draft(budi, K.WAITLIST_GRANTED, "a"), draft(siti, K.WAITLIST_GRANTED, "b"))
        build = compose.build_email

        def broken_for_budi(addressee: compose.Addressee, *args: Any) -> EmailMessage:
            if addressee.employee_id == budi.id:
                raise KeyError("spaceName")
            return build(addressee, *args)

        monkeypatch.setattr(compose, "build_email", broken_for_budi)

        report = await sender(runtime, smtp, clock).run_once()

        assert (report.sent, report.retrying) == (1, 1)
        by_person = {r.recipient_id: r for r in await rows(runtime)}
        assert by_person[budi.id].email_status == EmailStatus.PENDING
        assert by_person[budi.id].email_error == "KeyError: 'spaceName'"
        assert by_person[siti.id].email_status == EmailStatus.SENT
        assert [m["X-RcptTo"] for m in smtp.messages()] == [siti.email]

    async def test_an_outcome_is_recorded_only_by_the_run_that_still_holds_the_row(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        # given a run so slow that its lease runs out, and another process that claims the row meanwhile
        person = await factory.employee()
        await produce(runtime, clock(), draft(person, K.BOOKING_CONFIRMED, "a"))
        slow, other = sender(runtime, smtp, clock), sender(runtime, smtp, clock)
        slow_send, other_send = slow.mailer.send, other.mailer.send
        other_sending, slow_done = asyncio.Event(), asyncio.Event()
        others: list[asyncio.Task[SendReport]] = []

        async def send_after_the_lease(messages: list[EmailMessage], deadline: float | None = None) -> list[Delivery]:
            clock.advance(minutes=3)
            others.append(asyncio.create_task(other.run_once()))
            await other_sending.wait()
            return await slow_send(messages, deadline)

        async def send_once_the_slow_run_is_done(
            messages: list[EmailMessage], deadline: float | None = None
        ) -> list[Delivery]:
            other_sending.set()
            await slow_done.wait()
            return await other_send(messages, deadline)

        slow.mailer.send = send_after_the_lease  # type: ignore[method-assign]
        other.mailer.send = send_once_the_slow_run_is_done  # type: ignore[method-assign]

        # when the slow run sends and records while the other holds the row
        report = await slow.run_once()

        # then the slow run's outcome is not written over the other's claim (its lease stands)
        assert (report.sent, report.lost) == (0, 1)
        [row] = await rows(runtime)
        assert (row.email_status, row.email_attempts, row.email_due_at) == (
            EmailStatus.PENDING,
            2,
            clock() + timedelta(minutes=2),
        )

        # and the other records its own: the email went twice (at least once when a lease runs out mid-send),
        # both times with the same Message-ID
        slow_done.set()
        assert (await others[0]).sent == 1
        [row] = await rows(runtime)
        assert (row.email_status, row.email_attempts) == (EmailStatus.SENT, 2)
        assert received_ids(smtp.messages()) == Counter({row.email_message_id: 2})

    async def test_no_email_is_begun_that_could_outlive_the_lease(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        # given a lease shorter than one SMTP command's timeout (30 s)
        person = await factory.employee()
        await produce(runtime, clock(), draft(person, K.BOOKING_CONFIRMED, "a"))

        report = await sender(runtime, smtp, clock, lease=timedelta(seconds=20)).run_once()

        # then nothing was sent, and the row is due again at once with its attempt given back
        assert (report.sent, report.retrying) == (0, 1)
        [row] = await rows(runtime)
        assert (row.email_status, row.email_attempts, row.email_due_at) == (EmailStatus.PENDING, 0, clock())
        assert smtp.messages() == []


class TestTiming:
    async def test_an_expired_check_in_reminder_is_not_sent(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        # given two check-in reminders, one whose booking is released before the sender gets to it
        late, timely = await factory.employee(), await factory.employee()
        await produce(
            runtime,
            clock(),
            draft(late, K.CHECK_IN_REMINDER, "a", expires_at=clock() + timedelta(minutes=10)),
            draft(timely, K.CHECK_IN_REMINDER, "b", expires_at=clock() + timedelta(minutes=30)),
        )

        # when the sender runs after the first expired
        clock.advance(minutes=11)
        report = await sender(runtime, smtp, clock).run_once()

        # then it is recorded as expired, with a reason, and only the other one went
        assert (report.expired, report.sent) == (1, 1)
        by_person = {r.recipient_id: r for r in await rows(runtime)}
        assert by_person[late.id].email_status == EmailStatus.EXPIRED
        assert by_person[late.id].email_error and "expired" in by_person[late.id].email_error
        assert by_person[late.id].email_attempts == 0
        assert [m["X-RcptTo"] for m in smtp.messages()] == [timely.email]

    async def test_an_email_waiting_longer_than_the_maximum_age_expires(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        person = await factory.employee()
        await produce(runtime, clock(), draft(person, K.BOOKING_CONFIRMED, "a"))
        clock.advance(hours=runtime.settings.notification_email_max_age_hours, seconds=1)

        report = await sender(runtime, smtp, clock).run_once()

        assert (report.expired, report.sent) == (1, 0)
        [row] = await rows(runtime)
        assert row.email_status == EmailStatus.EXPIRED
        assert row.email_error == "expired: not sent within 72 h of being due"
        assert smtp.messages() == []

    async def test_quiet_hours_delay_an_email_and_do_not_drop_it(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        # given a person with quiet hours 21:00-06:00 (WITA: no home building) and a notification at 22:00
        person = await factory.employee()
        async with runtime.db.write() as session:
            session.add(NotificationSchedule(employee_id=person.id, quiet_from=time(21), quiet_until=time(6)))
        clock.set(time(22))
        await produce(runtime, clock(), draft(person, K.BOOKING_CANCELLED, "a"))
        jobs = sender(runtime, smtp, clock)

        # when the sender runs during the quiet hours
        assert not await jobs.run_once()
        clock.advance(hours=7, minutes=59)  # 05:59
        assert not await jobs.run_once()

        # then nothing was sent, nor tried
        [row] = await rows(runtime)
        assert (row.email_status, row.email_attempts) == (EmailStatus.PENDING, 0)
        assert smtp.messages() == []

        # and when they end, it goes
        clock.advance(minutes=1)
        report = await jobs.run_once()
        assert report.sent == 1
        assert [m["X-RcptTo"] for m in smtp.messages()] == [person.email]

    async def test_a_kind_whose_email_is_turned_off_makes_no_email(
        self, runtime: Runtime, factory: Factory, smtp: SmtpProcess, clock: Clock
    ) -> None:
        person = await factory.employee()
        await set_preference(runtime, person.id, K.BOOKING_CONFIRMED, email=False, in_app=True)
        await produce(runtime, clock(), draft(person, K.BOOKING_CONFIRMED, "a"), draft(person, K.WAITLIST_GRANTED, "b"))

        report = await sender(runtime, smtp, clock).run_once()

        by_kind = {r.kind: r for r in await rows(runtime)}
        assert (by_kind[K.BOOKING_CONFIRMED].email_status, by_kind[K.BOOKING_CONFIRMED].in_app) == (None, True)
        assert by_kind[K.WAITLIST_GRANTED].email_status == EmailStatus.SENT
        assert report.sent == 1
        assert_each_sent_once([by_kind[K.WAITLIST_GRANTED]], smtp.messages())


def _columns(row: Notification) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in Notification.__table__.columns}


class TestSmtpUrl:
    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("smtp://user:p%40ss%3Aw0rd@mail.example.go.id:587?starttls=1", ("mail.example.go.id", 587, False, True)),
            ("smtp://mail.example.go.id?starttls=1", ("mail.example.go.id", 587, False, True)),
            ("smtps://user:secret@mail.example.go.id", ("mail.example.go.id", 465, True, False)),
            ("smtp://127.0.0.1:1025", ("127.0.0.1", 1025, False, False)),
            ("smtp://relay.example.go.id", ("relay.example.go.id", 25, False, False)),
            ("smtp://catcher:any@localhost:1025", ("localhost", 1025, False, False)),
        ],
    )
    def test_reads_the_server_and_how_to_reach_it(self, url: str, expected: tuple[str, int, bool, bool]) -> None:
        server = parse_smtp_url(url)
        assert (server.host, server.port, server.use_tls, server.start_tls) == expected

    def test_user_and_password_are_percent_decoded(self) -> None:
        server = parse_smtp_url("smtp://no-reply%40ikn.go.id:p%40ss%3Aw0rd@mail.example.go.id:587?starttls=1")
        assert (server.username, server.password) == ("no-reply@ikn.go.id", "p@ss:w0rd")
        assert "p@ss" not in repr(server)

    @pytest.mark.parametrize(
        ("url", "problem"),
        [
            ("http://mail.example.go.id", "must start with smtp:// or smtps://"),
            ("smtp://", "names no host"),
            ("smtp://mail.example.go.id:99999", "not a valid URL"),
            ("smtp://mail.example.go.id?tls=1", "unknown option tls"),
            ("smtp://mail.example.go.id?starttls=maybe", "starttls must be 1 or 0"),
            ("smtps://mail.example.go.id?starttls=1", "smtps:// is TLS from the start"),
            ("smtp://user@mail.example.go.id:587?starttls=1", "both a user and a password"),
            ("smtp://user:s3cret@mail.example.go.id", "password unencrypted"),
            ("smtp://mail.example.go.id/inbox", "no path"),
        ],
    )
    def test_a_bad_url_stops_the_start_naming_the_problem(self, url: str, problem: str) -> None:
        with pytest.raises(ValueError, match=re.escape(problem)) as raised:
            Settings.from_env({"SMARTOFFICE_SMTP_URL": url})
        assert "SMARTOFFICE_SMTP_URL" in str(raised.value)
        assert "s3cret" not in str(raised.value)
