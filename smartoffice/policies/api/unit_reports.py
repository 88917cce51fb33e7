"""A unit head's reports beside ``unitCompliance``: the compliance trend across weeks and who is in on a day.

The same rule as ``unitCompliance``: unit managers over the unit (granted or by position) and administrators;
anyone else gets ``PermissionDeniedError``. Each resolver calls
:class:`~smartoffice.policies.service.PolicyService`; "today" is its date in WITA.
"""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id
from smartoffice.people import models as people_models
from smartoffice.people.api.types import Employee, Organisation, OrgUnit
from smartoffice.policies import engine, unit_days, unit_trend
from smartoffice.policies.api.inputs import Refusals
from smartoffice.policies.api.types import ComplianceStatus, WorkMode


def _org_unit(unit: people_models.OrgUnit) -> OrgUnit:
    """``unit`` with its organisation loaded."""
    organisation = unit.organisation
    return OrgUnit(
        id=unit.id,
        code=unit.code,
        name=unit.name,
        level=unit.level,
        organisation=Organisation(id=organisation.id, code=organisation.code, name=organisation.name),
    )


# the trend


@strawberry.type(description="How many members had a status in a week.")
class StatusCount:
    status: ComplianceStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="Members whose week had it.")


@strawberry.type(description="One week of a unit's compliance trend.")
class ComplianceTrendWeek:
    week_of: dt.date = strawberry.field(description="The Monday of the week.")
    members: int = strawberry.field(description="Members of the subtree that week.")
    counts: list[StatusCount] = strawberry.field(description="Every status and how many members had it.")
    compliant_percent: int | None = strawberry.field(
        description="The compliant share of the members whose week could be judged (those with no attendance data "
        "left out), rounded to a whole percent; null when none could be."
    )

    @classmethod
    def from_week(cls, week: unit_trend.TrendWeek) -> Self:
        return cls(
            week_of=week.monday,
            members=week.members,
            counts=[
                StatusCount(status=status, count=week.counts.get(engine.ComplianceStatus[status.name], 0))
                for status in ComplianceStatus
            ],
            compliant_percent=week.compliant_percent,
        )


@strawberry.type(description="A unit's compliance over consecutive weeks (PermenPANRB 4/2025 Pasal 35 monitoring).")
class UnitComplianceTrend:
    unit: OrgUnit = strawberry.field(description="The unit; its whole subtree is counted.")
    weeks: list[ComplianceTrendWeek] = strawberry.field(description="Oldest first; the last is the week asked for.")

    @classmethod
    def from_trend(cls, trend: unit_trend.UnitTrend) -> Self:
        return cls(unit=_org_unit(trend.unit), weeks=[ComplianceTrendWeek.from_week(w) for w in trend.weeks])


UnitComplianceTrendResult = Annotated[
    UnitComplianceTrend | Refusals,
    strawberry.union(
        "UnitComplianceTrendResult",
        description="The trend, or why not: PermissionDeniedError for anyone but a manager of the unit (or above) "
        "or an administrator; NotFoundError; ValidationError INVALID_ID or OUT_OF_RANGE (weeks).",
    ),
]


# who is in


@strawberry.enum(description="Where a person is on a day, as a unit's head reads it.")
class DayPresence(Enum):
    IN_OFFICE = strawberry.enum_value(
        unit_days.Presence.IN_OFFICE.value,
        description="Checked in, reported in the office, a desk booked or an office plan (a past day: only what "
        "happened).",
    )
    REMOTE = strawberry.enum_value(unit_days.Presence.REMOTE.value, description="WFH or WFA.")
    AWAY = strawberry.enum_value(unit_days.Presence.AWAY.value, description="Leave or duty travel.")
    ABSENT = strawberry.enum_value(
        unit_days.Presence.ABSENT.value, description="Reported absent by the attendance source."
    )
    NO_DATA = strawberry.enum_value(
        unit_days.Presence.NO_DATA.value,
        description="A past working day the attendance source says nothing of (not known to be absent).",
    )
    NO_PLAN = strawberry.enum_value(
        unit_days.Presence.NO_PLAN.value, description="A working day from today on with nothing planned."
    )
    NOT_WORKING = strawberry.enum_value(
        unit_days.Presence.NOT_WORKING.value, description="Not a working day for them (a holiday, cuti bersama)."
    )


@strawberry.type(description="One member's day.")
class MemberDay:
    employee: Employee = strawberry.field(description="The member.")
    presence: DayPresence = strawberry.field(description="Where they are.")
    planned: WorkMode | None = strawberry.field(description="The plan (a desk booking counts as OFFICE).")
    actual: WorkMode | None = strawberry.field(description="What the attendance source or a check-in says.")
    required_in_office: bool = strawberry.field(description="Whether their policies require them in the office.")
    desk_label: str | None = strawberry.field(description="The desk they hold that day, by name or code.")
    checked_in: bool = strawberry.field(description="Whether they checked in to that desk.")

    @classmethod
    def from_day(cls, person: unit_days.PersonDay) -> Self:
        return cls(
            employee=Employee.from_model(person.employee),
            presence=DayPresence(person.presence.value),
            planned=WorkMode(person.planned.value) if person.planned else None,
            actual=WorkMode(person.actual.value) if person.actual else None,
            required_in_office=person.is_required,
            desk_label=person.desk_label,
            checked_in=person.checked_in,
        )


@strawberry.type(description="Who of a unit is in the office on a day, who is remote, away or without a plan.")
class UnitDay:
    unit: OrgUnit = strawberry.field(description="The unit; its whole subtree is listed.")
    date: dt.date = strawberry.field(description="The local date.")
    members: list[MemberDay] = strawberry.field(
        description="In the office first, then remote, away, absent, no data, no plan, not working; by name in each."
    )

    @classmethod
    def from_day(cls, day: unit_days.UnitDay) -> Self:
        return cls(unit=_org_unit(day.unit), date=day.day, members=[MemberDay.from_day(p) for p in day.people])


UnitDayResult = Annotated[
    UnitDay | Refusals,
    strawberry.union(
        "UnitDayResult",
        description="The day, or why not: PermissionDeniedError for anyone but a manager of the unit (or above) or "
        "an administrator; NotFoundError; ValidationError INVALID_ID or OUT_OF_RANGE (date).",
    ),
]


@strawberry.type
class UnitReportsQuery:
    @strawberry.field(
        description="A unit's compliance over consecutive weeks: per week, how many members had each status and "
        "the compliant share. Unit managers over the unit and administrators."
    )
    async def unit_compliance_trend(
        self,
        info: Info,
        unit_id: Annotated[strawberry.ID, strawberry.argument(description="The OrgUnit; its subtree is included.")],
        weeks: Annotated[
            int,
            strawberry.argument(description=f"How many weeks, 1 to {unit_trend.MAX_TREND_WEEKS}."),
        ] = unit_trend.DEFAULT_TREND_WEEKS,
        week_of: Annotated[
            dt.date | None, strawberry.argument(description="Any day of the last week; default: this week (WITA).")
        ] = None,
    ) -> UnitComplianceTrendResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)

        unit = decode_id(unit_id, "OrgUnit", "unitId")
        trend = await info.context.runtime.policies.unit_trend(viewer, unit, week_of, weeks)
        return UnitComplianceTrend.from_trend(trend)

    @strawberry.field(
        description="Who of a unit's subtree is in the office on a day, who is remote, away, absent or without a "
        "plan. Unit managers over the unit and administrators."
    )
    async def unit_day(
        self,
        info: Info,
        unit_id: Annotated[strawberry.ID, strawberry.argument(description="The OrgUnit; its subtree is included.")],
        date: Annotated[dt.date | None, strawberry.argument(description="The day; default: today (WITA).")] = None,
    ) -> UnitDayResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)

        unit = decode_id(unit_id, "OrgUnit", "unitId")
        day = await info.context.runtime.policies.unit_day(viewer, unit, date)
        return UnitDay.from_day(day)
