"""``/admin/notifications``: administrators see the notification email queue and send failed emails again.

The page shows how the queue stands (:meth:`~smartoffice.notifications.admin.NotificationAdminService.summary`),
and says plainly when email is off (``SMARTOFFICE_SMTP_URL`` unset); then the emails, failed first with their
reasons (or only those of one status), :data:`PAGE_SIZE` a page with a keyset "next" link. Failed and expired
emails that are still worth sending have a checkbox; the chosen are sent again with one POST (CSRF-checked),
answered with a redirect that says how many (post/redirect/get), or with the refusal flashed, nothing changed.
Administrators only (``admin_visitor``; the service checks again): the queue holds everyone's addresses.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template

from smartoffice import formats
from smartoffice.db import is_storable_id
from smartoffice.errors import CommonInputCode, DomainError, InvalidInput
from smartoffice.i18n import Language, gettext
from smartoffice.notifications.admin import EmailSummary, QueuedEmail
from smartoffice.notifications.models import EmailStatus
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import admin_visitor
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

PATH = "/admin/notifications"
PAGE_SIZE = 50
VIA = "page"
"""The channel written to the audit log for retries made on this page."""
STATUSES: dict[str, EmailStatus] = {status.value: status for status in EmailStatus}
"""The status filter as the query string names it (``failed``, ``pending``, ``expired``, ``sent``)."""
FILTER_ORDER = (EmailStatus.FAILED, EmailStatus.PENDING, EmailStatus.EXPIRED, EmailStatus.SENT)


@dataclass(frozen=True, slots=True)
class EmailRow:
    email: QueuedEmail
    due: str | None
    sent: str | None
    created: str


def _when(language: Language, moment: datetime | None) -> str | None:
    """``Sen, 7 Des 14:05 UTC``: the queue spans buildings in several zones, so it speaks UTC, as the audit log."""
    if moment is None:
        return None
    return f"{formats.short_date(language, moment.date())} {moment:%H:%M} UTC"


def _list_url(status: str, after: str | None = None, **extra: str) -> str:
    query = {k: v for k, v in (("status", status), ("after", after or ""), *extra.items()) if v}
    return PATH + ("?" + urlencode(query) if query else "")


@get(PATH, name="admin-notifications")
async def admin_notifications(
    request: Request[Any, Any, Any],
    status_filter: Annotated[str, QueryParameter(name="status")] = "",
    after: FromQuery[str | None] = None,
    retried: FromQuery[int | None] = None,
) -> Template:
    staff = await admin_visitor(request)
    language = language_of(request)
    service = runtime_of(request).notification_admin
    wanted = STATUSES.get(status_filter)
    status = status_filter if wanted else ""
    summary: EmailSummary = await service.summary(staff.id)
    try:
        page = await service.emails(staff.id, status=wanted, first=PAGE_SIZE, after=after or None)
    except InvalidInput:  # an edited or stale cursor: start from the beginning rather than fail
        page = await service.emails(staff.id, status=wanted, first=PAGE_SIZE)
        after = None
    rows = [
        EmailRow(e, _when(language, e.due_at), _when(language, e.sent_at), _when(language, e.created_at) or "")
        for e in page.emails
    ]
    next_url = _list_url(status, page.cursor(page.emails[-1])) if page.has_next and page.emails else None
    return Template(
        template_name="admin/notifications.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "notifications",
            "nav_current": "admin",
            "summary": summary,
            "oldest_due": _when(language, summary.oldest_due_at),
            "rows": rows,
            "any_retryable": any(row.email.retryable for row in rows),
            "status": status,
            "statuses": [s.value for s in FILTER_ORDER],
            "after": after or "",
            "first_url": _list_url(status) if after else None,
            "next_url": next_url,
            "retried": retried if retried is not None and retried > 0 else None,
        },
    )


@post(PATH + "/retry", name="admin-notifications-retry")
async def retry_notifications(request: Request[Any, Any, Any]) -> Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    form = await request.form()
    status = str(form.get("status") or "")
    status = status if status in STATUSES else ""
    back = _list_url(status)
    try:
        ids = _ids(form.getall("ids", []))
        if not ids:
            text = gettext(language, "Choose the emails to send again.")
            error = PageError(422, "nothing_chosen", gettext(language, "Please check and try again"), text)
            return see_other_with_error(request, back, error)
        retried = await runtime_of(request).notification_admin.retry(staff.id, ids, via=VIA)
    except DomainError as exc:
        return see_other_with_error(request, back, PageError.of(exc, language))
    return see_other(_list_url(status, retried=str(len(retried))))


def _ids(values: Sequence[Any]) -> list[int]:
    """The chosen checkboxes' ids; a value that is no id is refused (nothing is retried)."""
    ids: list[int] = []
    for value in values:
        text = str(value).strip()
        if not text.isdigit() or not is_storable_id(int(text)):
            raise InvalidInput("ids", CommonInputCode.INVALID_ID, type_name="email")
        ids.append(int(text))
    return ids


NOTIFICATION_ADMIN_ROUTES = [admin_notifications, retry_notifications]
