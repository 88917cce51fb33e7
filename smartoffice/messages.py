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
    # recurring bookings
    "INVALID_RRULE": {
        "en": "The recurrence rule is not a valid RRULE (RFC 5545, without DTSTART)",
        "id": "Aturan pengulangan bukan RRULE yang sah (RFC 5545, tanpa DTSTART)",
    },
    "NO_OCCURRENCES": {
        "en": "The recurrence rule gives no date within 26 weeks",
        "id": "Aturan pengulangan tidak menghasilkan tanggal dalam 26 minggu",
    },
    "NOT_RECURRING": {
        "en": "This booking is not part of a series",
        "id": "Pemesanan ini bukan bagian dari rangkaian berulang",
    },
    # booking rules
    "REQUIRED": {"en": "{field} is required", "id": "{field} wajib diisi"},
    "ROOM_NOT_BOOKABLE_THAT_DAY": {
        "en": "This room cannot be booked on that day of the week",
        "id": "Ruangan ini tidak dapat dipesan pada hari tersebut",
    },
    "TOO_FAR_AHEAD": {
        "en": "Bookings open at most {days} days ahead",
        "id": "Pemesanan paling lambat {days} hari sebelumnya",
    },
    "TOO_SHORT": {"en": "A booking lasts at least {minutes} minutes", "id": "Pemesanan minimal {minutes} menit"},
    "TOO_LONG": {"en": "A booking lasts at most {minutes} minutes", "id": "Pemesanan maksimal {minutes} menit"},
    "CLOSED_HOLIDAY": {
        "en": "The office is closed that day: {name}",
        "id": "Kantor tutup pada hari itu: {name}",
    },
    "CLOSED": {"en": "Closed at that time: {reason}", "id": "Ditutup pada waktu tersebut: {reason}"},
    "DESK_ASSIGNED": {
        "en": "This desk is assigned to someone who has not released it for that day",
        "id": "Meja ini milik pegawai lain yang belum melepasnya untuk hari itu",
    },
    "DESK_NOT_ASSIGNED": {
        "en": "This desk is not assigned to anyone",
        "id": "Meja ini tidak ditetapkan untuk siapa pun",
    },
    "NOT_YOUR_DESK": {
        "en": "Only the desk's owner or their manager may release it",
        "id": "Hanya pemilik meja atau atasannya yang dapat melepas meja ini",
    },
    "ATTENDEES_TOO_FEW": {"en": "At least one person must attend", "id": "Minimal satu peserta"},
    "OVER_CAPACITY": {
        "en": "The room seats {capacity} people",
        "id": "Kapasitas ruangan {capacity} orang",
    },
    "LIMIT_REACHED": {
        "en": "You already hold {limit} upcoming bookings of this kind",
        "id": "Anda sudah memiliki {limit} pemesanan mendatang untuk jenis ini",
    },
    "CANCELLATION_DEADLINE_PASSED": {
        "en": "Bookings can be cancelled until {minutes} minutes before they start",
        "id": "Pemesanan hanya dapat dibatalkan hingga {minutes} menit sebelum dimulai",
    },
    "NOT_AN_APPROVER": {
        "en": "Only the room's approvers may decide on its bookings",
        "id": "Hanya penyetuju ruangan yang dapat memutuskan pemesanannya",
    },
    "NOT_PENDING": {
        "en": "This booking is not awaiting approval",
        "id": "Pemesanan ini tidak sedang menunggu persetujuan",
    },
    "NOT_ALLOWED_TO_BOOK_FOR": {
        "en": "You may book only for yourself, the people you manage, or in sites you manage",
        "id": "Anda hanya dapat memesan untuk diri sendiri, bawahan Anda, atau di lokasi yang Anda kelola",
    },
    "INVALID_IDEMPOTENCY_KEY": {
        "en": "An idempotency key is 1 to {max} printable characters",
        "id": "Kunci idempotensi terdiri atas 1 sampai {max} karakter yang dapat dicetak",
    },
    "IDEMPOTENCY_KEY_REUSED": {
        "en": "This idempotency key was already used for a different request",
        "id": "Kunci idempotensi ini sudah dipakai untuk permintaan lain",
    },
    # working calendar
    "RANGE_REVERSED": {
        "en": "The end date must not be before the start date",
        "id": "Tanggal akhir tidak boleh sebelum tanggal awal",
    },
    "RANGE_TOO_LONG": {
        "en": "A date range spans at most {max_days} days",
        "id": "Rentang tanggal paling panjang {max_days} hari",
    },
    "NAME_TOO_LONG": {
        "en": "The name is at most {max_length} characters",
        "id": "Nama paling panjang {max_length} karakter",
    },
    # check-in and check-out
    "NOT_YOUR_BOOKING": {
        "en": "Only the person booked, or whoever made the booking for them, may check in or out",
        "id": "Hanya pemesan, atau yang memesankan untuknya, yang dapat melakukan check-in atau check-out",
    },
    "CHECK_IN_NOT_OPEN": {
        "en": "Check-in opens at {opens}, {minutes} minutes before the start",
        "id": "Check-in dibuka pukul {opens}, {minutes} menit sebelum mulai",
    },
    "AWAITING_APPROVAL": {
        "en": "This booking is still awaiting approval",
        "id": "Pemesanan ini masih menunggu persetujuan",
    },
    "BOOKING_REJECTED": {"en": "This booking was rejected", "id": "Pemesanan ini ditolak"},
    "BOOKING_RELEASED": {
        "en": "This booking was released because nobody checked in in time",
        "id": "Pemesanan ini dilepas karena tidak ada yang check-in tepat waktu",
    },
    "NOT_CHECKED_IN": {
        "en": "You have not checked in to this booking; cancel it if you no longer need it",
        "id": "Anda belum check-in untuk pemesanan ini; batalkan bila tidak lagi diperlukan",
    },
    "ALREADY_CHECKED_OUT": {
        "en": "You have already checked out of this booking",
        "id": "Anda sudah check-out dari pemesanan ini",
    },
    "NO_BOOKING_TO_CHECK_IN": {
        "en": "You have no booking of this space to check in to now",
        "id": "Anda tidak memiliki pemesanan tempat ini untuk check-in saat ini",
    },
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
