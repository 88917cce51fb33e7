"""What the anchor-day planner page shows, in the page's language: a :class:`PlanResult` as words, tables and the
before/after heatmaps, and the form's errors as sentences.

Pure functions of the planner's answer and the place options; the routes are in
:mod:`smartoffice.web.capacity_planner`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from smartoffice import formats
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.planning.anchor_planner.proposal import (
    DayLoad,
    PlanResult,
    PlanStatus,
    UnitPlan,
)
from smartoffice.planning.anchor_planner.wording import describe_binding
from smartoffice.policies.engine import next_monday
from smartoffice.web import charts
from smartoffice.web.capacity_planner_form import BuildingOption
from smartoffice.web.table_export import ExportTable

EXPORTS = ("loads", "moves", "units")
"""The tables the page offers as CSV and XLSX (``?…&export=moves&format=csv``)."""
NO_PLAN = (PlanStatus.INFEASIBLE, PlanStatus.TIMED_OUT)


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit as the tables show it."""

    id: int
    code: str
    name: str
    buildings: str
    headcount: int
    before: str
    after: str
    moved: bool
    note: str
    """Pinned, public service every day, or empty."""
    after_weekdays: tuple[int, ...]
    every_day: bool
    """Public service: in every working day, never moved (nothing to pin or forbid)."""


@dataclass(frozen=True, slots=True)
class OverCell:
    building: str
    weekday: str
    people: str
    limit: str


@dataclass(frozen=True, slots=True)
class PlanView:
    status: str
    status_kind: str
    """``optimal``, ``feasible`` or ``infeasible`` (a CSS hook and the tests' handle)."""
    summary: str
    solve_time: str
    heatmap_before: Markup
    heatmap_after: Markup | None
    over_before: Sequence[OverCell]
    over_after: Sequence[OverCell]
    moves: Sequence[UnitRow]
    units: Sequence[UnitRow]
    binding: Sequence[str]


def days_in_words(language: Language, weekdays: Sequence[int] | frozenset[int]) -> str:
    if not weekdays:
        return gettext(language, "no anchor days")
    return ", ".join(formats.weekday(language, n) for n in sorted(weekdays))


def short_weekday(language: Language, weekday: int) -> str:
    """``Sen`` / ``Mon``: for the per-unit day checkboxes, inside a group that says what they are."""
    return str(formats.babel_locale(language).days["format"]["abbreviated"][weekday])


def people(language: Language, value: float) -> str:
    """Expected people, as a whole number (the model's fractions are not people)."""
    return formats.number(language, round(value))


def plan_view(
    language: Language,
    result: PlanResult,
    buildings: Mapping[int, BuildingOption],
    downloads: Mapping[str, Sequence[charts.Download]] | None = None,
) -> PlanView:
    downloads = downloads or {}
    rows = [unit_row(language, unit, buildings) for unit in result.units]
    moves = [row for row in rows if row.moved]
    infeasible = result.status in NO_PLAN
    return PlanView(
        status=status_words(language, result.status),
        status_kind=result.status.value,
        summary=summary_words(language, result, len(moves)),
        solve_time=solve_time(language, result.solve_seconds),
        heatmap_before=load_heatmap(language, result.loads, before=True, downloads=downloads.get("loads", ())),
        heatmap_after=None
        if infeasible
        else load_heatmap(language, result.loads, before=False, downloads=downloads.get("loads", ())),
        over_before=over_cells(language, result.loads, before=True),
        over_after=[] if infeasible else over_cells(language, result.loads, before=False),
        moves=moves,
        units=rows,
        binding=[describe_binding(b, result, language) for b in result.binding],
    )


def solve_time(language: Language, seconds: float) -> str:
    if seconds < 0.01:
        return gettext(language, "Solved in less than 0.01 s.")
    return gettext(language, "Solved in %(seconds)s s.", seconds=formats.number(language, round(seconds, 2)))


def status_words(language: Language, status: PlanStatus) -> str:
    match status:
        case PlanStatus.OPTIMAL:
            return gettext(language, "A plan fits: the fewest units possible move.")
        case PlanStatus.FEASIBLE:
            return gettext(
                language, "A plan fits, found within the time limit: a plan that moves fewer units may exist."
            )
        case PlanStatus.TIMED_OUT:
            return gettext(
                language,
                "No plan was found within the time limit, and no proof that none fits: every unit keeps its days.",
            )
    return gettext(language, "No plan fits these buildings, rules and target.")


def summary_words(language: Language, result: PlanResult, moved: int) -> str:
    if result.status == PlanStatus.INFEASIBLE:
        return gettext(language, "These constraints together make every plan impossible:")
    if result.status == PlanStatus.TIMED_OUT:
        return gettext(language, "Try fewer buildings, fewer pinned units or fewer pairs, and run again.")
    if not moved:
        return gettext(language, "Today's anchor days already fit: no unit needs to move.")
    return ngettext(
        language,
        "%(count)s unit of %(total)s gets new anchor days.",
        "%(count)s units of %(total)s get new anchor days.",
        moved,
        count=moved,
        total=len(result.units),
    )


def unit_row(language: Language, unit: UnitPlan, buildings: Mapping[int, BuildingOption]) -> UnitRow:
    note = ""
    if unit.every_day:
        note = gettext(language, "In every working day (public service)")
    elif unit.pinned:
        note = gettext(language, "Pinned: keeps its days")
    return UnitRow(
        id=unit.unit_id,
        code=unit.code,
        name=unit.name,
        buildings=", ".join(buildings[b].code if b in buildings else str(b) for b in unit.building_ids),
        headcount=unit.headcount,
        before=days_in_words(language, unit.before),
        after=days_in_words(language, unit.after),
        moved=unit.moved,
        note=note,
        after_weekdays=tuple(sorted(unit.after)),
        every_day=unit.every_day,
    )


def _grid(loads: Sequence[DayLoad]) -> tuple[list[int], list[tuple[int, str]], dict[tuple[int, int], DayLoad]]:
    weekdays = sorted({load.weekday for load in loads})
    rows: dict[int, str] = {}
    for load in loads:
        rows.setdefault(load.building_id, load.building_code)
    by_cell = {(load.building_id, load.weekday): load for load in loads}
    return weekdays, sorted(rows.items(), key=lambda item: item[1]), by_cell


def load_heatmap(
    language: Language, loads: Sequence[DayLoad], *, before: bool, downloads: Sequence[charts.Download] = ()
) -> Markup:
    weekdays, rows, by_cell = _grid(loads)
    values = [
        [(getattr(by_cell[(b, d)], "before" if before else "after") if (b, d) in by_cell else None) for d in weekdays]
        for b, _ in rows
    ]
    limits = [next((by_cell[(b, d)].limit for d in weekdays if (b, d) in by_cell), None) for b, _ in rows]
    over = sum(1 for load in loads if (load.overflows_before if before else load.overflows_after))
    if before:
        caption = gettext(language, "Expected people per building and weekday, with today's anchor days")
    else:
        caption = gettext(language, "Expected people per building and weekday, with the planned anchor days")
    description = ngettext(
        language,
        "%(count)s building-day is over its limit (desks times the target).",
        "%(count)s building-days are over their limit (desks times the target).",
        over,
        count=over,
    )
    return charts.heatmap(
        language,
        chart_id="load-before" if before else "load-after",
        caption=caption,
        description=description,
        row_name=gettext(language, "Building"),
        rows=[code for _, code in rows],
        columns=[formats.weekday(language, d) for d in weekdays],
        values=values,
        limit=charts.Limit(gettext(language, "Limit"), limits),
        over_name=gettext(language, "over the limit"),
        value_format=lambda v: people(language, v),
        downloads=downloads,
    )


def over_cells(language: Language, loads: Sequence[DayLoad], *, before: bool) -> list[OverCell]:
    return [
        OverCell(
            building=load.building_code,
            weekday=formats.weekday(language, load.weekday),
            people=people(language, load.before if before else load.after),
            limit=people(language, load.limit),
        )
        for load in sorted(loads, key=lambda load: (load.building_code, load.weekday))
        if (load.overflows_before if before else load.overflows_after)
    ]


def field_error_text(language: Language, code: str) -> str:
    """A form field's error code (:mod:`smartoffice.web.capacity_planner_form`) as a sentence."""
    texts = {
        "missing_place": gettext(language, "Choose a site or at least one building."),
        "unknown_site": gettext(language, "Choose one of the sites in the list."),
        "unknown_building": gettext(language, "Choose buildings from the list: that one is not yours to plan."),
        "site_without_buildings": gettext(language, "That site has no buildings to plan."),
        "invalid_week": gettext(language, "That date is not valid. Use the form YYYY-MM-DD."),
        "week_not_monday": gettext(language, "Choose a Monday: the planner plans whole weeks."),
        "invalid_target": gettext(language, "Enter the target as a whole percentage from 1 to 100."),
        "invalid_unit": gettext(language, "Choose a unit from the list."),
        "missing_unit": gettext(language, "Choose the unit this number is for."),
        "repeated_unit": gettext(language, "This unit is already in the list above: change its row."),
        "unknown_unit": gettext(language, "That unit is not housed in the buildings planned."),
        "invalid_forbid": gettext(language, "Choose forbidden days from the checkboxes."),
        "invalid_weekday": gettext(language, "Choose weekdays from Monday to Friday."),
        "all_days_closed": gettext(language, "Leave at least one weekday open."),
        "invalid_pair": gettext(language, "A pair names two different units."),
        "missing_pair_unit": gettext(language, "Choose both units of the pair."),
        "same_pair_unit": gettext(language, "Choose two different units."),
        "missing_count": gettext(language, "Enter the number of people to add (12) or remove (-5)."),
        "invalid_count": gettext(
            language, "Enter a whole number of people other than 0: 12 adds twelve, -5 removes five."
        ),
        "unknown_floor": gettext(language, "Choose floors of the buildings planned."),
        "missing_building": gettext(language, "Choose the building the unit moves to."),
        "unknown_building_move": gettext(language, "Choose one of the buildings planned."),
    }
    return texts.get(code, gettext(language, "Please check the form and try again."))


def effective_default(week: date, today: date) -> date:
    """The apply form's first day: the planned week's Monday, or the next Monday when that has passed."""
    if week > today:
        return week
    return next_monday(today)


def export_table(
    language: Language, name: str, result: PlanResult, buildings: Mapping[int, BuildingOption]
) -> ExportTable:
    """One of :data:`EXPORTS` as a table of plain values: the figures the page shows, unrounded where they are
    expectations."""
    yes, no = gettext(language, "yes"), gettext(language, "no")
    if name == "loads":
        no_plan = result.status in NO_PLAN
        return ExportTable(
            gettext(language, "Load per building and weekday"),
            [
                gettext(language, "Building"),
                gettext(language, "Weekday"),
                gettext(language, "Desks"),
                gettext(language, "Limit"),
                gettext(language, "Expected now"),
                gettext(language, "Over now"),
                gettext(language, "Expected with the plan"),
                gettext(language, "Over with the plan"),
            ],
            [
                [
                    load.building_code,
                    formats.weekday(language, load.weekday),
                    load.desks,
                    round(load.limit, 1),
                    round(load.before, 1),
                    yes if load.overflows_before else no,
                    None if no_plan else round(load.after, 1),
                    None if no_plan else (yes if load.overflows_after else no),
                ]
                for load in sorted(result.loads, key=lambda load: (load.building_code, load.weekday))
            ],
        )
    rows = [unit_row(language, unit, buildings) for unit in result.units]
    if name == "moves":
        return ExportTable(
            gettext(language, "Units that move"),
            [
                gettext(language, "Unit code"),
                gettext(language, "Unit"),
                gettext(language, "People"),
                gettext(language, "Anchor days now"),
                gettext(language, "Planned anchor days"),
            ],
            [[r.code, r.name, r.headcount, r.before, r.after] for r in rows if r.moved],
        )
    return ExportTable(
        gettext(language, "Every unit"),
        [
            gettext(language, "Unit code"),
            gettext(language, "Unit"),
            gettext(language, "Building"),
            gettext(language, "People"),
            gettext(language, "Anchor days now"),
            gettext(language, "Planned anchor days"),
            gettext(language, "Moves"),
            gettext(language, "Note"),
        ],
        [[r.code, r.name, r.buildings, r.headcount, r.before, r.after, yes if r.moved else no, r.note] for r in rows],
    )
