"""The notification email queue for administrators: the summary's counts, the list (failed first, a status filter,
keyset pages), retrying failed and expired emails (all or nothing, audited), and refusals to everyone else, in the
service and over GraphQL."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.errors import InvalidInput, PermissionDenied
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.notifications.admin import NotificationAdminService
from smartoffice.notifications.models import EmailStatus, Notification, NotificationKind
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import bearer, issue_token
from tests.support.office import Office, build_office

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def service(runtime: Runtime, *, email_enabled: bool = True) -> NotificationAdminService:
    return NotificationAdminService(runtime.db, lambda: NOW, email_enabled=email_enabled)


async def queue_email(runtime: Runtime, person: Employee, status: EmailStatus | None, **overrides: Any) -> Notification:
    """One notification row of ``person`` with its email in ``status`` (None: in-app only)."""
    values: dict[str, Any] = {
        "recipient_id": person.id,
        "kind": NotificationKind.BOOKING_CONFIRMED,
        "dedupe_key": f"test:{status}:{overrides.get('email_due_at', NOW).isoformat()}:{overrides.get('kind', '')}",
        "data": {},
        "created_at": NOW - timedelta(hours=3),
        "in_app": True,
        "email_status": status,
        "email_to": person.email if status else None,
        "email_due_at": NOW - timedelta(hours=1) if status else None,
        "email_attempts": 0,
        **overrides,
    }
    row = Notification(**values)
    async with runtime.db.write() as session:
        session.add(row)
    return row


async def a_queue(runtime: Runtime, office: Office) -> dict[str, Notification]:
    """Two emails due now, one later, one sent today and one last week, two failed, one expired, one in-app only."""
    alice, bella = office.alice, office.bella
    rows = {
        "due_1": await queue_email(runtime, alice, EmailStatus.PENDING, email_due_at=NOW - timedelta(minutes=30)),
        "due_2": await queue_email(runtime, bella, EmailStatus.PENDING, email_due_at=NOW - timedelta(hours=2)),
        "later": await queue_email(runtime, alice, EmailStatus.PENDING, email_due_at=NOW + timedelta(hours=8)),
        "sent_today": await queue_email(
            runtime,
            alice,
            EmailStatus.SENT,
            email_due_at=NOW - timedelta(hours=5),
            email_sent_at=NOW - timedelta(hours=5),
        ),
        "sent_last_week": await queue_email(
            runtime,
            bella,
            EmailStatus.SENT,
            email_due_at=NOW - timedelta(days=7),
            email_sent_at=NOW - timedelta(days=7),
        ),
        "failed_old": await queue_email(
            runtime,
            alice,
            EmailStatus.FAILED,
            email_due_at=NOW - timedelta(hours=6),
            email_attempts=5,
            email_error="550 5.1.1 mailbox unavailable",
            email_to="alice@old.invalid",
        ),
        "failed_new": await queue_email(
            runtime,
            bella,
            EmailStatus.FAILED,
            email_due_at=NOW - timedelta(hours=4),
            email_attempts=5,
            email_error="Connection refused",
            kind=NotificationKind.WAITLIST_GRANTED,
        ),
        "expired": await queue_email(
            runtime,
            bella,
            EmailStatus.EXPIRED,
            email_due_at=NOW - timedelta(days=4),
            email_error="not sent within 72 hours",
            kind=NotificationKind.WEEKLY_REMINDER,
        ),
        "in_app_only": await queue_email(runtime, alice, None),
    }
    return rows


async def email_row(runtime: Runtime, notification_id: int) -> Notification:
    async with runtime.db.read() as session:
        row = await session.get(Notification, notification_id)
    assert row is not None
    return row


class TestSummary:
    async def test_counts_each_state_and_says_whether_email_is_on(self, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)
        await a_queue(runtime, office)

        on = await service(runtime).summary(office.admin.id)
        off = await service(runtime, email_enabled=False).summary(office.admin.id)

        assert (on.due_now, on.waiting, on.sent_last_day, on.failed, on.expired) == (2, 1, 1, 2, 1)
        assert on.oldest_due_at == NOW - timedelta(hours=2)
        assert on.email_enabled and not off.email_enabled

    async def test_an_empty_queue(self, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)

        summary = await service(runtime).summary(office.admin.id)

        assert (summary.due_now, summary.waiting, summary.sent_last_day, summary.failed, summary.expired) == (0,) * 5
        assert summary.oldest_due_at is None


class TestEmails:
    async def test_failed_first_then_pending_expired_sent_each_newest_first(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        office = await build_office(factory)
        rows = await a_queue(runtime, office)

        page = await service(runtime).emails(office.admin.id)

        expected = ["failed_new", "failed_old", "later", "due_2", "due_1", "expired", "sent_last_week", "sent_today"]
        assert [e.id for e in page.emails] == [rows[name].id for name in expected]
        failed = page.emails[0]
        assert failed.recipient.name == office.bella.name and failed.address == office.bella.email
        assert failed.kind == NotificationKind.WAITLIST_GRANTED and failed.attempts == 5
        assert failed.last_error == "Connection refused" and failed.retryable
        assert not page.has_next

    async def test_pages_follow_on_without_gaps_or_repeats(self, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)
        rows = await a_queue(runtime, office)
        admin_service = service(runtime)

        seen: list[int] = []
        after = None
        for _ in range(10):
            page = await admin_service.emails(office.admin.id, first=3, after=after)
            seen.extend(e.id for e in page.emails)
            if not page.has_next:
                break
            after = page.cursor(page.emails[-1])

        everything = await admin_service.emails(office.admin.id, first=100)
        assert seen == [e.id for e in everything.emails]
        assert sorted(seen) == sorted(r.id for name, r in rows.items() if name != "in_app_only")

    async def test_a_status_filter(self, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)
        rows = await a_queue(runtime, office)

        failed = await service(runtime).emails(office.admin.id, status=EmailStatus.FAILED)
        first_pending = await service(runtime).emails(office.admin.id, status=EmailStatus.PENDING, first=2)
        rest = await service(runtime).emails(
            office.admin.id, status=EmailStatus.PENDING, after=first_pending.cursor(first_pending.emails[-1])
        )

        assert [e.id for e in failed.emails] == [rows["failed_new"].id, rows["failed_old"].id]
        assert [e.id for e in first_pending.emails] == [rows["later"].id, rows["due_2"].id]
        assert first_pending.has_next and [e.id for e in rest.emails] == [rows["due_1"].id]

    async def test_a_cursor_it_did_not_issue_is_refused(self, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)

        with pytest.raises(InvalidInput) as refused:
            await service(runtime).emails(office.admin.id, after="bm90LWEtY3Vyc29y")

        assert refused.value.code == "INVALID_CURSOR"


class TestRetry:
    async def test_failed_and_expired_go_back_to_the_queue_audited(self, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)
        rows = await a_queue(runtime, office)
        chosen = [rows["failed_old"].id, rows["expired"].id]

        retried = await service(runtime).retry(office.admin.id, chosen, via="page")

        assert sorted(e.id for e in retried) == sorted(chosen)
        for notification_id in chosen:
            row = await email_row(runtime, notification_id)
            assert row.email_status == EmailStatus.PENDING and row.email_due_at == NOW
            assert row.email_attempts == 0 and row.email_error is None
        assert (await email_row(runtime, rows["failed_old"].id)).email_to == office.alice.email  # corrected address
        async with runtime.db.read() as session:
            entries = (
                await session.scalars(
                    select(AuditEntry).where(AuditEntry.action == "notification_email.retry").order_by(AuditEntry.id)
                )
            ).all()
        assert sorted(e.entity_id for e in entries) == sorted(chosen)
        by_id = {e.entity_id: e for e in entries}
        old = by_id[rows["failed_old"].id]
        assert old.actor_id == office.admin.id and old.via == "page" and old.entity_kind == "Notification"
        assert old.at == NOW
        assert old.before == {
            "email_status": "failed",
            "email_attempts": 5,
            "email_error": "550 5.1.1 mailbox unavailable",
            "email_to": "alice@old.invalid",
        }
        assert old.after is not None and old.after["email_status"] == "pending"
        assert old.after["email_to"] == office.alice.email
        assert by_id[rows["expired"].id].before is not None
        assert by_id[rows["expired"].id].before["email_status"] == "expired"

    async def test_all_or_nothing(self, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)
        rows = await a_queue(runtime, office)
        past_its_time = await queue_email(
            runtime,
            office.alice,
            EmailStatus.EXPIRED,
            kind=NotificationKind.CHECK_IN_REMINDER,
            expires_at=NOW - timedelta(hours=1),
        )

        with pytest.raises(InvalidInput) as with_a_sent_one:
            await service(runtime).retry(office.admin.id, [rows["failed_new"].id, rows["sent_today"].id])
        with pytest.raises(InvalidInput) as with_an_unknown_one:
            await service(runtime).retry(office.admin.id, [rows["failed_new"].id, rows["failed_new"].id + 10_000])
        with pytest.raises(InvalidInput) as too_late:
            await service(runtime).retry(office.admin.id, [past_its_time.id])
        with pytest.raises(InvalidInput) as none:
            await service(runtime).retry(office.admin.id, [])
        leaver = await factory.employee(office.team_a1, active=False)
        to_a_leaver = await queue_email(runtime, leaver, EmailStatus.FAILED)
        with pytest.raises(InvalidInput) as left:
            await service(runtime).retry(office.admin.id, [to_a_leaver.id])

        assert with_a_sent_one.value.code == "NOTIFICATION_EMAIL_NOT_RETRYABLE"
        assert with_a_sent_one.value.params["count"] == 1
        assert with_an_unknown_one.value.code == "NOTIFICATION_EMAIL_NOT_RETRYABLE"
        assert too_late.value.code == "NOTIFICATION_EMAIL_NOT_RETRYABLE"
        assert none.value.code == "REQUIRED"
        assert left.value.code == "NOTIFICATION_EMAIL_NOT_RETRYABLE"
        assert (await email_row(runtime, rows["failed_new"].id)).email_status == EmailStatus.FAILED
        async with runtime.db.read() as session:
            assert (
                await session.scalars(select(AuditEntry).where(AuditEntry.entity_kind == "Notification"))
            ).all() == []


class TestWhoMay:
    @pytest.mark.parametrize("who", ["manager_a", "facilities_1", "alice"])
    async def test_only_administrators(self, who: str, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)
        rows = await a_queue(runtime, office)
        person: Employee = getattr(office, who)
        admin_service = service(runtime)

        with pytest.raises(PermissionDenied) as summary:
            await admin_service.summary(person.id)
        with pytest.raises(PermissionDenied) as emails:
            await admin_service.emails(person.id)
        with pytest.raises(PermissionDenied) as retry:
            await admin_service.retry(person.id, [rows["failed_new"].id])

        assert {summary.value.code, emails.value.code, retry.value.code} == {"ADMINS_ONLY"}
        assert (await email_row(runtime, rows["failed_new"].id)).email_status == EmailStatus.FAILED


SUMMARY = """{
  notificationEmailSummary {
    __typename
    ... on Error { code message }
    ... on NotificationEmailSummary { emailEnabled dueNow waiting sentLastDay failed expired oldestDueAt }
  }
}"""
EMAILS = """query Emails($status: NotificationEmailStatus, $after: String) {
  notificationEmails(status: $status, first: 10, after: $after) {
    __typename
    ... on Error { code message }
    ... on NotificationEmailConnection {
      edges { cursor node { id address kind status attempts lastError retryable recipient { name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
RETRY = """mutation Retry($input: RetryNotificationEmailsInput!) {
  retryNotificationEmails(input: $input) {
    __typename
    ... on Error { code message }
    ... on RetryNotificationEmailsSuccess { emails { id status attempts dueAt } }
  }
}"""


async def post(client: Any, document: str, variables: dict[str, Any] | None, as_employee: int) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": document, "variables": variables or {}},
        headers={"x-demo-employee": str(as_employee)},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestGraphQL:
    async def test_an_administrator_reads_the_queue_and_retries(
        self, settings: Settings, runtime: Runtime, factory: Factory
    ) -> None:
        office = await build_office(factory)
        now = datetime.now(UTC)
        failed = await queue_email(
            runtime, office.bella, EmailStatus.FAILED, email_due_at=now - timedelta(hours=1), email_error="timed out"
        )
        await queue_email(runtime, office.alice, EmailStatus.PENDING, email_due_at=now - timedelta(minutes=5))
        async with client_for(settings) as client:
            summary = (await post(client, SUMMARY, None, office.admin.id))["data"]["notificationEmailSummary"]
            listed = (await post(client, EMAILS, {"status": "FAILED"}, office.admin.id))["data"]["notificationEmails"]
            global_id = encode_id("NotificationEmail", failed.id)
            retried = (await post(client, RETRY, {"input": {"ids": [global_id]}}, office.admin.id))["data"][
                "retryNotificationEmails"
            ]
            again = (await post(client, RETRY, {"input": {"ids": [global_id]}}, office.admin.id))["data"][
                "retryNotificationEmails"
            ]

        assert summary["__typename"] == "NotificationEmailSummary"
        assert (summary["dueNow"], summary["failed"], summary["emailEnabled"]) == (1, 1, False)
        assert [edge["node"] for edge in listed["edges"]] == [
            {
                "id": global_id,
                "address": office.bella.email,
                "kind": "BOOKING_CONFIRMED",
                "status": "FAILED",
                "attempts": 0,
                "lastError": "timed out",
                "retryable": True,
                "recipient": {"name": office.bella.name},
            }
        ]
        assert retried["__typename"] == "RetryNotificationEmailsSuccess"
        assert retried["emails"][0]["status"] == "PENDING" and retried["emails"][0]["id"] == global_id
        assert again["__typename"] == "ValidationError" and again["code"] == "NOTIFICATION_EMAIL_NOT_RETRYABLE"

    async def test_managers_get_a_typed_refusal(self, settings: Settings, runtime: Runtime, factory: Factory) -> None:
        office = await build_office(factory)
        failed = await queue_email(runtime, office.bella, EmailStatus.FAILED)
        retry = {"input": {"ids": [encode_id("NotificationEmail", failed.id)]}}
        answers = []
        async with client_for(settings) as client:
            for person in (office.manager_a, office.facilities_1):
                answers.append((await post(client, SUMMARY, None, person.id))["data"]["notificationEmailSummary"])
                answers.append((await post(client, EMAILS, None, person.id))["data"]["notificationEmails"])
                answers.append((await post(client, RETRY, retry, person.id))["data"]["retryNotificationEmails"])

        assert {(a["__typename"], a["code"]) for a in answers} == {("PermissionDeniedError", "ADMINS_ONLY")}
        assert (await email_row(runtime, failed.id)).email_status == EmailStatus.FAILED

    async def test_an_app_token_is_refused_even_an_administrators(
        self, settings: Settings, runtime: Runtime, factory: Factory
    ) -> None:
        office = await build_office(factory)
        secret = await issue_token(runtime.db, office.admin.id, *Scope)
        async with client_for(settings) as client:
            answers = [
                (await client.post("/api/graphql", json={"query": document}, headers=bearer(secret))).json()
                for document in (SUMMARY, EMAILS)
            ]

        assert [a["data"] for a in answers] == [None, None]
        assert [a["errors"][0]["extensions"]["code"] for a in answers] == ["SESSIONS_ONLY"] * 2
