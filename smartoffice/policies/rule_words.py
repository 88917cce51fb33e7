"""A policy's rules in words, field by field, read from :class:`~smartoffice.policies.rules.PolicyRules` itself.

Every rule field has a label (an English msgid) here; the list of policies and the form to set one both walk the
struct's fields (``msgspec.inspect``), so a field added to ``PolicyRules`` appears in both at once. A field
without a label yet reads as its name in words (and ``tests/unit/test_policy_rule_words.py`` asks for a label).
"""

from collections.abc import Mapping
from datetime import time
from enum import Enum
from typing import Any

import msgspec

from smartoffice import formats
from smartoffice.i18n import N_, Language, gettext
from smartoffice.labels import LABELS
from smartoffice.policies.rules import PolicyRules

RULE_LABELS: Mapping[str, tuple[str, str | None]] = {
    # field path: (label, hint), both msgids
    "max_remote_days_per_week": (N_("Most remote days a week"), N_("0 to 5.")),
    "min_office_days_per_week": (N_("Fewest office days a week"), N_("0 to 5.")),
    "office_every_working_day": (N_("In the office every working day (public service)"), None),
    "works_on_collective_leave": (N_("Works on cuti bersama"), N_("Collective leave days are working days.")),
    "anchor_days_required": (N_("In the office on the unit's anchor days"), None),
    "supervisor_copresence_days": (N_("Office days a week with the direct supervisor"), N_("0 to 5.")),
    "max_unit_remote_percent": (N_("Largest share of a unit working remotely on a day (%)"), N_("0 to 100.")),
    "building_occupancy_percent": (N_("Largest share of a building's desks booked on a day (%)"), N_("0 to 100.")),
    "eligibility": (N_("Who may have remote days"), None),
    "eligibility.no_discipline_case": (N_("No open disciplinary case"), None),
    "eligibility.min_days_in_post": (N_("Fewest days in the post"), N_("0 to 3650.")),
    "eligibility.ratings": (N_("Latest performance rating is one of"), None),
    "working_hours": (N_("Working hours"), N_("Both the start and the hours a week, or neither.")),
    "working_hours.start": (N_("Start of the working day"), None),
    "working_hours.hours_per_week": (N_("Hours a week"), N_("More than 0, at most 60.")),
    "working_hours.days": (
        N_("Hours per day"),
        N_(
            'As JSON, e.g. [{"weekday": 4, "start": "08:00", "end": "11:30", "hours": 3.5}]. Empty: the same every day.'
        ),
    ),
    "working_hours.days.weekday": (N_("Weekday (0 = Monday)"), None),
    "working_hours.days.start": (N_("From"), None),
    "working_hours.days.end": (N_("Until"), None),
    "working_hours.days.hours": (N_("Hours"), None),
    "exemption_max_remote_days": (N_("Most remote days a week an exemption may grant"), N_("0 to 5.")),
    "exemption_max_days": (N_("Longest exemption, in days"), N_("1 to 366.")),
    "exemption_max_months": (N_("Longest exemption, in calendar months"), N_("1 to 12.")),
    "allowed_location_kinds": (N_("Where remote days may be worked"), N_("None ticked: anywhere the rules allow.")),
    "prorate_short_weeks": (
        N_("Pro-rate the remote allowance in weeks with holidays"),
        N_("Yes: a week with fewer working days allows fewer remote days."),
    ),
}

YES, NO = N_("yes"), N_("no")


def rule_label(language: Language, path: str) -> str:
    """The label of a rule field (``eligibility.ratings``) in ``language``; its name in words if it has none."""
    known = RULE_LABELS.get(path)
    if known is None:
        return path.rsplit(".", 1)[-1].replace("_", " ").capitalize()
    return gettext(language, known[0])


def rule_hint(language: Language, path: str) -> str | None:
    known = RULE_LABELS.get(path)
    return gettext(language, known[1]) if known is not None and known[1] else None


def describe(language: Language, rules: PolicyRules) -> list[str]:
    """One line per field the rules state: "Most remote days a week: 2"."""
    return [
        f"{rule_label(language, name)}: {_value(language, name, getattr(rules, name))}"
        for name in PolicyRules.__struct_fields__
        if getattr(rules, name) != _DEFAULTS[name]
    ]


def _value(language: Language, path: str, value: Any) -> str:
    if isinstance(value, bool):
        return gettext(language, YES if value else NO)
    if isinstance(value, Enum):
        labels = LABELS.get(type(value))
        return gettext(language, labels[value]) if labels and value in labels else str(value.value)
    if isinstance(value, int | float):
        return formats.number(language, value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return ", ".join(_value(language, path, item) for item in value) if value else "–"
    if isinstance(value, msgspec.Struct):
        parts = []
        for name in value.__struct_fields__:
            part = getattr(value, name)
            if part is None or (part is False and path == "eligibility"):
                continue
            parts.append(f"{rule_label(language, f'{path}.{name}')}: {_value(language, f'{path}.{name}', part)}")
        return "; ".join(parts) if parts else "–"
    return str(value)


_DEFAULTS = msgspec.structs.asdict(PolicyRules())
