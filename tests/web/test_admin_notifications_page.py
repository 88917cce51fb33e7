"""``/admin/notifications`` over HTTP without JavaScript: the queue's summary and "email is off", the failed emails
first with their reasons, choosing and sending them again (post/redirect/get, CSRF), refusals, both languages,
and administrators only."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.notifications.models import EmailStatus, Notification, NotificationKind
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.office import build_office
from tests.support.pages import CSRF_FIELD, PageClient

PAGE = "/admin/notifications"


async def queue_email(runtime: Runtime, person: Employee, status: EmailStatus, key: str, **overrides: Any) -> int:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "recipient_id": person.id,
        "kind": NotificationKind.BOOKING_CONFIRMED,
        "dedupe_key": key,
        "data": {},
        "created_at": now - timedelta(hours=2),
        "in_app": True,
        "email_status": status,
        "email_to": person.email,
        "email_due_at": now - timedelta(hours=1),
        "email_attempts": 0,
        **overrides,
    }
    row = Notification(**values)
    async with runtime.db.write() as session:
        session.add(row)
    return row.id


async def retry(pages: PageClient, ids: list[int], status: str = "") -> httpx.Response:
    """POST the retry form with these checkboxes ticked, with the CSRF token the page's form carries."""
    page = await pages.get(PAGE)
    match = CSRF_FIELD.search(page.text)
    token = match.group(1) if match else pages.http.cookies["csrftoken"]
    data = {"_csrf_token": [token], "status": [status], "ids": [str(i) for i in ids]}
    return await pages.http.post(PAGE + "/retry", data=data, follow_redirects=False)


async def status_of(runtime: Runtime, notification_id: int) -> EmailStatus | None:
    async with runtime.db.read() as session:
        return await session.scalar(select(Notification.email_status).where(Notification.id == notification_id))


async def test_an_administrator_sees_failures_first_and_sends_them_again(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    office = await build_office(factory)
    sent = await queue_email(
        runtime, office.alice, EmailStatus.SENT, "sent", email_sent_at=datetime.now(UTC) - timedelta(minutes=50)
    )
    failed = await queue_email(
        runtime,
        office.bella,
        EmailStatus.FAILED,
        "failed",
        email_attempts=5,
        email_error="550 5.1.1 <bella@kementerian.invalid>: mailbox unavailable",
        kind=NotificationKind.WAITLIST_GRANTED,
    )
    await pages.act_as(office.admin.id)

    page = await pages.get(PAGE)
    done = await retry(pages, [failed])
    after = await pages.get(done.headers["location"])

    assert page.status_code == 200
    assert 'data-code="email_off"' in page.text and "Email is off: set SMARTOFFICE_SMTP_URL" in page.text
    assert re.search(r'data-count="failed">1<', page.text) and re.search(r'data-count="sent_last_day">1<', page.text)
    order = [int(i) for i in re.findall(r'data-email-id="(\d+)"', page.text)]
    assert order == [failed, sent]
    assert "mailbox unavailable" in page.text and "A desk from the waitlist is booked for you" in page.text
    assert f'name="ids" value="{failed}"' in page.text and f'name="ids" value="{sent}"' not in page.text
    assert 'href="/admin/notifications" aria-current="page"' in page.text
    assert done.status_code == 303 and done.headers["location"] == PAGE + "?retried=1"
    assert 'data-code="emails_retried"' in after.text and "1 email will be sent again." in after.text
    assert await status_of(runtime, failed) == EmailStatus.PENDING
    async with runtime.db.read() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "notification_email.retry"))
    assert entry is not None and entry.actor_id == office.admin.id and entry.via == "page"
    assert entry.entity_id == failed


async def test_the_status_filter_and_the_indonesian_page(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    office = await build_office(factory)
    failed = await queue_email(runtime, office.bella, EmailStatus.FAILED, "failed", email_error="Connection refused")
    pending = await queue_email(runtime, office.alice, EmailStatus.PENDING, "pending")
    await pages.act_as(office.admin.id)

    only_pending = await pages.get(PAGE + "?status=pending")
    unknown_filter = await pages.get(PAGE + "?status=bogus&after=not-a-cursor")
    await pages.submit("/language", {"language": "id"}, from_page=PAGE)
    indonesian = await pages.get(PAGE)

    assert [int(i) for i in re.findall(r'data-email-id="(\d+)"', only_pending.text)] == [pending]
    assert '<option value="pending" selected>' in only_pending.text
    assert [int(i) for i in re.findall(r'data-email-id="(\d+)"', unknown_filter.text)] == [failed, pending]
    assert indonesian.status_code == 200 and 'lang="id"' in indonesian.text
    assert "Email nonaktif: setel SMARTOFFICE_SMTP_URL" in indonesian.text
    assert "Kirim ulang email yang dipilih" in indonesian.text


async def test_refusals_are_flashed_and_change_nothing(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    office = await build_office(factory)
    failed = await queue_email(runtime, office.bella, EmailStatus.FAILED, "failed")
    sent = await queue_email(runtime, office.alice, EmailStatus.SENT, "sent")
    await pages.act_as(office.admin.id)

    nothing = await retry(pages, [])
    nothing_page = await pages.get(nothing.headers["location"])
    mixed = await retry(pages, [failed, sent], status="failed")
    mixed_page = await pages.get(mixed.headers["location"])
    no_token = await pages.http.post(PAGE + "/retry", data={"ids": str(failed)}, follow_redirects=False)

    assert nothing.status_code == 303 and 'data-code="nothing_chosen"' in nothing_page.text
    assert mixed.status_code == 303 and mixed.headers["location"] == PAGE + "?status=failed"
    assert 'data-code="NOTIFICATION_EMAIL_NOT_RETRYABLE"' in mixed_page.text
    assert no_token.status_code == 403
    assert await status_of(runtime, failed) == EmailStatus.FAILED


async def test_email_on_shows_no_warning(settings: Settings, runtime: Runtime, factory: Factory) -> None:
    office = await build_office(factory)
    async with client_for(replace(settings, smtp_url="smtp://127.0.0.1:1025")) as client:
        pages = PageClient(client)
        await pages.act_as(office.admin.id)
        page = await pages.get(PAGE)

    assert page.status_code == 200 and 'data-code="email_off"' not in page.text


async def test_managers_and_employees_are_refused(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    office = await build_office(factory)
    failed = await queue_email(runtime, office.bella, EmailStatus.FAILED, "failed")

    answers = []
    for person in (office.manager_a, office.facilities_1, office.alice):
        await pages.act_as(person.id)
        answers.append(await pages.get(PAGE))
        answers.append(await retry(pages, [failed]))
    await pages.act_as(office.facilities_1.id)
    overview = await pages.get("/admin")

    assert [a.status_code for a in answers] == [403] * 6
    codes = [re.search(r'data-code="(\w+)"', a.text) for a in answers]
    assert [c.group(1) if c else None for c in codes] == ["ADMINS_ONLY"] * 4 + ["STAFF_ONLY"] * 2
    assert 'href="/admin/notifications"' not in overview.text
    assert await status_of(runtime, failed) == EmailStatus.FAILED
