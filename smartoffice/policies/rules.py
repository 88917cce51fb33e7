"""What a policy can state, validated by msgspec, and how the statements of several policies combine.

Every field is optional: a policy states only what it decides. A field left out (``None``) is not stated, so
``false`` is a statement too (an emergency overlay lifting the anchor-day requirement). Base policies (every level)
combine by the **strictest** statement, so a lower level can only tighten what a higher one allows and precedence
holds by construction (an individual policy cannot loosen the national cap; an approved exemption can). Overlays
replace the fields they state, on their dates, above everything else (Ramadan hours, an emergency occupancy cap).
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

import msgspec

from smartoffice.errors import InvalidInput
from smartoffice.policies.errors import PolicyInputCode
from smartoffice.policies.models import LocationKind, Rating

WeekDays = Annotated[int, msgspec.Meta(ge=0, le=5)]
Weekday = Annotated[int, msgspec.Meta(ge=0, le=6)]
Percent = Annotated[int, msgspec.Meta(ge=0, le=100)]


class Eligibility(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Who may have remote days at all (PermenPANRB 4/2025 Pasal 25 and an agency's own criteria)."""

    no_discipline_case: bool = False
    """No active or pending disciplinary case."""
    min_days_in_post: Annotated[int, msgspec.Meta(ge=0, le=3650)] | None = None
    ratings: list[Rating] | None = None
    """The latest performance rating must be one of these."""


class DayHours(msgspec.Struct, forbid_unknown_fields=True):
    """One weekday's working hours: the local start and end of the day and the hours worked in it (the end less
    the breaks: Perpres 21/2023 gives Friday a longer break, for the Friday prayer)."""

    weekday: Weekday
    start: time
    end: time
    hours: Annotated[float, msgspec.Meta(gt=0, le=24)]


class WorkingHours(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The working hours a policy sets: the start and the hours of a week, and optionally each weekday's own
    figures (Ramadan: Monday to Thursday 08:00-15:00, Friday 08:00-15:30). A document of the first kind only
    (``{start, hours_per_week}``) stays valid: each weekday then starts at ``start`` and works a fifth of the
    week."""

    start: time
    hours_per_week: Annotated[float, msgspec.Meta(gt=0, le=60)]
    days: list[DayHours] | None = None

    def on(self, weekday: int) -> DayHours:
        """The hours of ``weekday`` (0 = Monday): its own figures if stated, else ``start`` and a fifth of the
        week."""
        for day in self.days or ():
            if day.weekday == weekday:
                return day
        hours = self.hours_per_week / 5
        end = (datetime.combine(date.min, self.start) + timedelta(hours=hours)).time()
        return DayHours(weekday, self.start, end, hours)


class PolicyRules(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    max_remote_days_per_week: WeekDays | None = None
    min_office_days_per_week: WeekDays | None = None
    office_every_working_day: bool | None = None
    """Public service: in the office on every working day, no location flexibility."""
    works_on_collective_leave: bool | None = None
    """Cuti bersama are working days for these people (their leave is taken elsewhere)."""
    anchor_days_required: bool | None = None
    """In the office on the anchor days of the person's unit."""
    supervisor_copresence_days: WeekDays | None = None
    """Office days a week shared with the direct supervisor."""
    max_unit_remote_percent: Percent | None = None
    """The largest share of a unit that may plan a remote day on any day."""
    building_occupancy_percent: Percent | None = None
    """The largest share of a building's desks that may be booked on a day (an emergency overlay)."""
    eligibility: Eligibility | None = None
    working_hours: WorkingHours | None = None
    exemption_max_remote_days: WeekDays | None = None
    """The most remote days a week an exemption may grant."""
    exemption_max_days: Annotated[int, msgspec.Meta(ge=1, le=366)] | None = None
    """The longest an exemption may run, in days."""
    exemption_max_months: Annotated[int, msgspec.Meta(ge=1, le=12)] | None = None
    """The longest an exemption may run, in calendar months (PermenPANRB 4/2025: "paling lama 3 bulan"): it ends at
    the latest on the day before the same day of the month that many months later (see
    :func:`smartoffice.policies.exemptions.latest_end`)."""
    allowed_location_kinds: list[LocationKind] | None = None
    """Where remote days may be worked (PermenPANRB 4/2025: the registered home, another office of the agency, a
    place the agency designates); None: all three."""
    prorate_short_weeks: bool | None = None
    """An agency's choice, not the Permen's: in a week with holidays each working day carries a fifth of the weekly
    numbers (the remote allowance rounds down: 1 remote day in a 4-day week under a cap of 2). Not stated, or
    false: the weekly numbers apply to a short week as they are (never more remote days than working days)."""


NATIONAL_WORKING_HOURS = WorkingHours(
    time(7, 30),
    37.5,
    [
        *(DayHours(weekday, time(7, 30), time(16), 7.5) for weekday in range(4)),
        DayHours(4, time(7, 30), time(16, 30), 7.5),
    ],
)
"""Perpres 21/2023: Monday to Friday from 07:30, 37.5 hours a week: Monday to Thursday to 16:00 with an hour's
break, Friday to 16:30 with an hour and a half (the Friday prayer)."""


def parse_rules(document: dict[str, Any]) -> PolicyRules:
    """Validate a rules document; a bad one is an InvalidInput naming the problem (msgspec's path and reason)."""
    try:
        return msgspec.convert(document, PolicyRules, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidInput("rules", PolicyInputCode.INVALID_RULES, detail=str(exc)) from None


def rules_document(rules: PolicyRules) -> dict[str, Any]:
    """The JSON document stored for ``rules`` (only what it states)."""
    document: dict[str, Any] = msgspec.to_builtins(rules)
    return document


def _min(values: Iterable[int | None]) -> int | None:
    stated = [value for value in values if value is not None]
    return min(stated) if stated else None


def _any(values: Iterable[bool | None]) -> bool | None:
    """True if some policy requires it, False if policies state it and none requires it, None if none states it."""
    stated = [value for value in values if value is not None]
    return any(stated) if stated else None


def _max(values: Iterable[int | None]) -> int | None:
    stated = [value for value in values if value is not None]
    return max(stated) if stated else None


def strictest(all_rules: list[PolicyRules]) -> PolicyRules:
    """One set of rules: the strictest statement of each field (the base policies of every level)."""
    eligibilities = [rules.eligibility for rules in all_rules if rules.eligibility is not None]
    rating_sets = [set(e.ratings) for e in eligibilities if e.ratings is not None]
    eligibility = (
        Eligibility(
            no_discipline_case=any(e.no_discipline_case for e in eligibilities),
            min_days_in_post=_max(e.min_days_in_post for e in eligibilities),
            ratings=sorted(set.intersection(*rating_sets), key=list(Rating).index) if rating_sets else None,
        )
        if eligibilities
        else None
    )
    hours = [rules.working_hours for rules in all_rules if rules.working_hours is not None]
    location_sets = [set(r.allowed_location_kinds) for r in all_rules if r.allowed_location_kinds is not None]
    return PolicyRules(
        max_remote_days_per_week=_min(r.max_remote_days_per_week for r in all_rules),
        min_office_days_per_week=_max(r.min_office_days_per_week for r in all_rules),
        office_every_working_day=_any(r.office_every_working_day for r in all_rules),
        works_on_collective_leave=_any(r.works_on_collective_leave for r in all_rules),
        anchor_days_required=_any(r.anchor_days_required for r in all_rules),
        supervisor_copresence_days=_max(r.supervisor_copresence_days for r in all_rules),
        max_unit_remote_percent=_min(r.max_unit_remote_percent for r in all_rules),
        building_occupancy_percent=_min(r.building_occupancy_percent for r in all_rules),
        eligibility=eligibility,
        working_hours=hours[-1] if hours else None,  # hours are not "stricter": the most specific level's win
        exemption_max_remote_days=_min(r.exemption_max_remote_days for r in all_rules),
        exemption_max_days=_min(r.exemption_max_days for r in all_rules),
        exemption_max_months=_min(r.exemption_max_months for r in all_rules),
        allowed_location_kinds=(
            sorted(set.intersection(*location_sets), key=list(LocationKind).index) if location_sets else None
        ),
        prorate_short_weeks=_any(r.prorate_short_weeks for r in all_rules),  # pro-rating gives fewer remote days
    )


def overlaid(base: PolicyRules, overlay: PolicyRules) -> PolicyRules:
    """``base`` with every field ``overlay`` states replaced by the overlay's."""
    stated = {field: value for field, value in msgspec.structs.asdict(overlay).items() if value != _DEFAULTS[field]}
    return msgspec.structs.replace(base, **stated)


_DEFAULTS = msgspec.structs.asdict(PolicyRules())
