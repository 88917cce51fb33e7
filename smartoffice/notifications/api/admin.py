"""The email queue for administrators in GraphQL: ``notificationEmailSummary``, ``notificationEmails`` and
``retryNotificationEmails``.

People only (a login session): an app token gets the top-level ``SESSIONS_ONLY`` error, since the queue holds
everyone's addresses. Anyone but an administrator gets a ``PermissionDeniedError`` (``ADMINS_ONLY``) from the
service (:class:`~smartoffice.notifications.admin.NotificationAdminService`).
"""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import PermissionDeniedError, ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.ids import decode_id, encode_id
from smartoffice.notifications import admin
from smartoffice.notifications.models import EmailStatus, NotificationKind
from smartoffice.people.api.types import Employee

NotificationKindType = strawberry.enum(
    NotificationKind,
    name="NotificationKind",
    description="What a notification is about (the same kinds in the in-app list, email and preferences).",
)
"""The domain's enum as GraphQL's ``NotificationKind`` (one definition: the in-app API uses the same class)."""


@strawberry.enum(description="Where a notification's email is in the queue.")
class NotificationEmailStatus(Enum):
    PENDING = strawberry.enum_value(
        EmailStatus.PENDING.value, description="Waiting to be sent: due now, or later (quiet hours, digest, backoff)."
    )
    SENT = strawberry.enum_value(EmailStatus.SENT.value, description="Handed to the SMTP server.")
    FAILED = strawberry.enum_value(
        EmailStatus.FAILED.value, description="Given up after the last attempt; `lastError` says why."
    )
    EXPIRED = strawberry.enum_value(
        EmailStatus.EXPIRED.value,
        description="Not sent in time to mean anything (SMTP unset or down too long, a reminder past its moment).",
    )


@strawberry.type(description="How the notification email queue stands.")
class NotificationEmailSummary:
    email_enabled: bool = strawberry.field(
        description="Whether an SMTP server is configured (SMARTOFFICE_SMTP_URL); false: no email is sent."
    )
    due_now: int = strawberry.field(description="Pending and due: sent on the sending job's next run.")
    waiting: int = strawberry.field(description="Pending and due later (quiet hours, a daily digest, a backoff).")
    sent_last_day: int = strawberry.field(description="Sent in the last 24 hours.")
    failed: int = strawberry.field(description="Given up after the last attempt: see `notificationEmails`.")
    expired: int = strawberry.field(description="Not sent in time, recorded and never sent late.")
    oldest_due_at: dt.datetime | None = strawberry.field(
        description="When the longest-waiting due email became due; null when none is due."
    )

    @classmethod
    def of(cls, summary: admin.EmailSummary) -> Self:
        return cls(
            email_enabled=summary.email_enabled,
            due_now=summary.due_now,
            waiting=summary.waiting,
            sent_last_day=summary.sent_last_day,
            failed=summary.failed,
            expired=summary.expired,
            oldest_due_at=summary.oldest_due_at,
        )


@strawberry.type(description="One notification's email as administrators see it in the queue.")
class NotificationEmail:
    id: strawberry.ID = strawberry.field(description="Its id, for `retryNotificationEmails`.")
    recipient: Employee = strawberry.field(description="Whom it is for.")
    address: str | None = strawberry.field(description="The address it goes to (the person's at the time).")
    kind: NotificationKind = strawberry.field(description="What it is about.")
    status: NotificationEmailStatus = strawberry.field(description="Where it is in the queue.")
    attempts: int = strawberry.field(description="Sending attempts so far (a retry starts again from 0).")
    due_at: dt.datetime | None = strawberry.field(description="Not sent before this instant.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed, or why it expired.")
    sent_at: dt.datetime | None = strawberry.field(description="When it was sent.")
    created_at: dt.datetime = strawberry.field(description="When the notification was made.")
    retryable: bool = strawberry.field(
        description="Failed or expired and still worth sending: `retryNotificationEmails` accepts it."
    )

    @classmethod
    def of(cls, email: admin.QueuedEmail) -> Self:
        return cls(
            id=strawberry.ID(encode_id("NotificationEmail", email.id)),
            recipient=Employee.from_model(email.recipient),
            address=email.address,
            kind=email.kind,
            status=NotificationEmailStatus[email.status.name],
            attempts=email.attempts,
            due_at=email.due_at,
            last_error=email.last_error,
            sent_at=email.sent_at,
            created_at=email.created_at,
            retryable=email.retryable,
        )


@strawberry.type
class NotificationEmailEdge:
    cursor: str
    node: NotificationEmail


@strawberry.type(
    description="A page of the email queue: with a status, newest first; without, failed first, then pending, "
    "expired and sent, each newest first."
)
class NotificationEmailConnection:
    edges: list[NotificationEmailEdge]
    page_info: PageInfo

    @classmethod
    def of(cls, page: admin.EmailPage) -> Self:
        edges = [NotificationEmailEdge(cursor=page.cursor(e), node=NotificationEmail.of(e)) for e in page.emails]
        return cls(
            edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None)
        )


@strawberry.input(description="Failed or expired emails to send again.")
class RetryNotificationEmailsInput:
    ids: list[strawberry.ID] = strawberry.field(
        description=f"`NotificationEmail.id`s, at most {admin.MAX_RETRY}: all are retried, or none."
    )


@strawberry.type(description="The emails are pending again, due now, their attempts reset.")
class RetryNotificationEmailsSuccess:
    emails: list[NotificationEmail]


NotificationEmailSummaryResult = Annotated[
    NotificationEmailSummary | PermissionDeniedError,
    strawberry.union(
        "NotificationEmailSummaryResult",
        description="The queue's counts; a PermissionDeniedError (ADMINS_ONLY) for anyone but an administrator.",
    ),
]
NotificationEmailsResult = Annotated[
    NotificationEmailConnection | ValidationError | PermissionDeniedError,
    strawberry.union(
        "NotificationEmailsResult",
        description="A page of the queue; a ValidationError for a cursor this API did not issue (INVALID_CURSOR); "
        "a PermissionDeniedError (ADMINS_ONLY) for anyone but an administrator.",
    ),
]
RetryNotificationEmailsResult = Annotated[
    RetryNotificationEmailsSuccess | ValidationError | PermissionDeniedError,
    strawberry.union(
        "RetryNotificationEmailsResult",
        description="The retried emails; a ValidationError when an id is malformed (INVALID_ID), none are given "
        "(REQUIRED), too many are (TOO_MANY_NOTIFICATION_EMAILS) or one is not failed or expired, or past its time "
        "(NOTIFICATION_EMAIL_NOT_RETRYABLE, with how many), and nothing is changed; a PermissionDeniedError "
        "(ADMINS_ONLY) for anyone but an administrator.",
    ),
]


@strawberry.type
class NotificationAdminQuery:
    @strawberry.field(description="Administrators: how the notification email queue stands. People only, no tokens.")
    async def notification_email_summary(self, info: Info) -> NotificationEmailSummaryResult:
        actor = info.context.require_session()
        return NotificationEmailSummary.of(await info.context.runtime.notification_admin.summary(actor))

    @strawberry.field(
        description="Administrators: the notification emails, with their recipients, attempts and errors. People "
        f"only, no tokens. `first` is capped at {MAX_PAGE_SIZE}; pass `pageInfo.endCursor` as `after` for the next "
        "page."
    )
    async def notification_emails(
        self,
        info: Info,
        status: Annotated[
            NotificationEmailStatus | None, strawberry.argument(description="Only emails in this state.")
        ] = None,
        first: int = 20,
        after: str | None = None,
    ) -> NotificationEmailsResult:
        actor = info.context.require_session()
        wanted = None if status is None else EmailStatus[status.name]
        page = await info.context.runtime.notification_admin.emails(actor, status=wanted, first=first, after=after)
        return NotificationEmailConnection.of(page)


@strawberry.type
class NotificationAdminMutation:
    @strawberry.mutation(
        description="Administrators: send failed or expired emails again (pending, due now, attempts reset, to the "
        "person's current address). All or nothing; each is audited (`notification_email.retry`). People only."
    )
    async def retry_notification_emails(
        self, info: Info, input: RetryNotificationEmailsInput
    ) -> RetryNotificationEmailsResult:
        actor = info.context.require_session()
        ids = [decode_id(value, "NotificationEmail", "ids") for value in input.ids]
        retried = await info.context.runtime.notification_admin.retry(actor, ids, via=info.context.via)
        return RetryNotificationEmailsSuccess(emails=[NotificationEmail.of(e) for e in retried])
