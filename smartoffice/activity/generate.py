"""The generator: a :class:`~smartoffice.activity.world.World` in, one :class:`DayActivity` after another out.

Pure and deterministic: every draw comes from a ``random.Random`` seeded with the seed and what is being drawn
(the habits; a week's plans; a day's desks and outcomes; a day's meetings), so the same seed, world and ``today``
always give the same rows, and a day's rows do not depend on how many days come before it.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from smartoffice.activity.desks import BookingRecord, DeskStories, PoolTemplate, seat_day, usual_desks
from smartoffice.activity.habits import Habits, Mode, choose_week, draw_habits
from smartoffice.activity.needs import NeedsPlanner, WeekNeeds, mondays
from smartoffice.activity.rooms import room_day
from smartoffice.activity.world import Staff, World
from smartoffice.places.models import SpaceKind
from smartoffice.policies.engine import monday_of, occupancy_cap, remote_places
from smartoffice.workcalendar.models import DayKind

WorkDayRecord = tuple[object, ...]
"""A ``work_days`` row in :data:`~smartoffice.activity.seed.WORK_DAY_COLUMNS` order."""

SEEDED_AT = time(12)
"""The moment of seeding, on ``today`` in each building's zone: what began before it has happened (check-ins,
no-shows, the morning's meetings), what begins after it is still booked."""


@dataclass
class DayActivity:
    day: date
    desks: list[BookingRecord] = field(default_factory=list)
    rooms: list[BookingRecord] = field(default_factory=list)
    work_days: list[WorkDayRecord] = field(default_factory=list)
    turned_away: int = 0
    """People who meant to come in and found no desk in their home building (full, or capped)."""


@dataclass
class WeekPlans:
    """Who does what on each weekday of one week (indexes into ``World.staff``)."""

    office: list[list[int]] = field(default_factory=lambda: [[] for _ in range(7)])
    away: list[list[tuple[int, Mode]]] = field(default_factory=lambda: [[] for _ in range(7)])
    """Leave, duty travel and recorded remote days."""


class ActivityGenerator:
    """``weekly``: each person plans each week anew with the engine's requirements for it (leave, travel and
    remote plans included). Otherwise (tier L's year: 100,000 people x 53 weeks) everyone keeps the office days
    they chose for one ordinary week, on every working day of the range, and ``work_days`` are not drawn."""

    def __init__(
        self, world: World, *, today: date, seed: int = 2026, work_days: bool = True, weekly: bool = True
    ) -> None:
        self.world, self.today, self.seed = world, today, seed
        self.with_work_days, self.weekly = work_days and weekly, weekly
        self.planner = NeedsPlanner(world.policies, world.calendar)
        self.template = PoolTemplate.of(world.desk_zone, world.desk_floor, world.floor_building)
        rng = random.Random(f"{seed}:habits")
        self.habits: list[Habits] = [draw_habits(rng, s.is_manager, s.person.anchor_weekdays) for s in world.staff]
        self.usual = usual_desks(random.Random(f"{seed}:usual desks"), world.staff, self.template)
        self.members: Counter[int] = Counter(unit for s in world.staff for unit in s.person.unit_path)
        self.cutoff = {b: datetime.combine(today, SEEDED_AT, p.zone).astimezone(UTC) for b, p in world.places.items()}
        self.earliest_cutoff = min(self.cutoff.values(), default=datetime.combine(today, SEEDED_AT, UTC))
        self.desks_in_building = Counter(world.floor_building[f] for f in world.desk_floor.values())
        self.desks_in_building.update(world.floor_building[floor] for _desk, floor in world.assigned.values())
        self.closed_days = {day for _scope, _id, day in world.closed}
        self.capping = [p for p in world.policies if p.rules.building_occupancy_percent is not None]
        self.stories = {b: DeskStories(world.rule(b, SpaceKind.DESK)) for b in world.places}
        self.cuti_workers: set[int] = set()
        """Staff (indexes) who work on cuti bersama, as far as the weeks planned so far tell."""

    def days(self) -> Iterator[DayActivity]:
        first, last = self.world.first, self.world.last
        pattern = None if self.weekly else self._week(self._ordinary_monday())
        for monday in mondays(first, last):
            plans = self._week(monday) if pattern is None else self._as_calendar_allows(pattern, monday)
            for weekday in range(7):
                day = monday + timedelta(days=weekday)
                if first <= day <= last:
                    yield self._day(day, plans)

    def _ordinary_monday(self) -> date:
        """The last week up to ``today``'s with five working days (the pattern's week when not ``weekly``)."""
        calendar = self.world.calendar
        weeks = [m for m in mondays(self.world.first, self.world.last) if m <= self.today] or [self.world.first]
        ordinary = [m for m in weeks if all(calendar.is_working_day(m + timedelta(days=n)) for n in range(5))]
        return (ordinary or weeks)[-1]

    def _as_calendar_allows(self, pattern: WeekPlans, monday: date) -> WeekPlans:
        """The pattern's office days that are working days this week: none on a public holiday; on cuti bersama,
        only for those who work on it."""
        calendar, plans = self.world.calendar, WeekPlans()
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if calendar.is_working_day(day):
                plans.office[weekday] = pattern.office[weekday]
            elif calendar.kind(day) == DayKind.COLLECTIVE_LEAVE:
                plans.office[weekday] = [i for i in pattern.office[weekday] if i in self.cuti_workers]
        return plans

    def _week(self, monday: date) -> WeekPlans:
        draw = random.Random(f"{self.seed}:week:{monday.isoformat()}").random
        remote: Counter[tuple[int, int]] = Counter()
        plans = WeekPlans()
        week = self.planner.week
        for i, (staff, habits) in enumerate(zip(self.world.staff, self.habits, strict=True)):
            needs = week(staff.person, monday)
            if needs.works_on_collective_leave:
                self.cuti_workers.add(i)
            for weekday, mode in choose_week(draw, habits, needs, away=self.weekly).items():
                if mode is Mode.OFFICE:
                    plans.office[weekday].append(i)
                elif not self.with_work_days:
                    continue
                elif mode is not Mode.HOME or self._within_share(staff, needs, weekday, remote):
                    plans.away[weekday].append((i, mode))
        return plans

    def _within_share(self, staff: Staff, needs: WeekNeeds, weekday: int, remote: Counter[tuple[int, int]]) -> bool:
        """Whether one more remote plan keeps the person's unit, and each unit above it, within its remote share
        (as ``policies.remote_days.check_remote_day`` would); an exemption's holder counts but is never refused."""
        path = staff.person.unit_path
        if needs.unit_remote_percent is not None and not needs.exempted:
            for unit in path:
                if remote[unit, weekday] + 1 > (remote_places(self.members[unit], needs.unit_remote_percent) or 0):
                    return False
        for unit in path:
            remote[unit, weekday] += 1
        return True

    def _day(self, day: date, plans: WeekPlans) -> DayActivity:
        world, weekday = self.world, day.weekday()
        draw = random.Random(f"{self.seed}:day:{day.isoformat()}").random
        activity = DayActivity(day)
        order = random.Random(f"{self.seed}:order:{day.isoformat()}").random
        coming = sorted(plans.office[weekday], key=lambda _i: order())  # who books first (a third of a shuffle's cost)
        closed = self._closed_desks(day) if day in self.closed_days else ()
        desk_of = seat_day(draw, self.template, world.staff, coming, self.usual, closed)
        seats = self._seats(day)
        windows = {b: place.window(day) for b, place in world.places.items()}
        resolved = {b: w is not None and w[0] + self.stories[b].grace <= self.cutoff[b] for b, w in windows.items()}
        booked: Counter[int] = Counter()
        present: dict[int, list[int]] = defaultdict(list)
        staff_list, habits = world.staff, self.habits
        desk_floor, floor_building = world.desk_floor, world.floor_building
        stories, cutoffs, rows = self.stories, self.cutoff, activity.desks
        for i in coming:
            staff = staff_list[i]
            if staff.assigned_desk is None:
                desk = desk_of.get(i)
                floor = desk_floor[desk] if desk is not None else 0
            else:
                desk, floor = self._assigned(staff, day)
            if desk is None:
                activity.turned_away += 1
                continue
            building = floor_building[floor]
            window = windows[building]
            if window is None or (seats and booked[building] >= seats.get(building, booked[building] + 1)):
                activity.turned_away += 1
                continue
            start, end = window
            story = stories[building].story(draw, start, habits[i].no_show, resolved[building], cutoffs[building])
            if story is None:
                continue  # will book later
            booked[building] += 1
            status = story[0]
            rows.append((desk, "desk", staff.id, staff.id, start, end, end, status, 1 if status == "booked" else 2,
                         *story[1:], None, None))  # fmt: skip
            if status != "cancelled":
                present[floor].append(staff.id)
        if self.with_work_days:
            activity.work_days = self._work_days(day, plans.away[weekday])
        if world.calendar.is_working_day(day):
            activity.rooms = self._meetings(day, booked, present)
        return activity

    def _assigned(self, staff: Staff, day: date) -> tuple[int | None, int]:
        desk, floor = self.world.assigned[staff.id]
        building = self.world.floor_building[floor]
        closed = self.world.is_closed(day, building, ("floor", floor), ("space", desk))
        return (None if closed else desk), floor

    def _closed_desks(self, day: date) -> list[int]:
        world = self.world
        return [
            desk
            for desk, zone in world.desk_zone.items()
            if world.is_closed(
                day,
                world.floor_building[world.desk_floor[desk]],
                ("floor", world.desk_floor[desk]),
                ("zone", zone),
                ("space", desk),
            )
        ]

    def _seats(self, day: date) -> dict[int, int]:
        """Buildings under an occupancy cap on ``day`` (an emergency overlay): how many may book a desk there."""
        seats: dict[int, int] = {}
        if not self.capping:
            return seats
        for building, desks in self.desks_in_building.items():
            cap = occupancy_cap(self.capping, building, day)
            if cap is not None:
                seats[building] = cap[0] * desks // 100
        return seats

    def _work_days(self, day: date, away: list[tuple[int, Mode]]) -> list[WorkDayRecord]:
        monday = monday_of(day)
        planned_at = datetime.combine(monday - timedelta(days=3), time(8), UTC)  # the Friday before, 16:00 WITA
        if planned_at > self.earliest_cutoff:
            return []  # a week not planned yet
        rows: list[WorkDayRecord] = []
        for i, mode in away:
            staff = self.world.staff[i]
            home = mode is Mode.HOME
            rows.append(
                (staff.id, day, mode.value, None, "registered_home" if home else None,
                 staff.home_address_ref if home else None, staff.id, planned_at)
            )  # fmt: skip
        return rows

    def _meetings(self, day: date, booked: Counter[int], present: dict[int, list[int]]) -> list[BookingRecord]:
        world = self.world
        rng = random.Random(f"{self.seed}:rooms:{day.isoformat()}")
        in_building: dict[int, list[int]] = defaultdict(list)
        for floor, people in present.items():
            in_building[world.floor_building[floor]].extend(people)
        rows: list[BookingRecord] = []
        for room in world.rooms:
            building = room.building_id
            if world.is_closed(day, building, ("floor", room.floor_id), ("space", room.id)):
                continue
            desks = self.desks_in_building[building]
            fullness = booked[building] / desks if desks else 0.0
            organisers = present.get(room.floor_id) or in_building.get(building) or []
            place, rule = world.places[building], world.rule(building, SpaceKind.ROOM)
            rows += room_day(rng, room, place, rule, day, fullness, organisers, self.cutoff[building])
        return rows
