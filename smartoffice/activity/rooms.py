"""Meetings in meeting rooms: one day of one room, walked through on a 30-minute grid.

A room is busier the smaller it is and the fuller its building is that day. Meetings last 30 minutes to 3 hours
within the room's bookable hours (08:00-17:00 at most: nobody meets at 07:00 or 18:30), never overlap (the room's
changeover buffer included), and are mostly small: half of them 2-4 people, so the large rooms often hold small
meetings, which is what "meeting size against room capacity" is there to show. The organiser is someone in the
office that day, on the room's floor if anyone is.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from smartoffice.activity.desks import BookingRecord, Story, between
from smartoffice.activity.world import Place, Room, Rule
from smartoffice.places.models import hours_on

SLOT = timedelta(minutes=30)
EARLIEST, LATEST = time(8), time(17)
DURATIONS, DURATION_WEIGHTS = (1, 2, 2, 3, 4, 6), (25, 30, 15, 12, 12, 6)
"""Meeting lengths in slots of 30 minutes, and how common each is."""
MEAN_SLOTS = sum(d * w for d, w in zip(DURATIONS, DURATION_WEIGHTS, strict=True)) / sum(DURATION_WEIGHTS)
SIZES = ((2, 4), (5, 8), (9, 20))
SIZE_WEIGHTS = (50, 30, 20)
LEAD_DAYS, LEAD_WEIGHTS = (0, 1, 2, 3, 5, 7, 10, 14), (5, 20, 15, 12, 12, 14, 12, 10)
"""How many days ahead a room is booked."""
CANCELLED, NO_SHOW, FUTURE_CANCELLED = 0.07, 0.08, 0.04
KINDS = ("Rapat Koordinasi", "Rapat Internal", "Diskusi", "Rapat Pimpinan", "Sinkronisasi", "Konsultasi")
TOPICS = (
    "Perencanaan Anggaran", "Evaluasi Program", "Penyusunan Laporan Kinerja", "Data dan Informasi", "Kerja Sama",
    "Rencana Kerja Tim", "Regulasi", "Pemantauan Kegiatan", "Persiapan Rapat Tingkat Menteri",
)  # fmt: skip


def room_day(
    rng: random.Random,
    room: Room,
    place: Place,
    rule: Rule,
    day: date,
    fullness: float,
    organisers: list[int],
    cutoff: datetime,
) -> list[BookingRecord]:
    """The bookings of ``room`` on ``day`` as ``bookings`` rows (``fullness``: the building's desks booked that
    day, 0-1; ``organisers``: people in the office who may book)."""
    window = _hours(room, place, day)
    if window is None or not organisers:
        return []
    opens, closes = window
    target = min(0.8, (0.45 if room.capacity <= 6 else 0.35 if room.capacity <= 12 else 0.25) * (0.2 + fullness))
    chance = target / (MEAN_SLOTS * (1 - target) + target)
    rows: list[BookingRecord] = []
    at = opens
    while at + SLOT <= closes:
        if rng.random() >= chance:
            at += SLOT
            continue
        slots = rng.choices(DURATIONS, DURATION_WEIGHTS)[0]
        end = min(closes, at + slots * SLOT)
        low, high = rng.choices(SIZES, SIZE_WEIGHTS)[0]
        size = min(room.capacity, rng.randint(low, high))
        organiser = rng.choice(organisers)
        story = _story(rng, at, rule, cutoff)
        if story is None:
            at += slots * SLOT  # not booked yet: the slot stays free for now
            continue
        status, created, checked_in, released, cancelled = story
        title = f"{rng.choice(KINDS)} {rng.choice(TOPICS)}"
        rows.append(
            (room.id, "room", organiser, organiser, at, end, end + rule.buffer, status, 1 if status == "booked" else 2,
             created, checked_in, released, cancelled, title, size)
        )  # fmt: skip
        at = _next_slot(end + rule.buffer, opens)
    return rows


def _hours(room: Room, place: Place, day: date) -> tuple[datetime, datetime] | None:
    """The day's meeting hours as UTC instants: the room's bookable hours (else the building's), cut to
    :data:`EARLIEST`-:data:`LATEST`, on the 30-minute grid."""
    if room.bookable_hours is not None:
        hours = room.bookable_hours.get(str(day.isoweekday()))
        window = tuple(time.fromisoformat(h) for h in hours) if hours else None
    else:
        window = hours_on(place.opens_at, place.closes_at, place.opening_hours, day)
    if window is None:
        return None
    opens = datetime.combine(day, max(window[0], EARLIEST), place.zone)
    closes = datetime.combine(day, min(window[1], LATEST), place.zone)
    opens = _next_slot(opens, datetime.combine(day, time(), place.zone))
    return (opens.astimezone(UTC), closes.astimezone(UTC)) if opens + SLOT <= closes else None


def _next_slot(at: datetime, origin: datetime) -> datetime:
    """``at``, rounded up to the 30-minute grid that ``origin`` is on."""
    steps = -((origin - at) // SLOT)
    return origin + steps * SLOT


def _story(rng: random.Random, start: datetime, rule: Rule, cutoff: datetime) -> Story | None:
    """What became of a meeting's booking by ``cutoff``; None when nobody has booked it yet."""
    lead = rng.choices(LEAD_DAYS, LEAD_WEIGHTS)[0]
    created = start - timedelta(days=lead, minutes=rng.randint(30, 8 * 60))
    if created > cutoff:
        return None
    outcome = rng.random()
    resolved = start + rule.grace <= cutoff
    if outcome < (CANCELLED if resolved else FUTURE_CANCELLED):
        return "cancelled", created, None, None, between(rng.random, created, min(start, cutoff))
    if not resolved:
        return "booked", created, None, None, None
    if outcome < CANCELLED + NO_SHOW and rule.grace:
        return "released", created, None, max(start, created) + rule.grace + timedelta(seconds=rng.randint(1, 59)), None
    earliest = max(created + timedelta(minutes=1), start - min(rule.check_in_opens, timedelta(minutes=10)))
    checked_in = earliest + (start + timedelta(minutes=10) - earliest) * rng.random()
    return "checked_in", created, checked_in.replace(microsecond=0), None, None
