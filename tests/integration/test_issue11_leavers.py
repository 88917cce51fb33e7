"""Issue 11's leavers, what the first import tests left open: the day someone left is the local day where the staff
work (not the UTC date), and the notification emails still waiting for a leaver are never sent."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from smartoffice.notifications.email_job import EmailSender
from smartoffice.notifications.models import EmailStatus, NotificationKind
from smartoffice.notifications.produce import Draft, notify
from smartoffice.people.imports.apply import LEFT_EMAIL_ERROR
from smartoffice.people.imports.service import PeopleImportService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import DAY, Clock, office_hours
from tests.support.notification_samples import sample_data
from tests.support.notifications import all_notifications, notifications_of, run_notification_jobs
from tests.support.people_files import HEAD_NIP, STAFF_NIP, csv_bytes, head, pppk, valid_rows
from tests.support.people_import import by_nip
from tests.support.smtp import SmtpProcess, running_smtp_server


@pytest.fixture
def clock() -> Clock:
    return Clock()  # 06:00 WITA on DAY


def importer(runtime: Runtime, clock: Clock) -> PeopleImportService:
    return PeopleImportService(runtime.db, None, None, clock)


async def buildings_in(factory: Factory, zone: str) -> None:
    site = await factory.site()
    await factory.building(site, code="T1", time_zone=zone)
    await factory.building(site, code="T2", time_zone=zone)


class TestTheDaySomeoneLeft:
    async def test_is_the_local_date_when_utc_is_still_on_the_day_before(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        # given the staff in WITA buildings, imported
        await buildings_in(factory, "Asia/Makassar")
        service = importer(runtime, clock)
        await service.run(csv_bytes(valid_rows()))
        # when the file without Agus is imported at 00:30 WITA on DAY (16:30 UTC on the day before)
        clock.set(time(0, 30), DAY)
        assert clock().date() == DAY - timedelta(days=1)
        result = await service.run(csv_bytes([head(), pppk()]))
        # then he left on DAY, as his colleagues count it
        assert result.written
        assert (await by_nip(runtime.db))[STAFF_NIP].left_on == DAY

    async def test_follows_the_zone_the_buildings_share(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        # given the staff in Jakarta (WIB, UTC+7), where 00:30 WITA is still 23:30 the evening before
        await buildings_in(factory, "Asia/Jakarta")
        service = importer(runtime, clock)
        await service.run(csv_bytes(valid_rows()))
        clock.set(time(0, 30), DAY)
        await service.run(csv_bytes([head(), pppk()]))
        assert (await by_nip(runtime.db))[STAFF_NIP].left_on == DAY - timedelta(days=1)

    async def test_is_given_by_the_caller_when_it_says(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        await buildings_in(factory, "Asia/Makassar")
        service = importer(runtime, clock)
        await service.run(csv_bytes(valid_rows()))
        await service.run(csv_bytes([head(), pppk()]), today=date(2030, 7, 1))
        assert (await by_nip(runtime.db))[STAFF_NIP].left_on == date(2030, 7, 1)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpProcess]:
    with running_smtp_server(tmp_path / "smtp") as server:
        yield server


async def test_a_leavers_pending_emails_are_expired_and_never_sent(
    runtime: Runtime, factory: Factory, clock: Clock, smtp: SmtpProcess
) -> None:
    # given Agus and his head, each with a notification whose email waits to be sent, and one Agus already had
    await buildings_in(factory, "Asia/Makassar")
    service = importer(runtime, clock)
    await service.run(csv_bytes(valid_rows()))
    people = await by_nip(runtime.db)
    agus, bambang = people[STAFF_NIP], people[HEAD_NIP]
    kind = NotificationKind.WEEKLY_REMINDER

    def draft(person_id: int, key: str) -> Draft:
        return Draft(person_id, kind, key, sample_data(kind))

    async with runtime.db.write() as session:
        await notify(session, [draft(agus.id, "weekly:sent")], clock())
    settings = replace(runtime.settings, smtp_url=smtp.url)
    assert (await EmailSender(runtime.db, clock, settings).run_once()).sent == 1
    async with runtime.db.write() as session:
        await notify(session, [draft(agus.id, "weekly:a"), draft(agus.id, "weekly:b"), draft(bambang.id, "weekly:c")],
                     clock())  # fmt: skip
    waiting = {n.dedupe_key: n.email_status for n in await all_notifications(runtime)}
    assert waiting == {
        "weekly:sent": EmailStatus.SENT,
        "weekly:a": EmailStatus.PENDING,
        "weekly:b": EmailStatus.PENDING,
        "weekly:c": EmailStatus.PENDING,
    }
    # when the next file no longer lists Agus
    result = await service.run(csv_bytes([head(), pppk()]))
    # then his two waiting emails are expired, with the reason, in the import's transaction; the rest is as it was
    assert result.expired_emails == 2
    after = {n.dedupe_key: n for n in await all_notifications(runtime)}
    assert {key: n.email_status for key, n in after.items()} == {
        "weekly:sent": EmailStatus.SENT,
        "weekly:a": EmailStatus.EXPIRED,
        "weekly:b": EmailStatus.EXPIRED,
        "weekly:c": EmailStatus.PENDING,
    }
    assert after["weekly:a"].email_error == LEFT_EMAIL_ERROR and after["weekly:a"].in_app
    # and the email job sends only Bambang's
    clock.advance(minutes=1)
    report = await EmailSender(runtime.db, clock, settings).run_once()
    assert (report.sent, report.expired) == (1, 0)
    assert [str(m["To"]) for m in smtp.messages()] == [agus.email, bambang.email]


async def test_a_leaver_is_not_notified_of_the_bookings_the_import_cancelled(
    runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    """A choice (README, Leaving): the leaver cannot sign in to read it and their office mailbox may be closed, so
    their cancellations are not announced to them (``notify`` drops drafts to people who left); the cancellation
    event, which says why, is still there for webhooks."""
    # given Agus with a desk booked by his head for the day after tomorrow
    await buildings_in(factory, "Asia/Makassar")
    service = importer(runtime, clock)
    await service.run(csv_bytes(valid_rows()))
    people = await by_nip(runtime.db)
    desk = await factory.desk()
    await insert_booking(runtime.db, desk, people[STAFF_NIP], *office_hours(DAY + timedelta(days=2)),
                         booked_by=people[HEAD_NIP])  # fmt: skip
    # when he leaves and the booking events job runs
    result = await service.run(csv_bytes([head(), pppk()]))
    assert result.cancelled_bookings == 1
    assert await run_notification_jobs(runtime) >= 1
    # then nobody was told
    assert await notifications_of(runtime, people[STAFF_NIP].id) == []
    assert await all_notifications(runtime) == []
