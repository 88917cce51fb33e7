"""Messages for people, in English and Bahasa Indonesia, keyed by the stable codes of domain errors.

A service raises ``InvalidInput("date", "IN_PAST")``; whoever shows the error picks the language (GraphQL from
the request's ``Accept-Language``). Parameters are filled in with ``str.format``.
"""

from collections.abc import Mapping
from typing import Literal

Language = Literal["en", "id"]
DEFAULT_LANGUAGE: Language = "en"

MESSAGES: Mapping[str, Mapping[Language, str]] = {
    # not found, permissions, conflicts
    "NOT_FOUND": {"en": "{kind} {ident} does not exist", "id": "{kind} {ident} tidak ada"},
    "PERMISSION_DENIED": {"en": "You are not allowed to do this", "id": "Anda tidak berwenang melakukan ini"},
    "NOT_YOURS_TO_CANCEL": {
        "en": "Only the person booked, or whoever made the booking for them, may cancel it",
        "id": "Hanya pemesan, atau yang memesankan untuknya, yang dapat membatalkan pemesanan ini",
    },
    "SPACE_TAKEN": {
        "en": "This space is already booked for an overlapping time",
        "id": "Tempat ini sudah dipesan pada waktu yang bertumpang tindih",
    },
    "PERSON_ALREADY_BOOKED": {
        "en": "You already have a desk booked for an overlapping time",
        "id": "Anda sudah memesan meja lain pada waktu yang bertumpang tindih",
    },
    # input
    "INVALID_ID": {"en": "{field} is not a valid {type_name} id", "id": "{field} bukan id {type_name} yang sah"},
    "INVALID_CURSOR": {
        "en": "The cursor is not one this API returned",
        "id": "Kursor ini bukan kursor yang diberikan API ini",
    },
    "END_BEFORE_START": {
        "en": "The end time must be after the start time",
        "id": "Waktu selesai harus setelah waktu mulai",
    },
    "OUTSIDE_OPENING_HOURS": {
        "en": "{building} is open {opens}–{closes}",
        "id": "{building} buka pukul {opens}–{closes}",
    },
    "NOT_ON_SLOT": {
        "en": "Times must be on a quarter hour (:00, :15, :30, :45)",
        "id": "Waktu harus kelipatan seperempat jam (:00, :15, :30, :45)",
    },
    "IN_PAST": {"en": "That time is already in the past", "id": "Waktu tersebut sudah lewat"},
    "ALREADY_CANCELLED": {"en": "This booking is already cancelled", "id": "Pemesanan ini sudah dibatalkan"},
    "ALREADY_ENDED": {"en": "This booking has already ended", "id": "Pemesanan ini sudah berakhir"},
}


def render(code: str, language: Language = DEFAULT_LANGUAGE, **params: object) -> str:
    return MESSAGES[code][language].format(**params)


def language_from_header(accept_language: str | None) -> Language:
    """The first of our languages named in an ``Accept-Language`` header (by q-value), else English."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((weight, tag.strip().lower().split("-")[0]))
    for _weight, tag in sorted(ranked, key=lambda r: -r[0]):
        if tag in ("en", "id"):
            return "id" if tag == "id" else "en"
    return DEFAULT_LANGUAGE
