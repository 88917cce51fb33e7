"""The person's notifications: ``/notifications`` (the list the bell in base.html leads to; open one, mark all read),
``/notifications/preferences`` (kinds × channels, quiet hours, the daily digest) and the one-click unsubscribe link
of reminder emails, ``/notifications/unsubscribe/<token>``.

Nothing changes on a GET: opening a notification (which marks it read) is a POST form's button, which then goes
where the notification leads. The unsubscribe link needs no sign-in (the signed token is the proof): its GET asks,
its POST acts, and the POST takes no CSRF token, because a mail client posts ``List-Unsubscribe=One-Click`` to it
on the person's behalf, without cookies (RFC 8058).
"""

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_404_NOT_FOUND

from smartoffice import formats
from smartoffice.errors import InvalidInput, NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.labels import label
from smartoffice.notifications.compose import describe
from smartoffice.notifications.models import Notification, NotificationKind
from smartoffice.notifications.produce import DEFAULT_ZONE, Channels
from smartoffice.notifications.service import KindChoice, Schedule
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError, error_page, form_page_error
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, local_path, optional_time
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

LIST_PATH = "/notifications"
PREFERENCES_PATH = "/notifications/preferences"
PAGE_SIZE = 20
SHOWN_ZONE = ZoneInfo(DEFAULT_ZONE)
"""When a notification came is shown in WITA, Nusantara's time (what it is about carries its own zone)."""
ALL_READ, SAVED = "all_read", "saved"
"""The notices the forms redirect with (worded in the templates)."""


@dataclass(frozen=True, slots=True)
class NotificationRow:
    id: int
    title: str
    lines: tuple[str, ...]
    created: str
    created_iso: str
    unread: bool


@dataclass(frozen=True, slots=True)
class NotificationsPage:
    rows: list[NotificationRow]
    unread_only: bool
    first_page: bool
    next_url: str | None
    notice: str | None


@dataclass(frozen=True, slots=True)
class KindRow:
    kind: str
    label: str
    email: bool
    in_app: bool


def _sign_in_first(path: str) -> Redirect:
    return see_other("/?" + urlencode({"notice": "pick_identity", "next": path}))


def _when(language: Language, moment: datetime) -> str:
    local = moment.astimezone(SHOWN_ZONE)
    return f"{formats.short_date(language, local.date())} {formats.clock(language, local.time())} WITA"


def notification_row(notification: Notification, language: Language) -> NotificationRow:
    words = describe(notification.kind, notification.data, language)
    return NotificationRow(
        id=notification.id,
        title=words.title,
        lines=words.lines,
        created=_when(language, notification.created_at),
        created_iso=notification.created_at.isoformat(),
        unread=notification.read_at is None,
    )


@get(LIST_PATH, name="notifications")
async def notifications_page(
    request: Request[Any, Any, Any],
    after: FromQuery[str | None] = None,
    unread: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return _sign_in_first(LIST_PATH)
    language = language_of(request)
    unread_only = unread == "1"
    found = await runtime_of(request).notifications.page(
        viewer.id, unread_only=unread_only, first=PAGE_SIZE, after=after or None
    )
    next_url = None
    if found.has_next:
        query = {"after": found.cursor(found.notifications[-1]), **({"unread": "1"} if unread_only else {})}
        next_url = f"{LIST_PATH}?{urlencode(query)}"
    page = NotificationsPage(
        rows=[notification_row(n, language) for n in found.notifications],
        unread_only=unread_only,
        first_page=not after,
        next_url=next_url,
        notice=notice if notice in (ALL_READ,) else None,
    )
    return Template(
        template_name="notifications.html",
        context={"page": page, "viewer": viewer, "nav_current": "notifications"},
        headers={"Cache-Control": "no-store"},
    )


@post(LIST_PATH + "/{notification_id:int}/open", name="open-notification")
async def open_notification(request: Request[Any, Any, Any], notification_id: FromPath[int]) -> Redirect:
    """Mark the notification read and go where it leads (a path on this site; else back to the list)."""
    employee_id = acting_employee_id(request)
    if employee_id is None:
        return _sign_in_first(LIST_PATH)
    notification = await runtime_of(request).notifications.open(employee_id, notification_id)  # NotFound: 404
    link = describe(notification.kind, notification.data, language_of(request)).link
    return see_other(local_path(link, LIST_PATH))


@post(LIST_PATH + "/read", name="mark-notifications-read")
async def mark_all_read(request: Request[Any, Any, Any]) -> Redirect:
    employee_id = acting_employee_id(request)
    if employee_id is None:
        return _sign_in_first(LIST_PATH)
    await runtime_of(request).notifications.mark_read(employee_id)
    return see_other(f"{LIST_PATH}?notice={ALL_READ}")


@get(PREFERENCES_PATH, name="notification-preferences")
async def preferences_page(
    request: Request[Any, Any, Any], notice: FromQuery[str | None] = None
) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return _sign_in_first(PREFERENCES_PATH)
    language = language_of(request)
    preferences = await runtime_of(request).notifications.preferences(viewer.id)
    schedule = preferences.schedule
    digest_hours = [time(hour) for hour in range(24)]
    if schedule.digest_at not in digest_hours:  # set to the minute through the API: keep it on offer
        digest_hours = sorted([*digest_hours, schedule.digest_at])
    return Template(
        template_name="notification_preferences.html",
        context={
            "viewer": viewer,
            "kinds": [_kind_row(choice, language) for choice in preferences.kinds],
            "schedule": schedule,
            "digest_hours": digest_hours,
            "saved": notice == SAVED,
            "nav_current": "notifications",
        },
        headers={"Cache-Control": "no-store"},
    )


def _kind_row(choice: KindChoice, language: Language) -> KindRow:
    return KindRow(choice.kind.value, label(language, choice.kind), choice.email, choice.in_app)


@post(PREFERENCES_PATH, name="save-notification-preferences")
async def save_preferences(request: Request[Any, Any, Any]) -> Redirect:
    employee_id = acting_employee_id(request)
    if employee_id is None:
        return _sign_in_first(PREFERENCES_PATH)
    language = language_of(request)
    form = await request.form()
    emails, in_app = set(form.getall("email", [])), set(form.getall("in_app", []))
    changes = {kind: Channels(email=kind.value in emails, in_app=kind.value in in_app) for kind in NotificationKind}
    try:
        schedule = Schedule(
            quiet_from=optional_time(form.get("quiet_from"), "quiet_from"),
            quiet_until=optional_time(form.get("quiet_until"), "quiet_until"),
            daily_digest=form.get("daily_digest") == "on",
            digest_at=_digest_at(form.get("digest_at")),
        )
        await runtime_of(request).notifications.save_preferences(employee_id, changes, schedule)
    except (FormError, InvalidInput) as exc:
        texts = {field: gettext(language, "That time is not valid. Use the form HH:MM.") for field in TIME_FIELDS}
        return see_other_with_error(request, PREFERENCES_PATH, form_page_error(language, exc, texts))
    return see_other(f"{PREFERENCES_PATH}?notice={SAVED}")


TIME_FIELDS = ("quiet_from", "quiet_until", "digest_at")
"""The form's time fields: a malformed one is a FormError on its name."""


def _digest_at(value: str | None) -> time:
    digest_at = optional_time(value, "digest_at")
    if digest_at is None:
        raise FormError("digest_at", "missing_digest_at")
    return digest_at


@get("/notifications/unsubscribe/{token:str}", name="unsubscribe")
async def unsubscribe_page(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    """The link in a reminder email, opened in a browser: asks first (a link scanner must not unsubscribe)."""
    language = language_of(request)
    try:
        asked = await runtime_of(request).notifications.unsubscribe_link(token)
    except NotFound:
        return _invalid_link(language)
    return _unsubscribe_template("confirm", asked.kind, language)


@post("/notifications/unsubscribe/{token:str}", name="unsubscribe-now", exclude_from_csrf=True)
async def unsubscribe_now(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    """RFC 8058's one-click POST (a mail client's, body ``List-Unsubscribe=One-Click``, no cookies) or the
    confirmation page's button: the kind's email goes off; 200 with a confirmation page. The token is the proof,
    so no CSRF token is asked for; a second POST changes nothing and answers the same."""
    language = language_of(request)
    try:
        done = await runtime_of(request).notifications.unsubscribe(token)
    except NotFound:
        return _invalid_link(language)
    return _unsubscribe_template("done", done.kind, language)


def _unsubscribe_template(state: str, kind: NotificationKind, language: Language) -> Template:
    return Template(
        template_name="unsubscribe.html",
        context={"state": state, "kind_label": label(language, kind), "viewer": None, "demo_mode": False},
        headers={"Cache-Control": "no-store"},
    )


def _invalid_link(language: Language) -> Template:
    error = PageError(
        HTTP_404_NOT_FOUND,
        "unsubscribe_link_invalid",
        gettext(language, "Not found"),
        gettext(
            language, "This unsubscribe link is not valid. Choose which emails you get in your notification settings."
        ),
    )
    return error_page(error, {"Cache-Control": "no-store"})


NOTIFICATION_ROUTES = [
    notifications_page,
    open_notification,
    mark_all_read,
    preferences_page,
    save_preferences,
    unsubscribe_page,
    unsubscribe_now,
]
