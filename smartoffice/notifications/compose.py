"""Putting notifications into words: one function for the in-app list and for email, in the reader's language.

CONTRACT (helper H2 owns this file and ``templates/email/``; the signatures below are fixed, the bodies are
theirs): every string through the gettext catalogues (smartoffice.i18n), dates and times in the booking's
``timeZone`` with smartoffice.formats.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from smartoffice.i18n import Language
from smartoffice.notifications.models import Notification, NotificationKind
from smartoffice.settings import Settings


@dataclass(frozen=True, slots=True)
class Described:
    title: str
    """One line: "Desk A12 on Wednesday, 9 December is booked for you by Siti"."""
    lines: tuple[str, ...]
    """The details, one sentence each (the place and time, the reason, what to do)."""
    link: str
    """Where to act, a path on the site (``/my-bookings``, ``/approvals``, ``/exemptions/12``)."""
    link_label: str


def describe(kind: NotificationKind, data: dict[str, Any], language: Language) -> Described:
    """The notification in words (the bell's list shows ``title``, ``lines`` and the link)."""
    return Described(title=kind.value, lines=(), link="/", link_label="Open")  # placeholder until H2 lands


@dataclass(frozen=True, slots=True)
class Addressee:
    employee_id: int
    name: str
    email: str
    language: Language
    """The person's saved language, else Indonesian."""


def email_groups(notifications: Sequence[Notification]) -> list[list[Notification]]:
    """How one person's due notifications go out: standalone kinds (invitations) one per email, the rest together
    (one email when one, a digest when several)."""
    return [[n] for n in notifications]  # placeholder until H2 lands


def build_email(
    addressee: Addressee, notifications: Sequence[Notification], settings: Settings, now: datetime
) -> EmailMessage:
    """One email (HTML and plain text) for one group from :func:`email_groups`: a single message with its .ics
    where it has one, or a digest listing them; reminders carry ``List-Unsubscribe`` and
    ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058). From ``settings.mail_from``; links on
    ``settings.base_url``; a Message-ID of its own."""
    message = EmailMessage()  # placeholder until H2 lands
    message["From"] = settings.mail_from
    message["To"] = addressee.email
    message["Subject"] = ", ".join(describe(n.kind, n.data, addressee.language).title for n in notifications)
    message["Message-ID"] = make_msgid(domain="smartoffice.invalid")
    message.set_content("\n".join(n.kind.value for n in notifications))
    return message
