"""Notifications in words: the title, the details and the link to act on, in the reader's language.

:func:`describe` turns a notification's ``data`` (facts, see :mod:`smartoffice.notifications.kinds`) into text for
the bell's list (``/notifications``), the API and the emails (:mod:`smartoffice.notifications.compose`): every
string from the gettext catalogues (smartoffice.i18n) with named ``%(x)s`` parameters, every date and time in the
booking's ``timeZone`` (else the week's) as the language writes it (smartoffice.formats).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from smartoffice import formats
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.labels import label
from smartoffice.notifications.models import NotificationKind
from smartoffice.notifications.produce import DEFAULT_ZONE

K = NotificationKind
log = logging.getLogger(__name__)
NOTIFICATIONS = "/notifications"
MY_BOOKINGS = "/my-bookings"
APPROVALS = "/approvals"


@dataclass(frozen=True, slots=True)
class Described:
    title: str
    """One line: "Desk A12 on Wednesday, 9 December is booked for you by Siti"."""
    lines: tuple[str, ...]
    """The details, one sentence each (the place and time, the reason, what to do)."""
    link: str
    """Where to act, a path on the site (``/my-bookings``, ``/approvals``, ``/exemptions/12``)."""
    link_label: str


def describe(kind: NotificationKind, data: dict[str, Any], language: Language, *, strict: bool = False) -> Described:
    """The notification in words (the bell's list shows ``title``, ``lines`` and the link).

    ``data`` missing a fact its kind needs (a row an older producer made) still reads as its kind's name, linking
    to the list, and is logged: one bad row must not break the bell. ``strict`` raises instead (an email is
    better not sent than sent empty: the failure and its reason show on ``/admin/notifications``)."""
    try:
        return DESCRIBERS[kind](data, language)
    except (KeyError, TypeError, ValueError):
        if strict:
            raise
        log.warning("notification data of kind %s cannot be put into words", kind.value, exc_info=True)
        return Described(label(language, kind), (), NOTIFICATIONS, gettext(language, "Notifications"))


# --- Booking facts -------------------------------------------------------------------------------------------


def _local(data: dict[str, Any], key: str) -> datetime:
    """An instant of the data in the booking's (or week's) zone."""
    moment = datetime.fromisoformat(data[key])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(data.get("timeZone") or DEFAULT_ZONE))


def place(data: dict[str, Any], language: Language) -> str:
    """``Desk A12`` / ``Meja A12``; a room by its name."""
    if data["spaceKind"] == "desk":
        return gettext(language, "Desk %(code)s", code=data["spaceName"])
    return str(data["spaceName"])


def _day(data: dict[str, Any], language: Language) -> str:
    return formats.day_month(language, _local(data, "startAt").date())


def _when(data: dict[str, Any], language: Language) -> str:
    start, end = _local(data, "startAt"), _local(data, "endAt")
    if start.date() == end.date():
        # Translators: a booking's date and hours, e.g. "Wednesday 9 December 2026, 08:00–17:00".
        return gettext(
            language,
            "%(date)s, %(start)s–%(end)s",
            date=formats.long_date(language, start.date()),
            start=formats.clock(language, start.time()),
            end=formats.clock(language, end.time()),
        )
    return gettext(
        language,
        "From %(start_date)s, %(start)s to %(end_date)s, %(end)s",
        start_date=formats.long_date(language, start.date()),
        start=formats.clock(language, start.time()),
        end_date=formats.long_date(language, end.date()),
        end=formats.clock(language, end.time()),
    )


def where(data: dict[str, Any], language: Language) -> str:
    # Translators: a place, its floor and its building, e.g. "Desk A12, Lantai 3, Gedung Kemenko".
    return gettext(
        language,
        "%(place)s, %(floor)s, %(building)s",
        place=place(data, language),
        floor=data["floorName"],
        building=data["buildingName"],
    )


def _booking_lines(data: dict[str, Any], language: Language) -> list[str]:
    lines = [_when(data, language), where(data, language)]
    if data.get("title"):
        lines.append(gettext(language, "Meeting: %(title)s", title=data["title"]))
    return lines


def _by_someone_else(data: dict[str, Any]) -> str | None:
    """Who acted, when a person did and it was not the person the notification is about."""
    actor = data.get("actorName")
    return actor if actor and actor != data.get("personName") else None


def _note_line(data: dict[str, Any], language: Language) -> list[str]:
    return [gettext(language, "Note: %(note)s", note=data["note"])] if data.get("note") else []


def _my_bookings(language: Language) -> tuple[str, str]:
    return MY_BOOKINGS, gettext(language, "My bookings")


# --- One describer per kind ------------------------------------------------------------------------------------


def _booking_confirmed(data: dict[str, Any], language: Language) -> Described:
    params = {"place": place(data, language), "day": _day(data, language)}
    actor = _by_someone_else(data)
    lines = _booking_lines(data, language)
    if data.get("status") == "pending":  # a room that needs approval: requested, not yet booked
        if actor:
            title = gettext(
                language, "%(actor)s asked for %(place)s on %(day)s for you: it awaits approval", actor=actor, **params
            )
        else:
            title = gettext(language, "Your request for %(place)s on %(day)s awaits approval", **params)
        lines.append(gettext(language, "You will be told when it is decided."))
    elif actor:
        title = gettext(language, "%(place)s on %(day)s is booked for you by %(actor)s", actor=actor, **params)
    else:
        title = gettext(language, "%(place)s on %(day)s is booked", **params)
    return Described(title, tuple(lines), *_my_bookings(language))


def _booking_cancelled(data: dict[str, Any], language: Language) -> Described:
    params = {"place": place(data, language), "day": _day(data, language)}
    actor = _by_someone_else(data)
    if data.get("byClosure"):
        title = gettext(language, "%(place)s on %(day)s is cancelled: the place is closed", **params)
    elif actor:
        title = gettext(language, "%(actor)s cancelled your booking of %(place)s on %(day)s", actor=actor, **params)
    else:
        title = gettext(language, "Your booking of %(place)s on %(day)s is cancelled", **params)
    lines = _booking_lines(data, language)
    if data.get("reason"):
        lines.append(gettext(language, "Reason: %(reason)s", reason=data["reason"]))
    return Described(title, tuple(lines), *_my_bookings(language))


def _room_invitation(data: dict[str, Any], language: Language) -> Described:
    params = {
        "meeting": data.get("title") or place(data, language),
        "day": _day(data, language),
        "organiser": data.get("organiserName") or data["bookedByName"],
    }
    if data.get("method") == "CANCEL":
        title = gettext(language, "Cancelled: %(meeting)s on %(day)s", **params)
    else:
        title = gettext(language, "%(organiser)s invites you to %(meeting)s on %(day)s", **params)
    lines = [*_booking_lines(data, language), gettext(language, "Organiser: %(organiser)s", **params)]
    link = f"/floors/{data['floorId']}?date={_local(data, 'startAt').date().isoformat()}"
    return Described(title, tuple(lines), link, gettext(language, "See the floor"))


def _approval_requested(data: dict[str, Any], language: Language) -> Described:
    title = gettext(
        language,
        "%(person)s asks to book %(place)s on %(day)s",
        person=data["personName"],
        place=place(data, language),
        day=_day(data, language),
    )
    lines = _booking_lines(data, language)
    if data.get("bookedByName") and data["bookedByName"] != data["personName"]:
        lines.append(gettext(language, "Booked on their behalf by %(actor)s.", actor=data["bookedByName"]))
    return Described(title, tuple(lines), APPROVALS, gettext(language, "Approve or decline"))


def _approval_decided(data: dict[str, Any], language: Language) -> Described:
    params = {"place": place(data, language), "day": _day(data, language)}
    if data.get("approved"):
        title = gettext(language, "Your booking of %(place)s on %(day)s is approved", **params)
    else:
        title = gettext(language, "Your booking of %(place)s on %(day)s was declined", **params)
    lines = [*_booking_lines(data, language), *_note_line(data, language)]
    if data.get("actorName"):
        lines.append(gettext(language, "Decided by %(actor)s.", actor=data["actorName"]))
    return Described(title, tuple(lines), *_my_bookings(language))


def _period(data: dict[str, Any], language: Language) -> dict[str, str]:
    return {
        "starts": formats.long_date(language, date.fromisoformat(data["startsOn"])),
        "ends": formats.long_date(language, date.fromisoformat(data["endsOn"])),
    }


def _exemption_lines(data: dict[str, Any], language: Language) -> list[str]:
    days = int(data["remoteDaysPerWeek"])
    lines = [ngettext(language, "%(num)d remote day a week.", "%(num)d remote days a week.", days)]
    if data.get("reason"):
        lines.append(gettext(language, "Reason: %(reason)s", reason=data["reason"]))
    return lines


def _exemption_requested(data: dict[str, Any], language: Language) -> Described:
    title = gettext(
        language,
        "%(person)s asks for an exemption from %(starts)s to %(ends)s",
        person=data["personName"],
        **_period(data, language),
    )
    lines = _exemption_lines(data, language)
    actor = _by_someone_else(data)
    if actor:
        lines.append(gettext(language, "Requested on their behalf by %(actor)s.", actor=actor))
    link = f"/exemptions/{data['exemptionId']}"
    return Described(title, tuple(lines), link, gettext(language, "Review the request"))


def _exemption_decided(data: dict[str, Any], language: Language) -> Described:
    if data.get("approved"):
        title = gettext(language, "Your exemption from %(starts)s to %(ends)s is approved", **_period(data, language))
    else:
        title = gettext(language, "Your exemption from %(starts)s to %(ends)s was declined", **_period(data, language))
    lines = [*_exemption_lines(data, language), *_note_line(data, language)]
    if data.get("actorName"):
        lines.append(gettext(language, "Decided by %(actor)s.", actor=data["actorName"]))
    link = f"/exemptions/{data['exemptionId']}"
    return Described(title, tuple(lines), link, gettext(language, "See the exemption"))


def _check_in_reminder(data: dict[str, Any], language: Language) -> Described:
    release = _local(data, "releaseAt" if data.get("releaseAt") else "startAt")
    params = {"place": place(data, language), "time": formats.clock(language, release.time())}
    title = gettext(language, "Check in at %(place)s by %(time)s", **params)
    lines = [
        *_booking_lines(data, language),
        gettext(language, "Unless you check in by %(time)s, the booking is released for others.", **params),
    ]
    return Described(title, tuple(lines), f"/check-in/{data['spaceId']}", gettext(language, "Check in"))


def _no_show_released(data: dict[str, Any], language: Language) -> Described:
    title = gettext(
        language,
        "%(place)s on %(day)s was released: nobody checked in",
        place=place(data, language),
        day=_day(data, language),
    )
    lines = [*_booking_lines(data, language), gettext(language, "Others may book it now.")]
    return Described(title, tuple(lines), *_my_bookings(language))


def _waitlist_granted(data: dict[str, Any], language: Language) -> Described:
    title = gettext(
        language,
        "%(place)s on %(day)s is booked for you from the waitlist",
        place=place(data, language),
        day=_day(data, language),
    )
    return Described(title, tuple(_booking_lines(data, language)), *_my_bookings(language))


def _weekly_reminder(data: dict[str, Any], language: Language) -> Described:
    days = data.get("days") or []
    week = formats.day_month(language, date.fromisoformat(data["weekStart"]))
    title = ngettext(
        language,
        "In the week from %(week)s you are needed in the office on %(num)d day",
        "In the week from %(week)s you are needed in the office on %(num)d days",
        len(days),
        week=week,
    )
    lines = []
    for day in days:
        name = formats.long_date(language, date.fromisoformat(day["date"]))
        if day.get("booked"):
            lines.append(gettext(language, "%(day)s: a desk is booked.", day=name))
        else:
            lines.append(gettext(language, "%(day)s: no desk booked yet.", day=name))
    link = f"/my-week?week={data['weekStart']}"
    return Described(title, tuple(lines), link, gettext(language, "Book my required days"))


def _unit_digest(data: dict[str, Any], language: Language) -> Described:
    week = formats.day_month(language, date.fromisoformat(data["weekStart"]))
    title = gettext(
        language,
        "%(unit)s, week from %(week)s: %(compliant)s of %(members)s met their office days",
        unit=data["unitName"],
        week=week,
        compliant=data["compliant"],
        members=data["members"],
    )
    lines = []
    if data.get("notCompliant"):
        lines.append(
            ngettext(language, "%(num)d person did not.", "%(num)d people did not.", int(data["notCompliant"]))
        )
    for line in data.get("lines") or []:
        params = {"name": line["personName"], "attended": line["attended"], "required": line["required"]}
        if line.get("compliant"):
            lines.append(gettext(language, "%(name)s: in the office %(attended)s of %(required)s days.", **params))
        else:
            lines.append(
                gettext(language, "%(name)s: in the office %(attended)s of %(required)s days (not met).", **params)
            )
    link = f"/units/{data['unitId']}/compliance?week={data['weekStart']}"
    return Described(title, tuple(lines), link, gettext(language, "See the unit's compliance"))


DESCRIBERS: dict[NotificationKind, Callable[[dict[str, Any], Language], Described]] = {
    K.BOOKING_CONFIRMED: _booking_confirmed,
    K.BOOKING_CANCELLED: _booking_cancelled,
    K.ROOM_INVITATION: _room_invitation,
    K.APPROVAL_REQUESTED: _approval_requested,
    K.APPROVAL_DECIDED: _approval_decided,
    K.EXEMPTION_REQUESTED: _exemption_requested,
    K.EXEMPTION_DECIDED: _exemption_decided,
    K.CHECK_IN_REMINDER: _check_in_reminder,
    K.NO_SHOW_RELEASED: _no_show_released,
    K.WAITLIST_GRANTED: _waitlist_granted,
    K.WEEKLY_REMINDER: _weekly_reminder,
    K.UNIT_DIGEST: _unit_digest,
}
