"""Putting notifications into words and emails, in the reader's language.

:func:`describe` (:mod:`smartoffice.notifications.wording`) is the words, for the in-app list and for email.
:func:`email_groups` and :func:`build_email` make the emails: HTML and plain text rendered from ``templates/email/``
with the same Jinja2 i18n extension and catalogues as the pages (smartoffice.web.templating, which a domain module
may not import: tests/unit/test_layers.py), a calendar file (:mod:`smartoffice.notifications.ics`) where the kind
has one, and the one-click unsubscribe of RFC 8058 on reminders.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from smartoffice import i18n
from smartoffice.i18n import DEFAULT_LANGUAGE, Language, as_language, gettext, ngettext
from smartoffice.labels import label
from smartoffice.notifications import ics
from smartoffice.notifications.kinds import POLICIES
from smartoffice.notifications.models import Notification, NotificationKind
from smartoffice.notifications.unsubscribe import unsubscribe_url
from smartoffice.notifications.wording import Described, describe, place, where
from smartoffice.settings import Settings

__all__ = ["Addressee", "Described", "build_email", "describe", "email_groups"]

K = NotificationKind
PREFERENCES = "/notifications/preferences"
HTML_TEMPLATE = "email/message.html"
TEXT_TEMPLATE = "email/message.txt"


@dataclass(frozen=True, slots=True)
class Addressee:
    employee_id: int
    name: str
    email: str
    language: Language
    """The person's saved language, else Indonesian."""


def email_groups(notifications: Sequence[Notification]) -> list[list[Notification]]:
    """How one person's due notifications go out: standalone kinds (invitations) one per email, the rest together
    (one email when one, a digest when several). Rows of several people are grouped per person, in the order
    they come."""
    groups: list[list[Notification]] = []
    together: dict[int, list[Notification]] = {}
    for notification in notifications:
        if POLICIES[notification.kind].standalone:
            groups.append([notification])
        elif notification.recipient_id in together:
            together[notification.recipient_id].append(notification)
        else:
            together[notification.recipient_id] = [notification]
            groups.append(together[notification.recipient_id])
    return groups


def message_id(notifications: Sequence[Notification], base_url: str) -> str:
    """The same for the same group, so a resend after a crash is recognisable (receivers may drop duplicates)."""
    host = urlsplit(base_url).hostname or "smartoffice.invalid"
    return f"<notif-{'-'.join(str(n.id) for n in sorted(notifications, key=lambda n: n.id))}@{host}>"


def unsubscribe_kind(notifications: Sequence[Notification]) -> NotificationKind | None:
    """The reminder kind the email's one-click unsubscribe turns off: the first reminder's (a digest holding
    several reminder kinds offers the first; each reminder's own email offers its kind)."""
    return next((n.kind for n in notifications if POLICIES[n.kind].reminder), None)


def build_email(
    addressee: Addressee, notifications: Sequence[Notification], settings: Settings, now: datetime
) -> EmailMessage:
    """One email (HTML and plain text) for one group from :func:`email_groups`: a single message with its .ics
    where it has one, or a digest listing them; reminders carry ``List-Unsubscribe`` and
    ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058). From ``settings.mail_from``; links on
    ``settings.base_url``; a Message-ID of its own, the same for the same group."""
    if not notifications:
        raise ValueError("an email needs at least one notification")
    language = addressee.language
    base_url = settings.base_url
    described = [describe(n.kind, n.data, language, strict=True) for n in notifications]
    if len(notifications) == 1:
        subject = described[0].title
    else:
        subject = ngettext(
            language, "SmartOffice: %(num)d notification", "SmartOffice: %(num)d notifications", len(notifications)
        )
    kind = unsubscribe_kind(notifications)
    unsubscribe = (
        unsubscribe_url(base_url, settings.secret_key, addressee.employee_id, kind) if kind is not None else None
    )
    text, html = _render(
        settings.templates_dir,
        {
            "language": language,
            "subject": subject,
            "addressee": addressee,
            "items": [
                {"title": d.title, "lines": d.lines, "url": base_url + d.link, "link_label": d.link_label}
                for d in described
            ],
            "preferences_url": base_url + PREFERENCES,
            "unsubscribe_url": unsubscribe,
            "unsubscribe_label": label(language, kind) if kind is not None else "",
            "site_url": base_url + "/",
        },
    )
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = addressee.email
    message["Subject"] = subject
    message["Date"] = format_datetime(now if now.tzinfo else now.replace(tzinfo=UTC))
    message["Message-ID"] = message_id(notifications, base_url)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay away
    message["X-SmartOffice-Notifications"] = ",".join(str(n.id) for n in notifications)
    if unsubscribe is not None:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    _attach_calendars(message, addressee, notifications, settings, now)
    message["Content-Language"] = language  # after the parts: set_content moves Content-* headers into them
    return message


def _attach_calendars(
    message: EmailMessage,
    addressee: Addressee,
    notifications: Sequence[Notification],
    settings: Settings,
    now: datetime,
) -> None:
    """An invitation is laid out as calendar services send theirs: a ``text/calendar; method=REQUEST`` (or
    CANCEL) alternative of the text, which mail clients show with their accept buttons, and the same file attached
    as ``application/ics`` for those that only open attachments. A booking's own change is an attached ``.ics``
    (PUBLISH or CANCEL)."""
    for notification in notifications:
        calendar = calendar_file(notification, addressee, settings, stamp=notification.created_at or now)
        if calendar is None:
            continue
        params = {"method": calendar.method, "charset": "utf-8"}
        if notification.kind == K.ROOM_INVITATION:
            message.add_alternative(calendar.content, maintype="text", subtype="calendar", params=params)
            message.add_attachment(calendar.content, maintype="application", subtype="ics", filename=calendar.filename)
        else:
            message.add_attachment(
                calendar.content, maintype="text", subtype="calendar", filename=calendar.filename, params=params
            )


def calendar_file(
    notification: Notification, addressee: Addressee, settings: Settings, stamp: datetime
) -> ics.CalendarFile | None:
    """The notification's calendar file (:mod:`smartoffice.notifications.ics`), in the addressee's language."""
    data, language = notification.data, addressee.language
    method = ics.method_for(notification.kind, data)
    if method is None:
        return None
    if notification.kind != K.ROOM_INVITATION and data.get("personId") != addressee.employee_id:
        return None  # a decision told to whoever booked it for someone: the event is the person's, not theirs
    name, address = parseaddr(settings.mail_from)
    system = ics.Person(name or "SmartOffice", address)
    if notification.kind == K.ROOM_INVITATION:
        summary = data.get("title") or place(data, language)
        organiser = ics.Person(data.get("organiserName") or data["bookedByName"], data.get("organiserEmail") or "")
        organiser = organiser if organiser.email else ics.Person(organiser.name, system.email)
    else:
        summary, organiser = place(data, language), system
    return ics.booking_calendar(
        data,
        method,
        # Translators: a calendar event's title: the desk or room (or the meeting) and its building.
        summary=gettext(language, "%(what)s, %(building)s", what=summary, building=data["buildingName"]),
        location=where(data, language),
        organiser=organiser,
        attendee=ics.Person(addressee.name, addressee.email),
        stamp=stamp,
    )


# --- The templates ---------------------------------------------------------------------------------------------


def _language(context: Context) -> Language:
    return as_language(context.get("language")) or DEFAULT_LANGUAGE


@pass_context
def _gettext(context: Context, message: str) -> str:
    return i18n.translations(_language(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return i18n.translations(_language(context)).ngettext(singular, plural, n)


@cache
def environment(templates_dir: Path) -> Environment:
    """The emails' templates (``{% trans %}`` in the context's ``language``, trimmed as ``babel.cfg`` extracts
    them; HTML autoescaped, plain text not). Made once per folder: it holds no request state. The values arrive
    in words already (:func:`describe`), so the templates need no formatting filters."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]  # i18n ext
    return env


def _render(templates_dir: Path, context: dict[str, Any]) -> tuple[str, str]:
    """The plain text and the HTML of one email."""
    env = environment(templates_dir)
    return env.get_template(TEXT_TEMPLATE).render(context), env.get_template(HTML_TEMPLATE).render(context)
