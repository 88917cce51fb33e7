"""Which desk each person gets on a day, and what became of the booking.

A person sits at their assigned desk if they have one; otherwise at their usual desk when it is free, else at a
free desk in their unit's zones, then on the same floors, then anywhere in their home building; when the building
is full (or capped) they are turned away and book nothing. Only hot desks are handed out: never a desk assigned
to someone else, never one closed that day, never two people on one desk, never two desks for one person.

This is the generator's inner loop (13 million bookings a year at tier L): desks are dealt to whole groups at
once, and a booking's story draws from ``Random.random`` and precomputed tables rather than from
``randint``/``choices``/``triangular``, each several times slower.
"""

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from smartoffice.activity.world import Rule, Staff

Bucket = int
"""A zone's desks, or (as ``-floor id``) a floor's desks outside any zone."""

BookingRecord = tuple[object, ...]
"""A ``bookings`` row in :data:`~smartoffice.activity.seed.BOOKING_COLUMNS` order."""

Draw = Callable[[], float]
"""``Random.random`` of the day's generator."""

CANCELLED = 0.05
"""Past bookings cancelled before the day; a no-show's chance is the person's own (see ``Habits.no_show``)."""
FUTURE_CANCELLED = 0.03
"""Bookings of days still to come, cancelled already."""
LEAD_DAYS = (0, 1, 2, 3, 4, 5, 6, 7, 10, 14)
LEAD_WEIGHTS = (10, 20, 15, 12, 10, 8, 7, 8, 5, 5)
"""How many days ahead a desk is booked (0: that morning); the weights add up to 100."""


def seat_day(
    draw: Draw,
    template: "PoolTemplate",
    staff: Sequence[Staff],
    coming: Sequence[int],
    usual: dict[int, int],
    closed: Iterable[int] = (),
) -> dict[int, int]:
    """A hot desk for each of ``coming`` (indexes into ``staff``, in the order they booked) who finds one: their
    usual desk if still free, else the next free desks of their unit's zones, of their floors, then of their
    building (from a random desk on, so a unit's late bookers sit together). ``closed`` desks are not given out.

    Whole groups are dealt at once (a free list per zone and day, not a random draw per person): this runs for
    every booking of the year at tier L."""
    taken = set(closed)
    desk_of: dict[int, int] = {}
    waiting = []
    for i in coming:
        desk = usual.get(staff[i].id)
        if desk is not None and desk not in taken:
            taken.add(desk)
            desk_of[i] = desk
        else:
            waiting.append(i)
    buckets = template.buckets
    levels: tuple[Callable[[Staff], tuple[Bucket, ...]], ...] = (
        lambda member: member.home_zones,
        lambda member: template.on_floors(member.home_floors),
        lambda member: template.in_building(member.home_building),
    )
    for where in levels:
        groups: dict[tuple[Bucket, ...], list[int]] = defaultdict(list)
        for i in waiting:
            groups[where(staff[i])].append(i)
        waiting = []
        for places, people in groups.items():
            free = [desk for bucket in places for desk in buckets.get(bucket, ()) if desk not in taken]
            if free:
                k = int(draw() * len(free))
                free = free[k:] + free[:k]
            for i, desk in zip(people, free, strict=False):
                taken.add(desk)
                desk_of[i] = desk
            waiting += people[len(free) :]
    return desk_of


@dataclass
class PoolTemplate:
    """The hot desks by bucket, in id order (neighbours in a bench have neighbouring ids), and where buckets are."""

    buckets: dict[Bucket, list[int]]
    floor_buckets: dict[int, list[Bucket]]
    building_floors: dict[int, list[int]]
    _on_floors: dict[tuple[int, ...], tuple[Bucket, ...]] = field(default_factory=dict)
    _in_building: dict[int | None, tuple[Bucket, ...]] = field(default_factory=dict)

    def on_floors(self, floors: tuple[int, ...]) -> tuple[Bucket, ...]:
        found = self._on_floors.get(floors)
        if found is None:
            found = self._on_floors[floors] = tuple(b for f in floors for b in self.floor_buckets.get(f, ()))
        return found

    def in_building(self, building: int | None) -> tuple[Bucket, ...]:
        found = self._in_building.get(building)
        if found is None:
            floors = tuple(self.building_floors.get(building, ())) if building is not None else ()
            found = self._in_building[building] = self.on_floors(floors)
        return found

    @classmethod
    def of(
        cls, desk_zone: dict[int, int | None], desk_floor: dict[int, int], floor_building: dict[int, int]
    ) -> "PoolTemplate":
        buckets: dict[Bucket, list[int]] = defaultdict(list)
        floor_buckets: dict[int, list[Bucket]] = defaultdict(list)
        for desk in sorted(desk_zone):
            floor = desk_floor[desk]
            zone = desk_zone[desk]
            bucket = zone if zone is not None else -floor
            if bucket not in buckets:
                floor_buckets[floor].append(bucket)
            buckets[bucket].append(desk)
        building_floors: dict[int, list[int]] = defaultdict(list)
        for floor in sorted(floor_buckets):
            building_floors[floor_building[floor]].append(floor)
        return cls(dict(buckets), dict(floor_buckets), dict(building_floors))


def usual_desks(rng: random.Random, staff: list[Staff], template: PoolTemplate) -> dict[int, int]:
    """Each person's usual desk: a unit's people dealt round its zones' desks, so that few share one."""
    by_zones: dict[tuple[int, ...], list[Staff]] = defaultdict(list)
    for member in staff:
        if member.home_zones and member.assigned_desk is None:
            by_zones[member.home_zones].append(member)
    usual: dict[int, int] = {}
    for zones, members in by_zones.items():
        desks = [desk for zone in zones for desk in template.buckets.get(zone, ())]
        if not desks:
            continue
        rng.shuffle(desks)
        for i, member in enumerate(members):
            usual[member.id] = desks[i % len(desks)]
    return usual


Story = tuple[str, datetime, datetime | None, datetime | None, datetime | None]
"""What became of a booking: status, ``created_at``, ``checked_in_at``, ``released_at``, ``cancelled_at``."""


class DeskStories:
    """The stories of whole-day desk bookings under one booking rule, drawn from precomputed tables."""

    def __init__(self, rule: Rule) -> None:
        tables = random.Random(f"desk stories {rule}")
        self.grace = rule.grace
        self.lead = [lead for lead, weight in zip(LEAD_DAYS, LEAD_WEIGHTS, strict=True) for _ in range(weight)]
        self.lead_days = {lead: timedelta(days=lead) for lead in LEAD_DAYS}
        self.that_morning = [timedelta(minutes=m) for m in range(10, 61)]
        """Booked that morning: this long before the start."""
        self.days_before = [timedelta(minutes=m) for m in range(0, 14 * 60, 5)]
        """Booked days before: this long after that day's opening time (07:00-21:00)."""
        opens, closes = -rule.check_in_opens + timedelta(minutes=1), (rule.grace or timedelta(hours=2))
        self.check_in = sorted(
            opens + (closes - timedelta(minutes=1) - opens) * tables.triangular(0, 1, 0.6) for _ in range(240)
        )
        """Check-ins from when check-in opens to just before the grace period ends, mostly in its second half."""
        self.check_in = [offset - timedelta(microseconds=offset.microseconds) for offset in self.check_in]
        self.release = [rule.grace + timedelta(seconds=s) for s in range(1, 60)]
        """The no-show job runs every minute."""

    def story(self, draw: Draw, start: datetime, no_show: float, resolved: bool, cutoff: datetime) -> Story | None:
        """What became of the booking by ``cutoff`` (the moment of seeding); None when the person has not booked
        yet (they book a few days ahead, so the days to come fill up as they near). ``resolved``: the day has begun
        by ``cutoff``, so the booking was checked in, released as a no-show after its grace period, or cancelled
        before the day."""
        lead = self.lead[int(draw() * 100)]
        if lead == 0:
            created = start - self.that_morning[int(draw() * 51)]
        else:
            created = start - self.lead_days[lead] + self.days_before[int(draw() * 168)]
        if created > cutoff:
            return None
        outcome = draw()
        if outcome < (CANCELLED if resolved else FUTURE_CANCELLED):
            return "cancelled", created, None, None, between(draw, created, min(start, cutoff))
        if not resolved:
            return "booked", created, None, None, None
        if outcome < CANCELLED + no_show and self.grace:
            return "released", created, None, max(start, created) + self.release[int(draw() * 59)], None
        checked_in = start + self.check_in[int(draw() * 240)]
        if checked_in <= created:
            checked_in = created + timedelta(minutes=1)
        return "checked_in", created, checked_in, None, None


def between(draw: Draw, first: datetime, last: datetime) -> datetime:
    """An instant well within ``first``-``last`` (just after ``first`` when they are too close)."""
    if last <= first:
        return first + timedelta(seconds=30)
    return (first + (last - first) * (0.2 + 0.75 * draw())).replace(microsecond=0)
