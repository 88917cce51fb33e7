"""What the people import's pages show of a plan and of a result: plain data (also kept as JSON for the result
page), each change named by the file's own column header, values in the page's language; and the columns a file
may have."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from smartoffice import formats, labels
from smartoffice.i18n import Language, gettext
from smartoffice.people.imports.plan import Change, ChangeKind, ImportPlan
from smartoffice.people.imports.service import ImportResult
from smartoffice.people.siasn import Column
from smartoffice.people.siasn.columns import HEADERS, REQUIRED

SHOWN_ROWS = 500
"""Rows shown per list (new, changed, leaving...); the counts say how many there are in all."""
SHOWN_PROBLEMS = 2000

FIELD_COLUMNS: Mapping[str, Column] = {
    "name": Column.NAME,
    "email": Column.EMAIL,
    "unit_code": Column.UNIT_CODE,
    "position_name": Column.POSITION_NAME,
    "position_kind": Column.POSITION_KIND,
    "position_level": Column.POSITION_LEVEL,
    "employment_type": Column.EMPLOYMENT_TYPE,
    "placed_on": Column.PLACED_ON,
    "supervisor_nip": Column.SUPERVISOR_NIP,
    "building_code": Column.BUILDING_CODE,
    "parent_code": Column.PARENT_UNIT_CODE,
    "organisation_code": Column.ORGANISATION_CODE,
}
"""A plan's field and the file column it comes from: the preview names a change by the file's own header."""


def value_text(language: Language, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return formats.short_date(language, value)
    if isinstance(value, Enum):
        try:
            return labels.label(language, value)
        except KeyError:
            return str(value.value)
    return str(value)


def field_name(field: str, language: Language) -> str:
    column = FIELD_COLUMNS.get(field)
    if column is not None:
        return HEADERS[column][0]
    return gettext(language, "Level") if field == "level" else field


def change_rows(changes: Iterable[Change], language: Language, name_field: str = "name") -> list[dict[str, Any]]:
    """Each change as the page lists it (plain data, also kept as JSON for the result page)."""
    return [
        {
            "line": change.line,
            "key": change.key,
            "name": str(change.values.get(name_field) or ""),
            "unit": str(change.values.get("unit_code") or ""),
            "fields": [
                {
                    "field": field_name(f.field, language),
                    "before": value_text(language, f.before),
                    "after": value_text(language, f.after),
                }
                for f in change.fields
            ],
        }
        for change in changes
    ]


def plan_view(plan: ImportPlan, lost: Mapping[int, int], language: Language) -> dict[str, Any]:
    """The plan as the preview and result pages show it: counts, then capped lists."""
    by_kind = {kind: [c for c in plan.people if c.kind == kind] for kind in ChangeKind}
    leavers = [{"key": leaver.nip, "name": leaver.name, "bookings": lost.get(leaver.id, 0)} for leaver in plan.leavers]
    problems = [
        {
            "line": p.line,
            "column": p.column or "",
            "is_warning": p.is_warning,
            "code": p.code.name,
            "message": p.message_in(language),
        }
        for p in plan.problems
    ]
    structure = [*plan.organisations, *plan.units]
    lists = {
        "new": change_rows(by_kind[ChangeKind.NEW], language),
        "changed": change_rows(by_kind[ChangeKind.CHANGED], language),
        "reactivated": change_rows(by_kind[ChangeKind.REACTIVATED], language),
        "structure": change_rows(structure, language),
        "leaving": leavers,
    }
    return {
        "is_valid": plan.is_valid,
        "changes_nothing": plan.changes_nothing,
        "counts": {
            **{name: len(rows) for name, rows in lists.items()},
            "unchanged": plan.unchanged,
            "errors": len(plan.errors),
            "warnings": len(plan.problems) - len(plan.errors),
            "bookings": sum(lost.values()),
        },
        "lists": {name: rows[:SHOWN_ROWS] for name, rows in lists.items()},
        "problems": problems[:SHOWN_PROBLEMS],
        "problems_left_off": max(0, len(problems) - SHOWN_PROBLEMS),
    }


def result_view(result: ImportResult, lost: Mapping[int, int], file_name: str, language: Language) -> dict[str, Any]:
    return {
        "file_name": file_name,
        "written": result.written,
        "plan": plan_view(result.plan, lost, language),
        "done": {
            "cancelled_bookings": result.cancelled_bookings,
            "cancelled_series": result.cancelled_series,
            "unassigned_desks": result.unassigned_desks,
            "revoked_tokens": result.revoked_tokens,
            "ended_sessions": result.ended_sessions,
        },
    }


@dataclass(frozen=True, slots=True)
class ColumnRow:
    header: str
    others: Sequence[str]
    required: bool
    meaning: str


def column_rows(language: Language) -> list[ColumnRow]:
    meanings = {
        Column.ORGANISATION_CODE: gettext(language, "The agency's code; the people it no longer lists leave."),
        Column.ORGANISATION_NAME: gettext(language, "The agency's name."),
        Column.UNIT_CODE: gettext(language, "The unit's code (with the parent unit's code, builds the tree)."),
        Column.UNIT_NAME: gettext(language, "The unit's name, or without unit codes its path: A > B > C."),
        Column.PARENT_UNIT_CODE: gettext(language, "The code of the unit above; empty for a top unit."),
        Column.NIP: gettext(language, "The 18-digit NIP (or NI PPPK); names the person."),
        Column.NAME: gettext(language, "Full name."),
        Column.EMAIL: gettext(language, "Office email, unique; used to sign in."),
        Column.POSITION_NAME: gettext(language, "The post's name."),
        Column.POSITION_KIND: gettext(language, "Struktural, Fungsional or Pelaksana."),
        Column.POSITION_LEVEL: gettext(language, "Eselon or functional level (e.g. II.a, Ahli Madya)."),
        Column.EMPLOYMENT_TYPE: gettext(language, "PNS or PPPK."),
        Column.PLACED_ON: gettext(language, "Date placed in the post (YYYY-MM-DD or DD-MM-YYYY)."),
        Column.SUPERVISOR_NIP: gettext(language, "The direct supervisor's NIP."),
        Column.BUILDING_CODE: gettext(language, "Home building's code (optional)."),
    }
    return [
        ColumnRow(HEADERS[column][0], HEADERS[column][1:], column in REQUIRED, meaning)
        for column, meaning in meanings.items()
    ]
