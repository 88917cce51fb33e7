"""Each kind of notification: its defaults, how it is sent, and the ``data`` it carries.

``data`` holds facts, never words: it is put into words when read (``/notifications``) or sent (email), in the
reader's language, by :func:`smartoffice.notifications.compose.describe`. Instants are ISO 8601 UTC strings with
the building's ``timeZone`` beside them; dates are ISO dates.

**Booking facts** (:class:`BookingFacts`, made by :func:`smartoffice.notifications.facts.booking_facts`) are the
``data`` of BOOKING_CONFIRMED, BOOKING_CANCELLED, ROOM_INVITATION, APPROVAL_REQUESTED, APPROVAL_DECIDED,
CHECK_IN_REMINDER, NO_SHOW_RELEASED and WAITLIST_GRANTED, plus per kind:

* BOOKING_CANCELLED: ``reason`` (the cancel reason: a closure's, or the canceller's), ``byClosure`` (bool);
* ROOM_INVITATION: ``method`` ``"REQUEST"`` or ``"CANCEL"``, ``organiserName``, ``organiserEmail``;
* APPROVAL_DECIDED: ``approved`` (bool), ``note``;
* CHECK_IN_REMINDER: ``releaseAt`` (when it is released unless checked in).

EXEMPTION_REQUESTED and EXEMPTION_DECIDED carry :class:`ExemptionFacts` (DECIDED adds ``approved`` and
``note``). WEEKLY_REMINDER carries :class:`WeekFacts`; UNIT_DIGEST :class:`UnitDigestFacts`.
"""

from dataclasses import dataclass
from typing import NotRequired, TypedDict

from smartoffice.notifications.models import NotificationKind as K


@dataclass(frozen=True, slots=True)
class KindPolicy:
    email: bool = True
    """Email on unless the person turns it off."""
    in_app: bool = True
    reminder: bool = False
    """A reminder or digest: its emails carry the one-click unsubscribe (RFC 8058 ``List-Unsubscribe``)."""
    urgent: bool = False
    """Time-critical: never held for the daily digest (quiet hours still delay it; ``expires_at`` drops it)."""
    standalone: bool = False
    """Always its own email, never folded into a digest (calendar invitations: a client acts on each)."""


POLICIES: dict[K, KindPolicy] = {
    K.BOOKING_CONFIRMED: KindPolicy(),
    K.BOOKING_CANCELLED: KindPolicy(urgent=True),
    K.ROOM_INVITATION: KindPolicy(standalone=True),
    K.APPROVAL_REQUESTED: KindPolicy(urgent=True),
    K.APPROVAL_DECIDED: KindPolicy(urgent=True),
    K.EXEMPTION_REQUESTED: KindPolicy(),
    K.EXEMPTION_DECIDED: KindPolicy(),
    K.CHECK_IN_REMINDER: KindPolicy(reminder=True, urgent=True),
    K.NO_SHOW_RELEASED: KindPolicy(urgent=True),
    K.WAITLIST_GRANTED: KindPolicy(urgent=True),
    K.WEEKLY_REMINDER: KindPolicy(reminder=True),
    K.UNIT_DIGEST: KindPolicy(reminder=True),
}
"""Every kind has one (a test checks)."""


class BookingFacts(TypedDict):
    bookingId: int
    version: int
    status: str
    """The booking's status as the change left it (``booked``, ``pending``, ``cancelled``, ...)."""
    spaceKind: str
    """``desk`` or ``room``."""
    spaceId: int
    spaceName: str
    """The desk's code or the room's name."""
    floorId: int
    floorName: str
    buildingId: int
    buildingName: str
    timeZone: str
    startAt: str
    endAt: str
    title: str | None
    personId: int
    personName: str
    bookedById: int
    bookedByName: str
    actorName: str | None
    """Who made this change, when a person did (none: the system or a job)."""
    reason: NotRequired[str | None]
    byClosure: NotRequired[bool]
    method: NotRequired[str]
    organiserName: NotRequired[str]
    organiserEmail: NotRequired[str | None]
    approved: NotRequired[bool]
    note: NotRequired[str | None]
    releaseAt: NotRequired[str]


class ExemptionFacts(TypedDict):
    exemptionId: int
    personId: int
    personName: str
    startsOn: str
    endsOn: str
    remoteDaysPerWeek: int
    reason: str
    actorName: str | None
    approved: NotRequired[bool]
    note: NotRequired[str | None]


class RequiredDay(TypedDict):
    date: str
    booked: bool
    """Already holds a desk booking."""


class WeekFacts(TypedDict):
    weekStart: str
    """The Monday of the week the reminder is about."""
    timeZone: str
    days: list[RequiredDay]
    """The required office days, in order (empty: none required; no reminder is made then)."""


class UnitMemberLine(TypedDict):
    personName: str
    required: int
    attended: int
    compliant: bool


class UnitDigestFacts(TypedDict):
    unitId: int
    unitName: str
    weekStart: str
    """The Monday of the week the digest looks back on."""
    members: int
    compliant: int
    notCompliant: int
    lines: list[UnitMemberLine]
    """The people not compliant first, at most 20."""
